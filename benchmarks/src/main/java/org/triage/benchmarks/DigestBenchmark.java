package org.triage.benchmarks;

import com.sun.jna.Memory;
import java.security.MessageDigest;
import java.util.EnumSet;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.triage.hash.ChunkDigest;
import org.triage.model.Algorithm;

/**
 * Single-thread digest rate over 1 MiB buffers: the JVM's {@link MessageDigest} on a Java array,
 * the scan's {@link ChunkDigest} (OpenSSL's libcrypto where installed) on native memory, and the
 * JVM's three in one pass. Score is 1 MiB operations per second: multiply by 1.048576 for MB/s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DigestBenchmark {
    private static final int SIZE = 1 << 20;

    @Param({"md5", "sha1", "sha256"})
    public String algorithm;

    private byte[] buffer;
    private MessageDigest digest;
    private MultiDigest all;
    private Memory nativeBuffer;
    private ChunkDigest chunkDigest;

    @Setup
    public void setUp() throws Exception {
        buffer = new byte[SIZE];
        new Random(42).nextBytes(buffer);
        digest = MessageDigest.getInstance(Algorithm.parse(algorithm).jcaName());
        all = new MultiDigest(EnumSet.allOf(Algorithm.class));
        nativeBuffer = new Memory(SIZE);
        nativeBuffer.write(0, buffer, 0, SIZE);
        chunkDigest = ChunkDigest.of(Algorithm.parse(algorithm));
    }

    /** What the scan's hashers do with each chunk (OpenSSL where installed; see the report's digests_by). */
    @Benchmark
    public byte[] chunkDigest() {
        chunkDigest.update(nativeBuffer, SIZE);
        return chunkDigest.finish();
    }

    @Benchmark
    public byte[] oneAlgorithm() {
        digest.update(buffer, 0, SIZE);
        return digest.digest();
    }

    /** All three in one pass (the parameter is ignored: run once per value, any will do). */
    @Benchmark
    public Object allThreeOnePass() {
        all.update(buffer, 0, SIZE);
        return all.finish();
    }
}
