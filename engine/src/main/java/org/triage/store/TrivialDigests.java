package org.triage.store;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Locale;
import org.triage.model.Algorithm;

/**
 * Digests that say nothing about content: the empty file's, and those of all-zero blocks of the
 * sizes files, sectors, clusters and read buffers come in (512 bytes to 1 MiB, powers of two). Many
 * real lists hold the empty file's digest by mistake, and a file whose content is lost (a FAT chain
 * that loops, a sparse or zeroed region) hashes to one of these: in an alert set, each would be a
 * false alert. Computed here with MessageDigest over zero buffers, not written as hex, so the
 * table cannot hold a typo. Built once per import (about 2 MiB hashed three times); immutable.
 */
final class TrivialDigests {
    /** Sizes of the all-zero blocks, besides the empty file. */
    static final int[] ZERO_BLOCK_SIZES = {512, 1 << 10, 2 << 10, 4 << 10, 8 << 10, 16 << 10, 32 << 10, 64 << 10,
        128 << 10, 256 << 10, 512 << 10, 1 << 20};

    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    /** Per algorithm ordinal: the first 8 bytes of each digest (a miss, nearly every digest, costs only these). */
    private final long[][] prefixes = new long[Algorithm.values().length][];
    /** Per algorithm ordinal: the digests, packed, and what each is. */
    private final byte[][] digests = new byte[Algorithm.values().length][];
    private final String[][] names = new String[Algorithm.values().length][];

    TrivialDigests() {
        byte[] zeros = new byte[ZERO_BLOCK_SIZES[ZERO_BLOCK_SIZES.length - 1]];
        for (Algorithm a : Algorithm.values()) {
            MessageDigest md = digest(a);
            int n = ZERO_BLOCK_SIZES.length + 1;
            byte[] packed = new byte[n * a.length()];
            String[] what = new String[n];
            System.arraycopy(md.digest(), 0, packed, 0, a.length());
            what[0] = "the empty file's " + a.id();
            for (int i = 0; i < ZERO_BLOCK_SIZES.length; i++) {
                md.update(zeros, 0, ZERO_BLOCK_SIZES[i]);
                System.arraycopy(md.digest(), 0, packed, (i + 1) * a.length(), a.length());
                what[i + 1] = a.id() + " of " + size(ZERO_BLOCK_SIZES[i]) + " of zeros";
            }
            digests[a.ordinal()] = packed;
            prefixes[a.ordinal()] = new long[n];
            for (int i = 0; i < n; i++) prefixes[a.ordinal()][i] = (long) LONG.get(packed, i * a.length());
            names[a.ordinal()] = what;
        }
    }

    /** What {@code digest[off, off + a.length())} is ("the empty file's md5"), or null when it is not trivial. */
    String match(Algorithm a, byte[] digest, int off) {
        long head = (long) LONG.get(digest, off);
        long[] heads = prefixes[a.ordinal()];
        byte[] packed = digests[a.ordinal()];
        int w = a.length();
        for (int i = 0; i < heads.length; i++) {
            if (heads[i] == head && Arrays.equals(packed, i * w, i * w + w, digest, off, off + w)) return names[a.ordinal()][i];
        }
        return null;
    }

    private static String size(int bytes) {
        if (bytes >= 1 << 20) return (bytes >> 20) + " MiB";
        if (bytes >= 1 << 10) return (bytes >> 10) + " KiB";
        return String.format(Locale.ROOT, "%d bytes", bytes);
    }

    private static MessageDigest digest(Algorithm a) {
        try {
            return MessageDigest.getInstance(a.jcaName());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no " + a.jcaName(), e);
        }
    }
}
