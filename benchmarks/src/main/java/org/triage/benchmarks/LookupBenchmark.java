package org.triage.benchmarks;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.triage.model.Algorithm;
import org.triage.model.Match;
import org.triage.model.SetKind;
import org.triage.store.HashStore;
import org.triage.store.HashStoreAdmin;
import org.triage.store.ImportFormat;
import org.triage.store.ImportRequest;
import org.triage.store.RocksHashStore;

/**
 * Lookups against a store of {@code entries} random MD5 digests: hits (digests that are in the
 * store) and misses (random digests, the common case: most files on a drive are not known).
 * The store is built once under {@code target/} (seeded, so the same digests every time) through
 * the ordinary import, in the benchmark's own 512 MiB heap, and reused by later runs; building 100
 * million entries takes a few minutes (the text list alone is 3.3 GB, deleted afterwards).
 * At the end of a trial the fork prints its RssAnon (anonymous resident memory: heap, RocksDB's
 * filters and indexes) and RssFile (the store's memory-mapped pages, which are page cache).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xmx512m"})
public class LookupBenchmark {
    private static final int PROBES = 1 << 20;

    @State(Scope.Benchmark)
    public static class Store {
        @Param({"100000000"})
        public int entries;

        HashStore store;
        byte[][] present;
        byte[][] absent;

        @Setup(Level.Trial)
        public void open() throws IOException {
            Path dir = Path.of("target", "bench-store-" + entries);
            SplittableRandom rnd = new SplittableRandom(1234);
            present = new byte[PROBES][];
            // Every (entries / PROBES)-th generated digest is kept as a known-present probe.
            int stride = Math.max(1, entries / PROBES);
            if (!Files.isDirectory(dir)) {
                Path list = Path.of("target", "bench-list-" + entries + ".txt");
                byte[] d = new byte[16];
                byte[] line = new byte[33];
                line[32] = '\n';
                byte[] digits = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
                try (OutputStream w = new BufferedOutputStream(Files.newOutputStream(list), 1 << 20)) {
                    for (int i = 0; i < entries; i++) {
                        nextDigest(rnd, d);
                        for (int j = 0; j < 16; j++) {
                            line[2 * j] = digits[(d[j] >> 4) & 15];
                            line[2 * j + 1] = digits[d[j] & 15];
                        }
                        w.write(line);
                    }
                }
                try (HashStoreAdmin s = RocksHashStore.openWritable(dir)) {
                    s.importSet(new ImportRequest(list, "bench", SetKind.ALERT, ImportFormat.PLAIN, "A", false, "bench"));
                }
                Files.delete(list);
                rnd = new SplittableRandom(1234);
            }
            int k = 0;
            for (int i = 0; i < entries && k < PROBES; i++) {
                byte[] d = new byte[16];
                nextDigest(rnd, d);
                if (i % stride == 0) present[k++] = d;
            }
            for (; k < PROBES; k++) present[k] = present[k % Math.max(1, k)];
            absent = new byte[PROBES][];
            SplittableRandom other = new SplittableRandom(98765);
            for (int i = 0; i < PROBES; i++) {
                absent[i] = new byte[16];
                nextDigest(other, absent[i]);
            }
            warm(dir);
            store = RocksHashStore.openReadOnly(dir);
            if (store.lookup(Algorithm.MD5, present[0]).isEmpty()) throw new IllegalStateException("probe not found");
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith("RssAnon") || l.startsWith("RssFile") || l.startsWith("VmHWM")) System.out.println("  " + l);
            }
            Runtime rt = Runtime.getRuntime();
            System.out.printf("  heap used %d MiB of max %d MiB%n", (rt.totalMemory() - rt.freeMemory()) >> 20, rt.maxMemory() >> 20);
            store.close();
        }

        /**
         * One sequential pass over the store's files, so the figures are those of a store in the page
         * cache (SstFileWriter drops the pages it writes from the cache; without this pass, hits would
         * measure the disk's random reads instead).
         */
        private static void warm(Path dir) throws IOException {
            byte[] buf = new byte[1 << 20];
            try (var files = Files.list(dir)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    if (!f.getFileName().toString().endsWith(".sst")) continue;
                    try (var in = Files.newInputStream(f)) {
                        while (in.read(buf) > 0) {
                            // only to bring the pages into the cache
                        }
                    }
                }
            }
        }

        private static void nextDigest(SplittableRandom rnd, byte[] d) {
            for (int i = 0; i < d.length; i += 8) {
                long v = rnd.nextLong();
                for (int j = 0; j < 8; j++) d[i + j] = (byte) (v >>> (8 * j));
            }
        }
    }

    @State(Scope.Thread)
    public static class Cursor {
        int i;
    }

    @Benchmark
    @Threads(1)
    public List<Match> hit1(Store s, Cursor c) {
        return s.store.lookup(Algorithm.MD5, s.present[c.i++ & (PROBES - 1)]);
    }

    @Benchmark
    @Threads(1)
    public List<Match> miss1(Store s, Cursor c) {
        return s.store.lookup(Algorithm.MD5, s.absent[c.i++ & (PROBES - 1)]);
    }

    @Benchmark
    @Threads(2)
    public List<Match> hit2(Store s, Cursor c) {
        return s.store.lookup(Algorithm.MD5, s.present[c.i++ & (PROBES - 1)]);
    }

    @Benchmark
    @Threads(2)
    public List<Match> miss2(Store s, Cursor c) {
        return s.store.lookup(Algorithm.MD5, s.absent[c.i++ & (PROBES - 1)]);
    }
}
