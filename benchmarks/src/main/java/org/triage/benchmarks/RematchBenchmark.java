package org.triage.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;
import org.triage.Rematch;
import org.triage.model.Algorithm;
import org.triage.model.ContentType;
import org.triage.model.Digests;
import org.triage.model.EntryDetails;
import org.triage.model.EntryType;
import org.triage.model.EvidenceSummary;
import org.triage.model.FileRecord;
import org.triage.model.ListingHeader;
import org.triage.model.RawPath;
import org.triage.model.RematchResult;
import org.triage.model.SourceStats;
import org.triage.priority.EvidenceTally;
import org.triage.report.AllFilesWriter;

/**
 * {@code triage rematch} without the command line: an all-files listing of {@code lines} entries
 * (written by the scan's own writer, all three digests random, so every lookup misses) re-matched
 * against {@link LookupBenchmark}'s store of 100 million MD5 digests (built once under
 * {@code target/}, shared). One operation is one whole listing: lines per second = ops/s ×
 * {@code lines}. {@code threads}: the re-match's workers (the calling thread reads and counts).
 *
 * <p>Also printed at the end of each fork: the CPU time of the whole process per listing in the
 * measured iterations (every thread: reader, workers, GC, JIT), a figure that holds up better
 * than the rate on a machine that other jobs share (the rate there says how much CPU was left).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xmx512m"})
public class RematchBenchmark {

    @State(Scope.Benchmark)
    public static class Listing {
        @Param({"200000"})
        public int lines;

        @Param({"1", "2"})
        public int threads;

        Path file;

        @Setup(Level.Trial)
        public void write() throws IOException {
            file = Path.of("target", "bench-listing-" + lines + ".jsonl");
            if (Files.exists(file)) return;
            SplittableRandom rnd = new SplittableRandom(7);
            String source = "/mnt/exhibit-ab-01";
            EvidenceTally tally = new EvidenceTally(source);
            Path tmp = Path.of(file + ".tmp");
            try (AllFilesWriter w = new AllFilesWriter(Files.newOutputStream(tmp), tmp.toString())) {
                w.header(new ListingHeader("triage bench", Instant.EPOCH, null, null, List.of(source),
                        List.of(Algorithm.values()), "/cases/old", List.of(), List.of()));
                for (int i = 0; i < lines; i++) {
                    boolean jpeg = rnd.nextInt(3) == 0;
                    FileRecord r = new FileRecord(source, RawPath.of("Users/someone/Pictures/" + i / 1000 + "/IMG_" + i
                            + (jpeg ? ".jpg" : ".dat")), EntryType.FILE, 4096 + rnd.nextInt(4 << 20),
                            new Digests(random(rnd, 16), random(rnd, 20), random(rnd, 32)), List.of(), null, null,
                            jpeg ? ContentType.JPEG : ContentType.OTHER, false, EntryDetails.ofInode(1000 + i));
                    tally.add(r);
                    w.onRecord(r);
                }
                EvidenceSummary s = tally.finish(new SourceStats(source, Instant.EPOCH, Instant.EPOCH.plusSeconds(60), 0, false, null));
                w.onEvidenceDone(s);
            }
            Files.move(tmp, file);
        }

        private static byte[] random(SplittableRandom rnd, int n) {
            byte[] b = new byte[n];
            for (int i = 0; i < n; i++) b[i] = (byte) rnd.nextInt(256);
            return b;
        }
    }

    /** The process's CPU time over the measured listings. */
    @State(Scope.Benchmark)
    public static class Cpu {
        private static final com.sun.management.OperatingSystemMXBean OS =
                (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        boolean measuring;
        long nanos;
        long listings;

        static long now() {
            return OS.getProcessCpuTime();
        }

        @Setup(Level.Iteration)
        public void iteration(IterationParams p) {
            measuring = p.getType() == IterationType.MEASUREMENT;
        }

        @TearDown(Level.Trial)
        public void report(Listing listing) {
            if (listings == 0) return;
            double perListing = nanos / 1e9 / listings;
            System.out.printf(java.util.Locale.ROOT, "%nprocess CPU, threads=%d: %.3f s per listing of %,d lines = %.2f us a line"
                    + " (%d listings measured)%n", listing.threads, perListing, listing.lines, perListing * 1e6 / listing.lines,
                    listings);
        }
    }

    @Benchmark
    public RematchResult wholeListing(Listing listing, LookupBenchmark.Store store, Cpu cpu) throws InterruptedException {
        long before = Cpu.now();
        RematchResult r = Rematch.builder().listing(listing.file).threads(listing.threads).build(store.store).run();
        if (cpu.measuring) {
            cpu.nanos += Cpu.now() - before;
            cpu.listings++;
        }
        if (r.result().evidence().get(0).files() != listing.lines) throw new IllegalStateException("lines lost: " + r);
        return r;
    }
}
