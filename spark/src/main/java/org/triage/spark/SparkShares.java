package org.triage.spark;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.zip.GZIPInputStream;
import org.apache.spark.SimpleFutureAction;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.util.LongAccumulator;
import org.triage.EntryShare;
import org.triage.casework.AuditTrail;
import org.triage.casework.CaseItem;
import org.triage.casework.CaseLayout;
import org.triage.casework.RemoteShares;
import scala.runtime.AbstractFunction0;
import scala.runtime.AbstractFunction1;
import scala.runtime.AbstractFunction2;
import scala.runtime.BoxedUnit;

/**
 * A case run's items read on a Spark cluster: one task per share of each item (an image larger than
 * {@code splitBytes} is cut into several shares, {@link EntryShare}; a directory is one), all in one
 * job submitted at the run's start, in the order the run records the items. Each task's result (its
 * share's listing) is written into the case as it arrives ({@code shares/item-I-run-R-part-P.jsonl},
 * 0600) and the item is handed to the run once its every share is in.
 *
 * <p>Nothing lost or counted twice: Spark delivers one result per task, of the attempt that
 * succeeded; a failed attempt (an executor killed, a task that threw) sends none, and Spark runs the
 * task again; the run takes each entry once, by item and path ({@code Checkpoint}).
 */
final class SparkShares implements RemoteShares {
    private final JavaSparkContext sc;
    private final CaseLayout layout;
    private final ClusterProgress progress;
    private final long splitBytes;
    private final String store;
    private final List<String> algorithms;
    private final String caseId;
    private final String examiner;
    private final String tool;
    private final Map<Long, Pending> pending = new LinkedHashMap<>();
    private volatile SimpleFutureAction<BoxedUnit> job;
    private volatile String group;
    private volatile boolean stopped;

    /** One item's shares, as they come in. */
    private static final class Pending {
        final CountDownLatch left;
        final Path[] listings;
        final List<Map<String, Object>> tasks = new ArrayList<>();
        final int first;
        volatile String failure;

        Pending(int parts, int first) {
            this.left = new CountDownLatch(parts);
            this.listings = new Path[parts];
            this.first = first;
        }
    }

    SparkShares(JavaSparkContext sc, CaseLayout layout, ClusterProgress progress, long splitBytes, String store,
                List<String> algorithms, String caseId, String examiner, String tool) {
        this.sc = sc;
        this.layout = layout;
        this.progress = progress;
        this.splitBytes = splitBytes;
        this.store = store;
        this.algorithms = List.copyOf(algorithms);
        this.caseId = caseId;
        this.examiner = examiner;
        this.tool = tool;
    }

    /** Shares of an item: an image or device by its size; a directory (size unknown) is one. */
    static int parts(CaseItem item, long splitBytes) {
        if (item.size() <= splitBytes || "directory".equals(item.kind())) return 1;
        return (int) Math.min(1024, (item.size() + splitBytes - 1) / splitBytes);
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("engine", "Apache Spark " + sc.version());
        m.put("master", sc.master());
        m.put("application", sc.sc().applicationId());
        m.put("driver_host", sc.getConf().get("spark.driver.host", "?"));
        m.put("split_bytes", splitBytes);
        m.put("task_cpus", sc.getConf().getInt("spark.task.cpus", 1));
        return m;
    }

    @Override
    public void start(long run, List<CaseItem> items) throws IOException {
        Path dir = layout.dir().resolve("shares");
        if (!Files.isDirectory(dir)) {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        List<ShareTask> units = new ArrayList<>();
        List<Long> weights = new ArrayList<>();
        for (CaseItem item : items) {
            int parts = parts(item, splitBytes);
            synchronized (pending) {
                pending.put(item.id(), new Pending(parts, units.size()));
            }
            for (int p = 0; p < parts; p++) {
                units.add(new ShareTask(item.id(), item.path(), p, parts, store, algorithms, caseId, examiner, tool));
                weights.add(item.size() < 0 ? -1 : item.size() / parts);
            }
        }
        progress.job(weights.stream().mapToLong(Long::longValue).toArray());
        LongAccumulator bytes = sc.sc().longAccumulator(ClusterProgress.BYTES);
        LongAccumulator files = sc.sc().longAccumulator("triage files read");
        JavaRDD<ShareResult> results = sc.parallelize(units, units.size()).map(new ShareScan(bytes, files));
        group = "triage-run-" + run;
        sc.setJobGroup(group, "triage case " + caseId + ", run " + run, true);
        List<Object> partitions = new ArrayList<>();
        for (int i = 0; i < units.size(); i++) partitions.add(i);
        job = sc.sc().submitJob(results.rdd(), new Only(), scala.jdk.javaapi.CollectionConverters.asScala(partitions).toSeq(),
                new Arrived(this, run, dir, units), new Nothing());
        Thread watch = new Thread(this::watchJob, "triage-cluster-job");
        watch.setDaemon(true);
        watch.start();
    }

    /** Once the job ends: an item whose shares are not all in is failed (the run reads it itself). */
    private void watchJob() {
        String why;
        try {
            // SimpleFutureAction.get throws SparkException (a job that failed); javac sees none from Scala.
            job.get();
            why = "the cluster job ended without all its results";
        } catch (Exception e) {
            Throwable c = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            why = "the cluster job failed: " + c.getMessage();
        }
        if (stopped) why = "the run was stopped";
        synchronized (pending) {
            for (Pending p : pending.values()) {
                if (p.left.getCount() == 0) continue;
                p.failure = why;
                while (p.left.getCount() > 0) p.left.countDown();
            }
        }
    }

    /** A task's result, on Spark's scheduler thread: its listing into the case, its facts for the trail. */
    void arrived(long run, Path dir, ShareTask task, int partition, ShareResult r) {
        Pending p;
        synchronized (pending) {
            p = pending.get(task.item());
        }
        Path listing = dir.resolve("item-" + task.item() + "-run-" + run + "-part-" + (task.part() + 1) + ".jsonl");
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("share", new EntryShare(task.part(), task.parts()).describe());
        t.put("executor", r.executor());
        t.put("host", r.host());
        t.put("pid", r.pid());
        t.put("attempt", r.attempt());
        t.put("files", r.files());
        t.put("bytes", r.bytes());
        t.put("seconds", Math.round(r.seconds() * 1000) / 1000.0);
        t.put("store_opens_in_jvm", r.storeOpens());
        t.put("store_open_ms", r.storeOpenMillis());
        t.put("failed_attempts", progress.failures(partition));
        try {
            write(listing, r.listing());
            t.put("listing", layout.relative(listing));
            t.put("listing_sha256", AuditTrail.sha256(listing));
            p.listings[task.part()] = listing;
        } catch (IOException | RuntimeException e) {
            t.put("error", "cannot write the share's listing " + listing + ": " + e.getMessage());
            p.failure = "cannot write the listing of " + new EntryShare(task.part(), task.parts()).describe() + ": " + e.getMessage();
        }
        synchronized (p.tasks) {
            p.tasks.add(t);
        }
        p.left.countDown();
    }

    private static void write(Path file, byte[] gzipped) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped), 1 << 16);
             OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            in.transferTo(out);
        }
    }

    @Override
    public SharesRead await(CaseItem item) throws IOException, InterruptedException {
        Pending p;
        synchronized (pending) {
            p = pending.get(item.id());
        }
        if (p == null) throw new IOException("item " + item.id() + " was not given to the cluster");
        p.left.await();
        if (p.failure != null) throw new IOException(p.failure);
        List<Map<String, Object>> tasks;
        synchronized (p.tasks) {
            tasks = new ArrayList<>(p.tasks);
        }
        tasks.sort((a, b) -> String.valueOf(a.get("listing")).compareTo(String.valueOf(b.get("listing"))));
        return new SharesRead(Arrays.asList(p.listings), tasks);
    }

    @Override
    public void stop() {
        stopped = true;
        String g = group;
        if (g != null) sc.cancelJobGroup(g);
    }

    @Override
    public Map<String, Object> finished() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("application", sc.sc().applicationId());
        m.put("tasks_done", progress.tasksDone());
        m.put("failed_attempts", progress.retried());
        m.put("executors", progress.executors());
        return m;
    }

    /** Items and shares the run gave the cluster, for the progress line. */
    int items() {
        synchronized (pending) {
            return pending.size();
        }
    }

    /** The one result of a one-element partition. */
    private static final class Only extends AbstractFunction1<scala.collection.Iterator<ShareResult>, ShareResult>
            implements java.io.Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public ShareResult apply(scala.collection.Iterator<ShareResult> it) {
            return it.next();
        }
    }

    /** Spark's result handler: called once per task, for its attempt that succeeded. */
    private static final class Arrived extends AbstractFunction2<Object, ShareResult, BoxedUnit> {
        private final SparkShares shares;
        private final long run;
        private final Path dir;
        private final List<ShareTask> units;

        Arrived(SparkShares shares, long run, Path dir, List<ShareTask> units) {
            this.shares = shares;
            this.run = run;
            this.dir = dir;
            this.units = units;
        }

        @Override
        public BoxedUnit apply(Object partition, ShareResult r) {
            int i = (Integer) partition;
            shares.arrived(run, dir, units.get(i), i, r);
            return BoxedUnit.UNIT;
        }
    }

    private static final class Nothing extends AbstractFunction0<BoxedUnit> {
        @Override
        public BoxedUnit apply() {
            return BoxedUnit.UNIT;
        }
    }
}
