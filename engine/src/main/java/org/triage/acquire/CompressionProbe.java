package org.triage.acquire;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Whether deflating one E01 chunk can make it smaller, judged for a small fraction of what
 * deflating it costs: a chunk of random-looking bytes (compressed or encrypted files, which are
 * most of a seized drive's bytes) is one zlib cannot shrink, and libewf then stores it raw anyway
 * after spending ~0.5 ms of zlib on it. The probe lets the writer store such chunks raw directly.
 *
 * <p>Two tests, both over the whole chunk, in one and (for random-looking chunks only) two passes:
 * <ol>
 *   <li>The byte histogram's entropy (Shannon, with the Miller-Madow correction for a finite
 *       chunk, so a short last chunk of random bytes is judged as random). Below
 *       {@value #ENTROPY_FLOOR} bits a byte, deflate's Huffman codes alone save something: compress.
 *       Measured with zlib -1 on 32 KiB chunks: at 7.95 corrected bits it saves about 0.2%, at
 *       7.90 0.7%; so a chunk stored raw by this test costs the image at most ~0.2% of its size.
 *   <li>Repeats, which the histogram cannot see (a random 4 KiB block written 8 times is uniform
 *       bytes, yet deflate halves it): the 8 bytes after each occurrence of one anchor byte value
 *       (1 in 256 positions of random data, ~128 a chunk) are keyed in a small table; one key seen
 *       twice means a repeat of 9 bytes or more, and zlib is left to decide. A repeat of a 512-byte
 *       sector holds an anchor 86% of the time, a 4 KiB repeat all but always.
 * </ol>
 * A wrong "compress" costs only time (libewf still stores a chunk raw when deflate does not shrink
 * it); a wrong "raw" costs at most the small saving described, never correctness: either way the
 * chunk is one libewf writes and reads.
 *
 * <p>Mutable scratch (histogram, anchor table): one probe per thread; no allocation per chunk.
 */
final class CompressionProbe {
    /** Corrected bits a byte from which a chunk is treated as incompressible (see the class comment). */
    static final double ENTROPY_FLOOR = 7.95;
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final int ANCHOR = 0xA7;
    private static final long ANCHORS = ANCHOR * ONES;
    private static final int TABLE_BITS = 10;
    /** More anchors than this in one chunk is no random chunk: compress. */
    private static final int MAX_ANCHORS = (1 << TABLE_BITS) / 2;
    private static final double LN2 = Math.log(2);
    /** The prefix judged first (see {@link #entropy}). */
    private static final int PREFIX = 4096;

    /** Four histograms, interleaved by byte lane, so consecutive increments rarely hit one counter. */
    private final int[] counts = new int[4 * 256];
    private final long[] keys = new long[1 << TABLE_BITS];

    /**
     * @param chunk  the chunk's bytes from index 0 (position and limit are ignored and kept)
     * @param length the chunk's length, at most {@code chunk.capacity()}
     * @return whether deflate may shrink it (false: store it raw, zlib would not)
     */
    boolean worthCompressing(ByteBuffer chunk, int length) {
        if (length < 64) return true;
        ByteBuffer b = chunk.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (entropy(b, length) < ENTROPY_FLOOR) return true;
        return repeats(b, length);
    }

    /**
     * Bits a byte of the whole chunk, Miller-Madow corrected; or 0 when its first {@value #PREFIX}
     * bytes are already far from random (text, zeros, tables: most compressible chunks), without
     * counting the rest. "Far": their collision entropy (log2 of n^2 / sum of squared counts, no
     * logarithm per value needed) is under 7 bits, where random bytes give ~7.9; a chunk that
     * starts like that is worth compressing whatever follows (deflate saves a few percent of that
     * 4 KiB at least, more than its block overhead), and the verdict is all the figure is for.
     */
    private double entropy(ByteBuffer b, int length) {
        int[] c = counts;
        Arrays.fill(c, 0);
        int prefix = Math.min(PREFIX, length) & ~7;
        count(b, 0, prefix);
        if (prefix < length && collisions() > (long) prefix * prefix / 128) return 0;
        int end = length & ~7;
        count(b, prefix, end);
        for (int i = end; i < length; i++) c[b.get(i) & 0xff]++;
        return bits(length);
    }

    /** Adds bytes [from, to) to the histograms; both multiples of 8. */
    private void count(ByteBuffer b, int from, int to) {
        int[] c = counts;
        for (int i = from; i < to; i += 8) {
            long w = b.getLong(i);
            c[(int) w & 0xff]++;
            c[256 + ((int) (w >>> 8) & 0xff)]++;
            c[512 + ((int) (w >>> 16) & 0xff)]++;
            c[768 + ((int) (w >>> 24) & 0xff)]++;
            c[(int) (w >>> 32) & 0xff]++;
            c[256 + ((int) (w >>> 40) & 0xff)]++;
            c[512 + ((int) (w >>> 48) & 0xff)]++;
            c[768 + (int) (w >>> 56)]++;
        }
    }

    /** The sum of the squared counts. */
    private long collisions() {
        int[] c = counts;
        long sum = 0;
        for (int v = 0; v < 256; v++) {
            long k = c[v] + c[256 + v] + c[512 + v] + c[768 + v];
            sum += k * k;
        }
        return sum;
    }

    /** The histograms' entropy over {@code n} counted bytes, bits a byte, Miller-Madow corrected. */
    private double bits(int n) {
        int[] c = counts;
        double sum = 0;
        int seen = 0;
        for (int v = 0; v < 256; v++) {
            int k = c[v] + c[256 + v] + c[512 + v] + c[768 + v];
            if (k == 0) continue;
            seen++;
            sum += k * Math.log(k);
        }
        double plugIn = (Math.log(n) - sum / n) / LN2;
        return plugIn + (seen - 1) / (2.0 * n * LN2);
    }

    /** Whether the 8 bytes after some anchor byte occur twice (in little-endian word order). */
    private boolean repeats(ByteBuffer b, int length) {
        long[] t = keys;
        Arrays.fill(t, 0);
        int anchors = 0;
        for (int i = 0; i + 8 <= length; i += 8) {
            long x = b.getLong(i) ^ ANCHORS;
            long hits = (x - ONES) & ~x & HIGHS;
            while (hits != 0) {
                int pos = i + (Long.numberOfTrailingZeros(hits) >>> 3);
                hits &= hits - 1;
                // The bit trick may flag a byte above a real hit: look at the byte itself.
                if ((b.get(pos) & 0xff) != ANCHOR || pos + 9 > length) continue;
                if (++anchors > MAX_ANCHORS) return true;
                long key = b.getLong(pos + 1);
                if (key == 0) key = 1;
                int slot = (int) ((key * 0x9E3779B97F4A7C15L) >>> (64 - TABLE_BITS));
                while (t[slot] != 0) {
                    if (t[slot] == key) return true;
                    slot = (slot + 1) & (t.length - 1);
                }
                t[slot] = key;
            }
        }
        return false;
    }
}
