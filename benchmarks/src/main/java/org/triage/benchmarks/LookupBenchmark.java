package org.triage.benchmarks;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
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
import org.triage.store.RocksHashStore;

/**
 * Lookups against a store of {@code entries} random MD5 digests: hits (digests that are in the
 * store) and misses (random digests, the common case: most files on a drive are not known).
 * The store is built once under {@code target/} (seeded, so the same digests every time) and
 * reused by later runs; building 10 million entries takes a minute or two.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class LookupBenchmark {
    private static final int PROBES = 1 << 20;

    @State(Scope.Benchmark)
    public static class Store {
        @Param({"10000000"})
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
                HexFormat hex = HexFormat.of();
                byte[] d = new byte[16];
                try (BufferedWriter w = Files.newBufferedWriter(list, StandardCharsets.US_ASCII)) {
                    for (int i = 0; i < entries; i++) {
                        nextDigest(rnd, d);
                        w.write(hex.formatHex(d));
                        w.write('\n');
                    }
                }
                try (RocksHashStore s = RocksHashStore.openWritable(dir)) {
                    s.importHashList(list, "bench", SetKind.ALERT, "A", false);
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
            store = RocksHashStore.openReadOnly(dir);
            if (store.lookup(Algorithm.MD5, present[0]).isEmpty()) throw new IllegalStateException("probe not found");
        }

        @TearDown(Level.Trial)
        public void close() {
            store.close();
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
