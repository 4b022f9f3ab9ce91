package org.triage.benchmarks;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.triage.model.NearMatch;
import org.triage.model.PdqHash;
import org.triage.model.SetKind;
import org.triage.store.HashStore;
import org.triage.store.HashStoreAdmin;
import org.triage.store.ImportFormat;
import org.triage.store.ImportRequest;
import org.triage.store.RocksHashStore;

/**
 * Near-match queries (distance 31, the scan's default) against a store of {@code entries} random
 * PDQ hashes plus, for each of the {@value #QUERIES} queries, one hash planted at a distance of
 * 0 to 40 from it (so about three in four queries have a match, as a picture on a device that
 * holds known pictures might; random hashes are never within 31 of each other). The store is
 * built once under {@code target/} (seeded: the same hashes every run) by {@link Generate}, in a
 * child JVM limited to {@code -Xmx512m}, through the ordinary {@code --format pdq} import; later
 * runs reuse it. The fork prints how long the first query took (it builds the in-memory index) and,
 * at the end, its RssAnon (the index lives on the heap), RssFile and peak RSS.
 *
 * <p>{@code slots}: "auto" is what the store chooses for this many hashes (12 for 10 M); 16 is
 * ThreatExchange's layout of sixteen 16-bit words, for comparison.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "-XX:+UseTransparentHugePages"})
public class PdqLookupBenchmark {
    static final int QUERIES = 1 << 12;
    static final int RADIUS = 31;
    private static final long QUERY_SEED = 31;
    private static final long PLANT_SEED = 32;
    private static final long STORED_SEED = 33;

    @State(Scope.Benchmark)
    public static class Store {
        @Param({"10000000"})
        public int entries;

        @Param({"auto", "16"})
        public String slots;

        HashStore store;
        PdqHash[] queries;

        @Setup(Level.Trial)
        public void open() throws IOException, InterruptedException {
            Path dir = Path.of("target", "bench-pdq-store-" + entries);
            if (!Files.isDirectory(dir)) generateInChild(dir, entries);
            queries = queries();
            if (slots.equals("auto")) System.clearProperty("triage.pdq.slots");
            else System.setProperty("triage.pdq.slots", slots);
            long t0 = System.nanoTime();
            store = RocksHashStore.openReadOnly(dir);
            long t1 = System.nanoTime();
            int found = store.nearMatches(queries[0], RADIUS).size();
            long t2 = System.nanoTime();
            System.out.printf("%n  open %.2f s, first query (builds the index of %,d hashes) %.2f s%n",
                    (t1 - t0) / 1e9, store.pdqCount(), (t2 - t1) / 1e9);
            int withMatch = 0;
            for (PdqHash q : queries) if (!store.nearMatches(q, RADIUS).isEmpty()) withMatch++;
            System.out.printf("  %d of %d queries have a match within %d (first: %d)%n", withMatch, QUERIES, RADIUS, found);
            // On a shared machine the fork gets a fraction of a core: queries per second of this
            // thread's own CPU time say what a core would do, whatever the load.
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            for (int pass = 0; pass < 3; pass++) {
                long cpu = threads.getCurrentThreadCpuTime();
                long wall = System.nanoTime();
                for (PdqHash q : queries) store.nearMatches(q, RADIUS);
                cpu = threads.getCurrentThreadCpuTime() - cpu;
                wall = System.nanoTime() - wall;
                System.out.printf("  one thread: %,.0f queries per CPU second (%,.0f per wall second)%n",
                        QUERIES / (cpu / 1e9), QUERIES / (wall / 1e9));
            }
            // Two threads at once, each its own CPU time: what the second core adds, memory shared.
            for (int pass = 0; pass < 2; pass++) {
                double[] rate = new double[2];
                Thread[] pair = new Thread[2];
                for (int t = 0; t < 2; t++) {
                    int me = t;
                    pair[t] = new Thread(() -> {
                        long cpu = threads.getCurrentThreadCpuTime();
                        for (int i = 0; i < QUERIES; i++) store.nearMatches(queries[(i + me * QUERIES / 2) % QUERIES], RADIUS);
                        rate[me] = QUERIES / ((threads.getCurrentThreadCpuTime() - cpu) / 1e9);
                    });
                    pair[t].start();
                }
                for (Thread t : pair) t.join();
                System.out.printf("  two threads together: %,.0f + %,.0f = %,.0f queries per CPU second of each%n",
                        rate[0], rate[1], rate[0] + rate[1]);
            }
            if (withMatch == 0) throw new IllegalStateException("no planted hash found: the store is not the generated one");
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith("RssAnon") || l.startsWith("RssFile") || l.startsWith("VmHWM")) System.out.println("  " + l);
            }
            Runtime rt = Runtime.getRuntime();
            System.out.printf("  heap used %d MiB of max %d MiB%n", (rt.totalMemory() - rt.freeMemory()) >> 20, rt.maxMemory() >> 20);
            store.close();
            System.clearProperty("triage.pdq.slots");
        }
    }

    /** The benchmark's queries: seeded, the same every run and in {@link Generate}. */
    static PdqHash[] queries() {
        SplittableRandom rnd = new SplittableRandom(QUERY_SEED);
        PdqHash[] q = new PdqHash[QUERIES];
        for (int i = 0; i < QUERIES; i++) q[i] = new PdqHash(rnd.nextLong(), rnd.nextLong(), rnd.nextLong(), rnd.nextLong());
        return q;
    }

    /** Builds the store in a child JVM of 512 MiB heap: the import of 10 M PDQ hashes must fit there. */
    static void generateInChild(Path dir, int entries) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                Generate.class.getName(), dir.toString(), String.valueOf(entries)).inheritIO().start();
        if (p.waitFor() != 0) throw new IOException("generating the PDQ store failed (exit " + p.exitValue() + ")");
    }

    /** Writes the seeded list as text ({@code hash,quality,category}) and imports it with {@code --format pdq}. */
    public static final class Generate {
        public static void main(String[] args) throws IOException {
            Path dir = Path.of(args[0]);
            int entries = Integer.parseInt(args[1]);
            Path list = dir.resolveSibling(dir.getFileName() + ".pdq");
            SplittableRandom stored = new SplittableRandom(STORED_SEED);
            SplittableRandom plant = new SplittableRandom(PLANT_SEED);
            PdqHash[] queries = queries();
            try (OutputStream w = new BufferedOutputStream(Files.newOutputStream(list), 1 << 20)) {
                for (PdqHash q : queries) {
                    w.write((flip(q, plant.nextInt(41), plant).hex() + ",90,1\n").getBytes(StandardCharsets.US_ASCII));
                }
                for (int i = 0; i < entries; i++) {
                    PdqHash h = new PdqHash(stored.nextLong(), stored.nextLong(), stored.nextLong(), stored.nextLong());
                    w.write((h.hex() + "," + stored.nextInt(101) + "\n").getBytes(StandardCharsets.US_ASCII));
                }
            }
            long t0 = System.nanoTime();
            try (HashStoreAdmin s = RocksHashStore.openWritable(dir)) {
                s.importSet(new ImportRequest(list, "bench-pdq", SetKind.ALERT, ImportFormat.PDQ, null, false, "bench", true));
            }
            Runtime rt = Runtime.getRuntime();
            System.out.printf("imported %,d PDQ hashes in %.1f s, max heap %d MiB%n", entries + QUERIES,
                    (System.nanoTime() - t0) / 1e9, rt.maxMemory() >> 20);
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith("VmHWM")) System.out.println("  " + l);
            }
            Files.delete(list);
        }

        private static PdqHash flip(PdqHash h, int bits, SplittableRandom rnd) {
            long[] w = {h.w0(), h.w1(), h.w2(), h.w3()};
            List<Integer> chosen = new ArrayList<>();
            while (chosen.size() < bits) {
                int b = rnd.nextInt(PdqHash.BITS);
                if (!chosen.contains(b)) chosen.add(b);
            }
            for (int b : chosen) w[b >>> 6] ^= 1L << (b & 63);
            return new PdqHash(w[0], w[1], w[2], w[3]);
        }
    }

    @State(Scope.Thread)
    public static class Cursor {
        int i;
    }

    @Benchmark
    @Threads(1)
    public List<NearMatch> near1(Store s, Cursor c) {
        return s.store.nearMatches(s.queries[c.i++ & (QUERIES - 1)], RADIUS);
    }

    @Benchmark
    @Threads(2)
    public List<NearMatch> near2(Store s, Cursor c) {
        return s.store.nearMatches(s.queries[c.i++ & (QUERIES - 1)], RADIUS);
    }
}
