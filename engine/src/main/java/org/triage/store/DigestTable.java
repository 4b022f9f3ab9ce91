package org.triage.store;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The digests of one algorithm read from one hash list, packed flat: digest {@code i} is bytes
 * {@code [i*width, (i+1)*width)} of one array and its category id is {@code categories[i]}. A file of
 * millions of lines thus costs two arrays rather than millions of {@code byte[]} objects:
 * {@code width + 4} bytes per line while reading, plus 12 per line while sorting.
 *
 * <p>{@link #sortDistinct()} orders the digests as unsigned bytes, the order SstFileWriter requires
 * (strictly increasing keys), and drops repeats, keeping the entry of the most severe category (by a
 * rank per category code; the first line's on a tie, or without ranks). It sorts a
 * {@code long[]} whose high half is one 4-byte word of the digest (sign bit flipped so signed
 * order is unsigned order) and whose low half is the line's index, with {@link Arrays#sort(long[])}:
 * runs that tie on a word are re-sorted on the next word. Ties on the whole digest end up in index
 * order, so the first occurrence comes first without a stable sort.
 *
 * <p>Not thread-safe; owned by one import.
 */
final class DigestTable {
    private static final VarHandle WORD = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final int INITIAL = 1024;
    /** Ranges longer than this are radix-sorted. */
    private static final int RADIX_MIN = 2048;

    private final int width;
    private final long maxEntries;
    private byte[] digests;
    private int[] categories;
    private int size;
    /** Work space of the radix sort, during {@link #sortDistinct} only. */
    private long[] scratch;
    /** Digests whose repeats carried different categories, found by the last {@link #sortDistinct}. */
    private int conflicts;

    DigestTable(int width) {
        this(width, INITIAL);
    }

    /** A table with room for {@code capacity} entries before it grows. */
    DigestTable(int width, int capacity) {
        if (width % 4 != 0) throw new IllegalArgumentException("digest width " + width + " is not a multiple of 4");
        this.width = width;
        this.maxEntries = (Integer.MAX_VALUE - 16) / width;
        int cap = (int) Math.min(maxEntries, Math.max(1, capacity));
        this.digests = new byte[cap * width];
        this.categories = new int[cap];
    }

    /** Most digests one table can hold (the flat array's limit). */
    long maxEntries() { return maxEntries; }

    int width() { return width; }

    int size() { return size; }

    boolean isFull() { return size >= maxEntries; }

    /** Appends one digest ({@code width} bytes of {@code src} from {@code off}). */
    void add(byte[] src, int off, int category) {
        if (size == categories.length) grow();
        System.arraycopy(src, off, digests, size * width, width);
        categories[size++] = category;
    }

    private void grow() {
        long cap = Math.min(maxEntries, Math.max(INITIAL, (long) categories.length * 2));
        if (cap <= size) throw new IllegalStateException("digest table full at " + size + " entries");
        digests = Arrays.copyOf(digests, (int) (cap * width));
        categories = Arrays.copyOf(categories, (int) cap);
    }

    /** The packed digests; entry {@code i} starts at {@code i * width()}. */
    byte[] digests() { return digests; }

    int category(int index) { return categories[index]; }

    /**
     * Indices of the distinct digests in increasing unsigned order, each the first line that had it.
     * The number of repeats dropped is {@code size() - result.length}.
     */
    int[] sortDistinct() {
        return sortDistinct(null);
    }

    /**
     * As {@link #sortDistinct()}, but among the repeats of one digest the entry kept is the one whose
     * category code {@code c} has the highest {@code rank[c]} (codes past the array rank 0), the first
     * on a tie. A digest repeated with different categories is counted in {@link #conflicts()}.
     */
    int[] sortDistinct(int[] rank) {
        long[] keys = new long[size];
        for (int i = 0; i < size; i++) keys[i] = i;
        scratch = size > RADIX_MIN ? new long[size] : null;
        sortRange(keys, 0, size, 0);
        scratch = null;
        int[] order = new int[size];
        int n = 0;
        conflicts = 0;
        int i = 0;
        while (i < size) {
            int first = (int) keys[i];
            int best = first;
            boolean differ = false;
            int j = i + 1;
            for (; j < size && same(first, (int) keys[j]); j++) {
                int idx = (int) keys[j];
                if (categories[idx] != categories[first]) differ = true;
                if (rank != null && rank(rank, categories[idx]) > rank(rank, categories[best])) best = idx;
            }
            if (differ) conflicts++;
            order[n++] = best;
            i = j;
        }
        return n == size ? order : Arrays.copyOf(order, n);
    }

    /** Digests repeated with different categories, as found by the last {@link #sortDistinct}. */
    int conflicts() { return conflicts; }

    private static int rank(int[] rank, int code) {
        // A PDQ record's code carries its quality in the high byte: the category decides, not the quality.
        code = ValueRecords.category(code);
        return code >= 0 && code < rank.length ? rank[code] : 0;
    }

    private boolean same(int a, int b) {
        // Most neighbours differ in their first 8 bytes: compare those before the whole digest.
        return (width < 8 || (long) LONG.get(digests, a * width) == (long) LONG.get(digests, b * width))
                && Arrays.equals(digests, a * width, a * width + width, digests, b * width, b * width + width);
    }

    /**
     * Stable LSD radix sort of keys[from, to) on their high 32 bits, a byte per pass; a pass whose
     * byte is the same in every key (the bucket's own byte) is skipped. Stability keeps ties in
     * index order, as sorting the whole long would.
     */
    private void radixSortHigh(long[] keys, int from, int to) {
        long[] src = keys;
        long[] dst = scratch;
        int srcOff = from;
        int dstOff = 0;
        int n = to - from;
        int[] count = new int[256];
        for (int shift = 32; shift < 64; shift += 8) {
            // Keys order as signed longs (Arrays.sort's order): the top byte's sign bit is flipped.
            int flip = shift == 56 ? 0x80 : 0;
            Arrays.fill(count, 0);
            for (int i = 0; i < n; i++) count[((int) (src[srcOff + i] >>> shift) & 0xff) ^ flip]++;
            if (count[((int) (src[srcOff] >>> shift) & 0xff) ^ flip] == n) continue;
            int sum = 0;
            for (int b = 0; b < 256; b++) {
                int c = count[b];
                count[b] = sum;
                sum += c;
            }
            for (int i = 0; i < n; i++) {
                long k = src[srcOff + i];
                dst[dstOff + count[((int) (k >>> shift) & 0xff) ^ flip]++] = k;
            }
            long[] t = src;
            src = dst;
            dst = t;
            int o = srcOff;
            srcOff = dstOff;
            dstOff = o;
        }
        if (src != keys) System.arraycopy(src, srcOff, keys, from, n);
    }

    private void sortRange(long[] keys, int from, int to, int wordOffset) {
        for (int i = from; i < to; i++) {
            int idx = (int) keys[i];
            int word = (int) WORD.get(digests, idx * width + wordOffset);
            keys[i] = ((long) (word ^ Integer.MIN_VALUE) << 32) | idx;
        }
        if (to - from > RADIX_MIN) {
            radixSortHigh(keys, from, to);
        } else {
            Arrays.sort(keys, from, to);
        }
        if (wordOffset + 4 >= width) return;
        int runStart = from;
        for (int i = from + 1; i <= to; i++) {
            if (i == to || (keys[i] >>> 32) != (keys[runStart] >>> 32)) {
                if (i - runStart > 1) sortRange(keys, runStart, i, wordOffset + 4);
                runStart = i;
            }
        }
    }
}
