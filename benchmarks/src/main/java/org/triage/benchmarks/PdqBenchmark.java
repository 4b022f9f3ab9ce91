package org.triage.benchmarks;

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
import org.triage.pdq.PdqDihedralResult;
import org.triage.pdq.PdqHasher;
import org.triage.pdq.PdqPixels;
import org.triage.pdq.PixelLayout;
import org.triage.pdq.PdqResult;

/**
 * The PDQ arithmetic alone, on one thread, on a picture already decoded to RGB bytes: what the C++
 * reference times as "hash seconds" (luminance, filter, DCT, bits, after its resize to 512x512).
 * {@code 512x512} is the reference's working size; {@code 4032x3024} (a 12-megapixel photo) adds
 * the nearest-neighbour sampling down to it. Decoding is not included: the scan's decoder is
 * measured on its own (issue 12 item 2).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PdqBenchmark {
    @Param({"512x512", "4032x3024"})
    public String size;

    private PdqHasher hasher;
    private PdqPixels pixels;

    @Setup
    public void setUp() {
        String[] wh = size.split("x");
        int w = Integer.parseInt(wh[0]);
        int h = Integer.parseInt(wh[1]);
        pixels = PdqPixels.packed(photoLike(w, h, new Random(42)), w, h, PixelLayout.RGB);
        hasher = new PdqHasher();
    }

    /** Smooth colour gradients with a little noise: a picture with structure at every scale the hash looks at. */
    private static byte[] photoLike(int w, int h, Random random) {
        byte[] rgb = new byte[w * h * 3];
        for (int y = 0, o = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double u = (double) x / w;
                double v = (double) y / h;
                rgb[o++] = (byte) clamp(128 + 100 * Math.sin(7 * u + 3 * v) + random.nextInt(16));
                rgb[o++] = (byte) clamp(128 + 90 * Math.cos(5 * v - 2 * u) + random.nextInt(16));
                rgb[o++] = (byte) clamp(128 + 80 * Math.sin(11 * u * v) + random.nextInt(16));
            }
        }
        return rgb;
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, v));
    }

    @Benchmark
    public PdqResult hash() {
        return hasher.hash(pixels);
    }

    /** The eight rotations and flips from one DCT. */
    @Benchmark
    public PdqDihedralResult hashDihedral() {
        return hasher.hashDihedral(pixels);
    }
}
