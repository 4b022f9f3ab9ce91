package org.triage.source;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * Screens the ext2/3/4 inode tables libtsk reads for inodes that claim more inline data than an
 * inode can hold, and hides that claim from libtsk.
 *
 * <p>Why: libtsk 4.11 loads an inode flagged {@code EXT4_INLINE_DATA_FL} (i_flags 0x10000000) by
 * allocating, zeroing and copying its whole claimed i_size before any caller sees the inode: a
 * random or hostile inode claiming gigabytes costs that much memory and tens of seconds, per inode,
 * inside {@code tsk_fs_dir_walk} (ten such inodes in a 32 MiB image: about a minute and 6.7 GB).
 * Inline data lives in the inode itself (i_block's 60 bytes and the in-inode extended attributes),
 * so a claim larger than the inode is impossible. Every byte libtsk reads of a raw or EWF image
 * passes through our read function ({@link RawImage}, {@link EwfImage}); there, in the buffer
 * handed to libtsk (never the evidence), such an inode's inline flag is cleared and its number
 * recorded with the reason, which the walk reports as the entry's error ({@link TskWalk}).
 *
 * <p>Cost: a read that overlaps no inode table costs a binary search; one that does, a look at two
 * bytes per inode. The tables come from the superblock and group descriptors (32- or 64-byte
 * descriptors, flex_bg and meta_bg layouts), read with the image's own unscreened read.
 *
 * <p>The media hash ({@link ImageVerifier}) must be of the evidence's bytes: {@link #restore} puts
 * back every flag cleared in a buffer.
 *
 * <p>Threading: {@link #screen} runs under libtsk's image lock; {@link #watch} on the opening thread
 * before libtsk opens the filesystem; the recorded damage and cleared flags are concurrent sets,
 * read by the walking and verifying threads.
 */
final class ExtInodeGuard {
    private static final System.Logger LOG = System.getLogger(ExtInodeGuard.class.getName());
    private static final int SB_OFFSET = 1024;
    private static final int EXT_MAGIC = 0xEF53;
    private static final int INLINE_FLAG_BYTE = 35; // i_flags at 32, little-endian: 0x10000000 is bit 4 of byte 35
    private static final int INLINE_FLAG_BIT = 0x10;
    private static final int INCOMPAT_META_BG = 0x10;
    private static final int INCOMPAT_64BIT = 0x80;
    private static final int RO_COMPAT_SPARSE_SUPER = 0x1;
    /** More groups than this (with 128 MiB groups: 512 TiB) is a damaged superblock: no guarding, said in the log. */
    private static final long MAX_GROUPS = 1L << 22;

    /** Unscreened image bytes: returns bytes read, or -1. */
    interface Reader {
        long read(long offset, Pointer buf, long len);
    }

    /** One ext filesystem being screened: the inodes found damaged, by number, with why. */
    static final class Filesystem {
        private final long offset;
        private final Map<Long, String> damaged = new ConcurrentHashMap<>();

        private Filesystem(long offset) { this.offset = offset; }

        /** Why inode {@code inode} cannot be trusted, or null. */
        String damage(long inode) { return damaged.get(inode); }

        long offset() { return offset; }
    }

    /** One group's inode table: media bytes [start, end), holding inodes from {@code firstInode}. */
    private record Table(long start, long end, long firstInode, int inodeSize, Filesystem fs) {
    }

    private final long mediaSize;
    private final Reader raw;
    /** Sorted by start; {@link #maxEnd}[i] is the largest end among tables[0..i] (tables may overlap when damaged). */
    private volatile Table[] tables = new Table[0];
    private volatile long[] maxEnd = new long[0];
    /** Media offsets of the flag bytes cleared in buffers handed to libtsk. */
    private final NavigableSet<Long> cleared = new ConcurrentSkipListSet<>();

    ExtInodeGuard(long mediaSize, Reader raw) {
        this.mediaSize = mediaSize;
        this.raw = raw;
    }

    /**
     * Starts screening the filesystem at media offset {@code fsOffset} if it is ext2/3/4; returns
     * null when it is not (or its superblock or descriptors cannot be read: libtsk then says why,
     * or opens it without screening, which is logged).
     */
    synchronized Filesystem watch(long fsOffset) {
        try {
            byte[] sb = readFully(fsOffset + SB_OFFSET, 1024);
            if (sb == null || u16(sb, 56) != EXT_MAGIC) return null;
            long inodesCount = u32(sb, 0);
            long firstData = u32(sb, 20);
            long logBlock = u32(sb, 24);
            long blocksPerGroup = u32(sb, 32);
            long inodesPerGroup = u32(sb, 40);
            int inodeSize = u32(sb, 76) == 0 ? 128 : u16(sb, 88);
            long incompat = u32(sb, 96);
            long roCompat = u32(sb, 100);
            int descSize = (incompat & INCOMPAT_64BIT) != 0 ? Math.max(32, u16(sb, 254)) : 32;
            long firstMetaBg = u32(sb, 260);
            if (logBlock > 6 || inodesPerGroup == 0 || blocksPerGroup == 0 || inodeSize < 128
                    || Integer.bitCount(inodeSize) != 1 || inodeSize > (1024 << logBlock)
                    || descSize > 1024 || Integer.bitCount(descSize) != 1) {
                LOG.log(System.Logger.Level.WARNING, "ext filesystem at offset " + fsOffset
                        + ": implausible superblock; its inodes are not screened for impossible inline sizes");
                return null;
            }
            long block = 1024L << logBlock;
            long groups = (inodesCount + inodesPerGroup - 1) / inodesPerGroup;
            if (groups <= 0 || groups > MAX_GROUPS) {
                LOG.log(System.Logger.Level.WARNING, "ext filesystem at offset " + fsOffset + ": " + groups
                        + " block groups; its inodes are not screened for impossible inline sizes");
                return null;
            }
            Filesystem fs = new Filesystem(fsOffset);
            List<Table> found = new ArrayList<>(Arrays.asList(tables));
            long perBlock = block / descSize;
            boolean metaBg = (incompat & INCOMPAT_META_BG) != 0;
            boolean sparse = (roCompat & RO_COMPAT_SPARSE_SUPER) != 0;
            byte[] descs = null;
            long descsBlock = -1;
            for (long g = 0; g < groups; g++) {
                // The descriptor block holding group g's entry: after the superblock for the classic
                // layout, in the first group of its meta group (after a backup superblock) for meta_bg.
                long metaGroup = g / perBlock;
                long at;
                if (metaBg && metaGroup >= firstMetaBg) {
                    long first = metaGroup * perBlock;
                    at = firstData + first * blocksPerGroup + (hasSuper(first, sparse) ? 1 : 0);
                } else {
                    at = firstData + 1 + metaGroup;
                }
                if (at != descsBlock) {
                    descs = readFully(fsOffset + at * block, (int) block);
                    descsBlock = at;
                    if (descs == null) {
                        LOG.log(System.Logger.Level.WARNING, "ext filesystem at offset " + fsOffset
                                + ": group descriptors unreadable at block " + at + "; groups from " + g + " not screened");
                        break;
                    }
                }
                int d = (int) ((g % perBlock) * descSize);
                long table = u32(descs, d + 8) | (descSize >= 64 ? u32(descs, d + 0x28) << 32 : 0);
                if (table == 0) continue;
                long start = fsOffset + table * block;
                long end = start + inodesPerGroup * inodeSize;
                if (start < 0 || start >= mediaSize || end <= start) continue;
                found.add(new Table(start, end, g * inodesPerGroup + 1, inodeSize, fs));
            }
            found.sort(Comparator.comparingLong(Table::start));
            long[] ends = new long[found.size()];
            long max = Long.MIN_VALUE;
            for (int i = 0; i < ends.length; i++) ends[i] = max = Math.max(max, found.get(i).end());
            maxEnd = ends;
            tables = found.toArray(new Table[0]);
            return fs;
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "ext filesystem at offset " + fsOffset + ": " + e.getMessage()
                    + "; its inodes are not screened for impossible inline sizes");
            return null;
        }
    }

    /** True when group {@code g} holds a superblock backup (and so its meta_bg descriptors follow one). */
    private static boolean hasSuper(long g, boolean sparse) {
        if (g <= 1 || !sparse) return true;
        for (long p : new long[] {3, 5, 7}) {
            long x = g;
            while (x % p == 0) x /= p;
            if (x == 1) return true;
        }
        return false;
    }

    /**
     * In {@code buf}, libtsk's {@code n} bytes from media offset {@code offset}: clears the inline
     * flag of every inode claiming more inline data than it holds, and records it as damaged.
     */
    void screen(long offset, Pointer buf, long n) {
        Table[] t = tables;
        if (t.length == 0 || n <= 0) return;
        long end = offset + n;
        long[] ends = maxEnd;
        for (int i = lastStartingBefore(t, end); i >= 0 && ends[i] > offset; i--) {
            Table table = t[i];
            if (table.end() <= offset) continue;
            long from = Math.max(offset, table.start());
            long to = Math.min(end, table.end());
            int size = table.inodeSize();
            long first = (from - table.start()) / size;
            long last = (to - 1 - table.start()) / size;
            for (long k = first; k <= last; k++) {
                long inodeAt = table.start() + k * size;
                long flagAt = inodeAt + INLINE_FLAG_BYTE;
                if (flagAt < offset || flagAt >= end) continue;
                if ((buf.getByte(flagAt - offset) & INLINE_FLAG_BIT) == 0) continue;
                long claimed = claimedSize(inodeAt, size, offset, end, buf);
                if (claimed <= size) continue;
                buf.setByte(flagAt - offset, (byte) (buf.getByte(flagAt - offset) & ~INLINE_FLAG_BIT));
                cleared.add(flagAt);
                long inode = table.firstInode() + k;
                table.fs().damaged.computeIfAbsent(inode, x -> "inode " + inode + " claims "
                        + Long.toUnsignedString(claimed) + " bytes of inline data, more than an inode of " + size
                        + " bytes holds: damaged metadata");
            }
        }
    }

    /** Sets back, in a buffer holding media bytes from {@code offset}, every flag {@link #screen} cleared there. */
    void restore(long offset, Pointer buf, long n) {
        for (long at : cleared.subSet(offset, offset + n)) {
            buf.setByte(at - offset, (byte) (buf.getByte(at - offset) | INLINE_FLAG_BIT));
        }
    }

    /** i_size_lo | i_size_high << 32, from the buffer when it holds both, else from the image. */
    private long claimedSize(long inodeAt, int size, long offset, long end, Pointer buf) {
        if (inodeAt >= offset && inodeAt + 112 <= end) {
            long o = inodeAt - offset;
            return Integer.toUnsignedLong(buf.getInt(o + 4)) | Integer.toUnsignedLong(buf.getInt(o + 108)) << 32;
        }
        try (Memory m = new Memory(112)) {
            // An inode split across reads (inodes larger than a sector): its size bytes come unscreened.
            if (raw.read(inodeAt, m, 112) != 112) return 0;
            return Integer.toUnsignedLong(m.getInt(4)) | Integer.toUnsignedLong(m.getInt(108)) << 32;
        }
    }

    /** Index of the last table starting before {@code end}, -1 when none. */
    private static int lastStartingBefore(Table[] t, long end) {
        int lo = 0;
        int hi = t.length - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (t[mid].start() < end) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    /** {@code len} bytes from media offset {@code at}, or null when the image does not hold them. */
    private byte[] readFully(long at, int len) throws IOException {
        if (at < 0 || at + len > mediaSize) return null;
        try (Memory m = new Memory(len)) {
            long n = raw.read(at, m, len);
            if (n < 0) throw new IOException("cannot read the image at byte " + at + ": " + Tsk.error());
            if (n < len) return null;
            return m.getByteArray(0, len);
        }
    }

    private static int u16(byte[] b, int at) { return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8; }

    private static long u32(byte[] b, int at) {
        return (b[at] & 0xffL) | (b[at + 1] & 0xffL) << 8 | (b[at + 2] & 0xffL) << 16 | (b[at + 3] & 0xffL) << 24;
    }
}
