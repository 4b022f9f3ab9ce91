package org.triage.spark;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.util.LongAccumulator;
import org.triage.EntryShare;
import org.triage.Scan;
import org.triage.ScanConfig;
import org.triage.Triage;
import org.triage.model.Algorithm;
import org.triage.model.ListingHeader;
import org.triage.model.Progress;
import org.triage.model.ScanResult;
import org.triage.report.AllFilesWriter;
import org.triage.store.HashStore;

/**
 * The executor's side of a task: runs the engine (the same Disruptor pipeline as one machine, its
 * hashing threads sized to the task's cores, {@code spark.task.cpus}) on one share of one item and
 * returns the share's all-files listing. The store comes from {@link ExecutorStore}: opened once
 * per executor JVM. Bytes and files read are added to two accumulators as the scan goes (every half
 * second), which the executor's heartbeats carry to the driver's progress display.
 *
 * <p>A scan that did not end (the task was killed, the scan stopped) throws: Spark then runs the
 * task again, and this attempt's partial listing never reaches the driver.
 */
final class ShareScan implements Function<ShareTask, ShareResult> {
    private static final long serialVersionUID = 1L;
    private static final long POLL_MILLIS = 500;

    private final LongAccumulator bytes;
    private final LongAccumulator files;

    ShareScan(LongAccumulator bytes, LongAccumulator files) {
        this.bytes = bytes;
        this.files = files;
    }

    @Override
    public ShareResult call(ShareTask t) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        HashStore store = ExecutorStore.open(Path.of(t.store()));
        long openMillis = ExecutorStore.lastOpenMillis();
        TaskContext ctx = TaskContext.get();
        Set<Algorithm> algorithms = EnumSet.noneOf(Algorithm.class);
        for (String a : t.algorithms()) algorithms.add(Algorithm.parse(a));
        ScanConfig.Builder b = ScanConfig.builder().source(t.path()).algorithms(algorithms)
                .hashThreads(Math.max(1, ctx == null ? 1 : ctx.cpus()));
        if (t.parts() > 1) b.share(new EntryShare(t.part(), t.parts()));
        ByteArrayOutputStream packed = new ByteArrayOutputStream(1 << 16);
        ScanResult result;
        Progress seen;
        AllFilesWriter listing = new AllFilesWriter(new GZIPOutputStream(packed, 1 << 16),
                "item " + t.item() + " " + new EntryShare(t.part(), t.parts()).describe());
        try (listing; Scan scan = Triage.newScan(b.listener(listing).build(), store)) {
            listing.header(new ListingHeader(t.tool(), Instant.now(), t.caseId(), t.examiner(), scan.evidence(),
                    scan.algorithms(), t.store(), store.sets().stream().map(ListingHeader.SetSeen::of).toList(), scan.notes()));
            Thread watch = new Thread(() -> watch(scan, ctx), "triage-share-progress");
            watch.setDaemon(true);
            watch.start();
            try {
                result = scan.run();
            } finally {
                watch.interrupt();
                watch.join();
            }
            seen = scan.progress();
        }
        if (listing.failure() != null) throw new IOException("cannot pack the share's listing: " + listing.failure().getMessage());
        if (result.interrupted()) {
            throw new IOException("item " + t.item() + " " + new EntryShare(t.part(), t.parts()).describe()
                    + " was stopped before its end; its records are dropped and the task runs again");
        }
        String executor = SparkEnv.get() == null ? "?" : SparkEnv.get().executorId();
        return new ShareResult(t.item(), t.part(), t.parts(), packed.toByteArray(), seen.files(), seen.bytes(), executor,
                org.triage.casework.RunIdentity.current("").host(), ProcessHandle.current().pid(),
                ctx == null ? 0 : ctx.attemptNumber(), (System.nanoTime() - t0) / 1e9, ExecutorStore.opens(), openMillis);
    }

    /** Adds what the scan read to the accumulators as it goes; stops the scan when Spark kills the task. */
    private void watch(Scan scan, TaskContext ctx) {
        long lastBytes = 0;
        long lastFiles = 0;
        boolean end = false;
        while (!end) {
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                end = true; // the scan ended: count what is left, once
            }
            Progress p = scan.progress();
            bytes.add(p.bytes() - lastBytes);
            files.add(p.files() - lastFiles);
            lastBytes = p.bytes();
            lastFiles = p.files();
            if (ctx != null && ctx.isInterrupted()) scan.stop();
        }
    }

    /** The algorithms as the task names them. */
    static List<String> ids(Set<Algorithm> algorithms) {
        return algorithms.stream().map(Algorithm::id).sorted().toList();
    }
}
