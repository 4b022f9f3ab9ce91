package org.triage.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.triage.model.Match;
import org.triage.model.NearMatch;
import org.triage.model.PdqHash;

/**
 * The live sets' PDQ hashes in memory, indexed for "every stored hash within distance d of this
 * one" by multi-index hashing (Norouzi et al.; ThreatExchange's {@code pdq/README-MIH.md}).
 *
 * <h2>Why exact, and how</h2>
 * The 256 bits are cut into {@code m} slots of consecutive bits ({@link #slotsFor}: for 10 M hashes
 * m = 12, four slots of 22 bits and eight of 21; for up to 262,143, m = 16, the sixteen 16-bit words
 * {@link PdqHash#slot}). If two hashes differ in at most d
 * bits, then by pigeonhole some slot differs in at most {@code r = floor(d / m)} bits. So the query
 * probes, in every slot, each value within r bits of its own value of that slot, takes every
 * stored hash whose slot holds such a value as a candidate, and keeps the candidates whose full
 * Hamming distance is at most d. A hash found through slot s is reported only if no earlier slot
 * was within r (it was reported there), so nothing comes twice. This is exact for every d, not
 * only 31: a larger d probes a larger r. When the probes would cost more than reading every hash
 * (large d), the query compares every hash instead, which is exact too.
 *
 * <h2>Layout, and why (measured on 10 M random hashes: docs/store-layout.md)</h2>
 * <ul>
 * <li>{@code words}: entry e's hash is {@code words[4e .. 4e+3]} (w0..w3), 32 bytes, in key order.</li>
 * <li>Per slot s: {@code members[s]}, the entry numbers sorted by their value of slot s (counting
 *     sort), and {@code offsets[s][v] .. offsets[s][v+1]}, where value v's bucket lies in it.</li>
 * <li>{@code owner[e]}: which (set, category, quality) the entry is, an index into tables built once
 *     (a handful of rows), so a hit costs no new {@link Match}.</li>
 * </ul>
 * About {@code 36 + 4m} bytes per stored hash plus {@code 4 x 2^width} per slot (for m = 12, 128 MB; never
 * more than the members, as {@link #slotsFor} keeps {@code 2^width <= n});
 * a query's cost is its candidates, each one read of 32 bytes at a random place in {@code words}.
 * With random hashes m = 16 gives 272 probes and about {@code 272 n / 65,536} candidates (41,600 for
 * 10 M); m = 12 gives 2,872 probes and about {@code 11,300} candidates for 10 M, which measured faster:
 * the candidates are cache misses, the probes mostly not. Keeping each bucket's hashes contiguous
 * would avoid the misses but costs {@code 32 m} bytes per hash (5 GB for 10 M at m = 16).
 * A hot bucket (real hashes cluster: blank and near-blank pictures) costs its size in candidates for
 * every query that probes it; {@code docs/store-layout.md} says what that measured.
 *
 * <p>Immutable once built; {@link #nearMatches} is safe from any number of threads. Built for one
 * {@link LiveSets} instance; the store builds a new one when the live sets change.
 */
final class PdqIndex {
    private static final System.Logger LOG = System.getLogger(PdqIndex.class.getName());
    static final int MIN_SLOTS = 12;
    static final int MAX_SLOTS = 16;
    /** A query reads every hash instead once its probes and candidates (estimated) exceed the hashes over this. */
    private static final int LINEAR_FRACTION = 1;

    private final LiveSets live;
    private final int size;
    private final long[] words;
    private final int[] owner;
    private final Match[] ownerMatch;
    private final int[] ownerQuality;
    private final int slots;
    private final int[] start;
    private final int[] width;
    private final int[][] offsets;
    private final int[][] members;
    /** Radii whose probe masks are made with the index: up to 3, distance 63 at 16 slots. */
    private static final int PRESET_RADII = 4;
    /** By slot width, by radius below {@link #PRESET_RADII}: every value of that width with at most that many bits. */
    private final int[][][] presetMasks;

    private PdqIndex(LiveSets live, int size, long[] words, int[] owner, Match[] ownerMatch, int[] ownerQuality,
                     int slots) {
        this.live = live;
        this.size = size;
        this.words = words;
        this.owner = owner;
        this.ownerMatch = ownerMatch;
        this.ownerQuality = ownerQuality;
        this.slots = slots;
        this.start = new int[slots];
        this.width = new int[slots];
        int p = 0;
        for (int s = 0; s < slots; s++) {
            width[s] = PdqHash.BITS / slots + (s < PdqHash.BITS % slots ? 1 : 0);
            start[s] = p;
            p += width[s];
        }
        this.presetMasks = new int[PdqHash.BITS / slots + 2][][];
        for (int w : width) {
            if (presetMasks[w] != null) continue;
            presetMasks[w] = new int[PRESET_RADII][];
            for (int r = 0; r < PRESET_RADII; r++) presetMasks[w][r] = masksOf(w, r);
        }
        this.offsets = new int[slots][];
        this.members = new int[slots][];
        // Slots are independent: sorted side by side (the first query waits for this).
        IntStream.range(0, slots).parallel().forEach(this::sortSlot);
    }

    /**
     * The slot count for that many hashes: the fewest slots (the widest, so the fewest candidates)
     * whose widest slot has no more values than there are hashes, so that the bucket offsets never
     * outweigh the entries (Norouzi et al. advise a width near log2 n): 16 slots up to 262,143
     * hashes, 12 from 4,194,304 on. The {@code triage.pdq.slots} property (12-16) overrides it, for
     * benchmarks and tests.
     */
    static int slotsFor(long hashes) {
        String p = System.getProperty("triage.pdq.slots");
        if (p == null) {
            for (int m = MIN_SLOTS; m < MAX_SLOTS; m++) {
                int widest = (PdqHash.BITS + m - 1) / m;
                if (1L << widest <= hashes) return m;
            }
            return MAX_SLOTS;
        }
        int n;
        try {
            n = Integer.parseInt(p.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("triage.pdq.slots '" + p + "' is not a number from " + MIN_SLOTS + " to " + MAX_SLOTS);
        }
        if (n < MIN_SLOTS || n > MAX_SLOTS) {
            throw new IllegalArgumentException("triage.pdq.slots " + n + " is not from " + MIN_SLOTS + " to " + MAX_SLOTS);
        }
        return n;
    }

    /**
     * Reads the PDQ family whole (null: the store has none) and indexes the records of {@code live}'s
     * sets; records of other ids (failed, replaced, removed sets) are left out.
     */
    static PdqIndex build(RocksDB db, ColumnFamilyHandle family, LiveSets live) throws RocksDBException {
        long started = System.nanoTime();
        long expected = live.pdqCount();
        if (expected > Integer.MAX_VALUE / 4) {
            throw new IllegalStateException(expected + " PDQ hashes are more than one index holds (" + Integer.MAX_VALUE / 4 + ")");
        }
        int capacity = (int) expected;
        checkHeap(expected);
        long[] words = new long[4 * capacity];
        int[] owner = new int[capacity];
        Map<Long, Integer> owners = new HashMap<>();
        List<Match> ownerMatch = new ArrayList<>();
        List<Integer> ownerQuality = new ArrayList<>();
        int n = 0;
        if (family != null) {
            try (ReadOptions scan = new ReadOptions().setTotalOrderSeek(true).setFillCache(false);
                 RocksIterator it = db.newIterator(family, scan)) {
                // Read into reused arrays: 10 M keys would otherwise be 20 M short-lived arrays.
                byte[] key = new byte[PdqFamily.KEY_LENGTH];
                byte[] value = new byte[8 * ValueRecords.WIDTH];
                for (it.seekToFirst(); it.isValid(); it.next()) {
                    int length = it.value(value);
                    if (length > value.length) {
                        value = new byte[length * 2];
                        it.value(value);
                    }
                    boolean keyRead = false;
                    for (int r = 0; r < length / ValueRecords.WIDTH; r++) {
                        int setId = ValueRecords.setId(value, r);
                        LiveSets.LiveSet set = live.get(setId);
                        if (set == null) continue;
                        if (!keyRead) {
                            int k = it.key(key);
                            if (k != PdqFamily.KEY_LENGTH) {
                                throw new RocksDBException("a key of " + k + " bytes in the PDQ family (" + PdqFamily.KEY_LENGTH
                                        + " expected): the store is damaged");
                            }
                            keyRead = true;
                        }
                        if (n == owner.length) {
                            // More records than the set records count: cannot happen in a whole store; grow rather than fail.
                            owner = Arrays.copyOf(owner, Math.max(16, n * 2));
                            words = Arrays.copyOf(words, owner.length * 4);
                        }
                        for (int w = 0; w < 4; w++) words[4 * n + w] = PdqFamily.word(key, w);
                        int code = MetaTable.id(value, r * ValueRecords.WIDTH + 4);
                        long ownerKey = (long) setId << 32 | (code & 0xFFFF_FFFFL);
                        Integer o = owners.get(ownerKey);
                        if (o == null) {
                            o = ownerMatch.size();
                            owners.put(ownerKey, o);
                            ownerMatch.add(set.match(ValueRecords.category(code)));
                            ownerQuality.add(ValueRecords.quality(code));
                        }
                        owner[n++] = o;
                    }
                }
                it.status();
            }
        }
        int slots = slotsFor(n);
        int[] quality = new int[ownerQuality.size()];
        for (int i = 0; i < quality.length; i++) quality[i] = ownerQuality.get(i);
        long read = System.nanoTime();
        PdqIndex index = new PdqIndex(live, n, words, owner, ownerMatch.toArray(new Match[0]), quality, slots);
        LOG.log(System.Logger.Level.INFO, () -> String.format(java.util.Locale.ROOT,
                "PDQ index of %,d hashes: read in %.2f s, %d slots sorted in %.2f s", index.size, (read - started) / 1e9,
                slots, (System.nanoTime() - read) / 1e9));
        return index;
    }

    /** Heap the index of that many hashes takes: 36 + 4m bytes a hash, and the bucket starts. */
    static long heapBytes(long hashes) {
        int m = slotsFor(hashes);
        long bytes = hashes * (36L + 4L * m);
        for (int s = 0; s < m; s++) bytes += 4L << (PdqHash.BITS / m + (s < PdqHash.BITS % m ? 1 : 0));
        return bytes;
    }

    /**
     * Refuses, with what to do, an index that cannot fit the heap, rather than let the build run
     * out of memory half-way (an OutOfMemoryError in a scan's thread).
     */
    private static void checkHeap(long hashes) {
        Runtime rt = Runtime.getRuntime();
        long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        long need = heapBytes(hashes);
        if (need > free) {
            throw new IllegalStateException(String.format(java.util.Locale.ROOT, "the near-match index of %,d PDQ hashes"
                    + " needs about %,d MiB of heap and %,d MiB are free (of %,d MiB): give the JVM more (for ./triage,"
                    + " TRIAGE_JAVA_OPTS=-Xmx%dg), or scan with PDQ off", hashes, need >> 20, free >> 20, rt.maxMemory() >> 20,
                    Math.max(2, (rt.maxMemory() + need + (1L << 30) - 1) >> 30)));
        }
    }

    /** True when this index holds exactly the hashes of {@code sets}. */
    boolean builtFor(LiveSets sets) { return sets == live; }

    /** Stored hashes (one per set holding it). */
    int size() { return size; }

    private static int bits(long[] a, int base, int from, int count) {
        int w = from >>> 6;
        int shift = from & 63;
        long v = a[base + w] >>> shift;
        if (shift + count > 64) v |= a[base + w + 1] << (64 - shift);
        return (int) (v & ((1L << count) - 1));
    }

    /** Counting sort of the entries by their value of slot s (the values read twice rather than held: n ints less). */
    private void sortSlot(int s) {
        int buckets = 1 << width[s];
        int[] off = new int[buckets + 1];
        for (int e = 0; e < size; e++) off[bits(words, 4 * e, start[s], width[s]) + 1]++;
        for (int v = 0; v < buckets; v++) off[v + 1] += off[v];
        int[] next = Arrays.copyOf(off, buckets);
        int[] m = new int[size];
        for (int e = 0; e < size; e++) m[next[bits(words, 4 * e, start[s], width[s])]++] = e;
        offsets[s] = off;
        members[s] = m;
    }

    /**
     * Every {@code w}-bit value with at most {@code r} bits set. Those of the radii a query at up to
     * distance 63 uses are made with the index (final, so safely shared by every thread); a larger
     * radius, rare and soon answered by reading every hash instead, makes its own.
     */
    private int[] masks(int w, int r) {
        if (r < PRESET_RADII) return presetMasks[w][r];
        return masksOf(w, r);
    }

    private static int[] masksOf(int w, int r) {
        int[] out = new int[(int) ballVolume(w, r)];
        enumerate(0, 0, w, r, out, new int[1]);
        return out;
    }

    private static void enumerate(int value, int fromBit, int w, int left, int[] out, int[] n) {
        out[n[0]++] = value;
        if (left == 0) return;
        for (int b = fromBit; b < w; b++) enumerate(value | 1 << b, b + 1, w, left - 1, out, n);
    }

    /** Values within r bits of a w-bit value: sum of C(w, k) for k <= r. */
    private static long ballVolume(int w, int r) {
        long sum = 0;
        long c = 1;
        for (int k = 0; k <= Math.min(r, w); k++) {
            sum += c;
            c = c * (w - k) / (k + 1);
        }
        return sum;
    }

    /** Whether probing costs more than reading every hash (then the query does that, exactly). */
    private boolean linear(int r) {
        double candidates = 0;
        for (int s = 0; s < slots; s++) {
            double volume = ballVolume(width[s], r);
            candidates += volume * (1 + (double) size / (1 << width[s]));
        }
        return candidates * LINEAR_FRACTION > size;
    }

    /** See {@link HashStore#nearMatches}; {@code maxDistance} already checked (0-256). */
    List<NearMatch> nearMatches(PdqHash query, int maxDistance) {
        if (size == 0) return List.of();
        long[] q = {query.w0(), query.w1(), query.w2(), query.w3()};
        int r = maxDistance / slots;
        Hits hits = new Hits();
        if (r >= width[slots - 1] || linear(r)) {
            for (int e = 0; e < size; e++) {
                int d = distance(e, q);
                if (d <= maxDistance) hits.add(d, e);
            }
        } else {
            int[] own = new int[slots];
            for (int s = 0; s < slots; s++) own[s] = bits(q, 0, start[s], width[s]);
            for (int s = 0; s < slots; s++) probe(s, own, r, q, maxDistance, hits);
        }
        return hits.matches();
    }

    private void probe(int s, int[] own, int r, long[] q, int maxDistance, Hits hits) {
        int[] off = offsets[s];
        int[] m = members[s];
        long[] w = words;
        long q0 = q[0];
        long q1 = q[1];
        long q2 = q[2];
        long q3 = q[3];
        int v = own[s];
        for (int mask : masks(width[s], r)) {
            int pv = v ^ mask;
            for (int k = off[pv], end = off[pv + 1]; k < end; k++) {
                int e = m[k];
                int b = 4 * e;
                // Half the distance first: for a random candidate 128 bits already differ in about
                // 64 > 31, so its second half (often in the next cache line) is never read.
                int d = Long.bitCount(w[b] ^ q0) + Long.bitCount(w[b + 1] ^ q1);
                if (d > maxDistance) continue;
                d += Long.bitCount(w[b + 2] ^ q2) + Long.bitCount(w[b + 3] ^ q3);
                if (d <= maxDistance && firstFoundIn(s, e, own, r)) hits.add(d, e);
            }
        }
    }

    private int distance(int e, long[] q) {
        int b = 4 * e;
        return Long.bitCount(words[b] ^ q[0]) + Long.bitCount(words[b + 1] ^ q[1]) + Long.bitCount(words[b + 2] ^ q[2])
                + Long.bitCount(words[b + 3] ^ q[3]);
    }

    /** True when no slot before {@code s} was within {@code r} of the query (the entry was not reported yet). */
    private boolean firstFoundIn(int s, int e, int[] own, int r) {
        for (int t = 0; t < s; t++) {
            if (Integer.bitCount(bits(words, 4 * e, start[t], width[t]) ^ own[t]) <= r) return false;
        }
        return true;
    }

    /** A query's hits as (distance, entry) packed in longs, so that sorting them is nearest first, then key order. */
    private final class Hits {
        private long[] packed = new long[8];
        private int n;

        void add(int distance, int entry) {
            if (n == packed.length) packed = Arrays.copyOf(packed, n * 2);
            packed[n++] = (long) distance << 32 | entry;
        }

        List<NearMatch> matches() {
            if (n == 0) return List.of();
            Arrays.sort(packed, 0, n);
            List<NearMatch> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int e = (int) packed[i];
                int b = 4 * e;
                int o = owner[e];
                out.add(new NearMatch(ownerMatch[o], new PdqHash(words[b], words[b + 1], words[b + 2], words[b + 3]),
                        (int) (packed[i] >>> 32), ownerQuality[o]));
            }
            return out;
        }
    }
}
