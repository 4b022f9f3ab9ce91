package org.triage.pdq;

import org.triage.model.PdqHash;
import java.util.Arrays;

/**
 * The part of the 64x64 DCT-II that PDQ keeps: frequencies 1-16 in each direction (the DC term
 * and everything above 16 are dropped), as {@code B = D A D^T} with D the 16x64 matrix
 * {@code sqrt(2/64) cos(pi/128 (i+1) (2j+1))}. Then the hash bits: a coefficient above the block's
 * median sets its bit.
 *
 * <p>The matrix is computed in double and stored in float, the scale factor rounded to float first,
 * as the reference does. The products sum each element in float from k = 0 to 63, the reference's
 * order; the loops are turned so that the innermost one runs along a row of the output, which the
 * JIT vectorises without changing any element's order of operations (Java never fuses a multiply
 * and an add).
 *
 * <p>Not thread-safe: it owns its intermediate and sorting buffers.
 */
final class Dct16 {
    static final int N = 16;
    private static final int IN = 64;
    /** D, 16 rows of 64. */
    private static final float[] D = new float[N * IN];
    /** D transposed, 64 rows of 16. */
    private static final float[] DT = new float[IN * N];

    static {
        float scale = (float) Math.sqrt(2.0 / IN);
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < IN; j++) {
                float d = (float) (scale * StrictMath.cos((Math.PI / 2.0 / IN) * (i + 1) * (2 * j + 1)));
                D[i * IN + j] = d;
                DT[j * N + i] = d;
            }
        }
    }

    private final float[] t = new float[N * IN];
    private final float[] variant = new float[N * N];
    private final float[] sorted = new float[N * N];

    /** {@code out} (16x16) = D {@code a} (64x64) D^T. */
    void transform(float[] a, float[] out) {
        // T = D A, 16x64: T[i][j] = sum over k of D[i][k] A[k][j]
        Arrays.fill(t, 0f);
        for (int i = 0; i < N; i++) {
            int ti = i * IN;
            for (int k = 0; k < IN; k++) {
                float d = D[i * IN + k];
                int ak = k * IN;
                for (int j = 0; j < IN; j++) t[ti + j] += d * a[ak + j];
            }
        }
        // B = T D^T, 16x16: B[i][j] = sum over k of T[i][k] D[j][k]
        Arrays.fill(out, 0, N * N, 0f);
        for (int i = 0; i < N; i++) {
            int bi = i * N;
            for (int k = 0; k < IN; k++) {
                float tik = t[i * IN + k];
                int dk = k * N;
                for (int j = 0; j < N; j++) out[bi + j] += tik * DT[dk + j];
            }
        }
    }

    /**
     * The hash of one rotation or flip of the picture whose coefficients are {@code dct}: bit
     * {@code 16 i + j} is set when the variant's coefficient (i, j) is above the median, the 128th
     * smallest of the 256 (the value the reference's Torben selection returns).
     */
    PdqHash bits(float[] dct, Dihedral d) {
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < N; j++) {
                int oi = d.transpose() ? j : i;
                int oj = d.transpose() ? i : j;
                float v = dct[oi * N + oj];
                variant[i * N + j] = d.negates(oi, oj) ? -v : v;
            }
        }
        System.arraycopy(variant, 0, sorted, 0, N * N);
        Arrays.sort(sorted);
        float median = sorted[N * N / 2 - 1];
        long w0 = 0, w1 = 0, w2 = 0, w3 = 0;
        for (int k = 0; k < N * N; k++) {
            if (variant[k] <= median) continue;
            long bit = 1L << (k & 63);
            switch (k >>> 6) {
                case 0 -> w0 |= bit;
                case 1 -> w1 |= bit;
                case 2 -> w2 |= bit;
                default -> w3 |= bit;
            }
        }
        return new PdqHash(w0, w1, w2, w3);
    }
}
