package org.triage.source;

import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.triage.model.EntryType;
import org.triage.model.RawPath;

/**
 * One filesystem's directory walk through libtsk: every name, allocated and deleted, recursively,
 * orphans included, turned into compact {@link Listed} entries (one per NTFS $DATA stream). Runs
 * on the walking thread; the native file handed to the callback is read only during the call.
 *
 * <p>Damaged metadata is never passed off as an entry of another kind: an allocated name whose
 * metadata libtsk cannot load (an NTFS record with a broken fixup), whose inode has no valid type,
 * or whose inode contradicts it (a directory entry for a regular file pointing at a block-device
 * inode, a device inode with a size, a directory larger than its filesystem) is listed with an
 * error saying why, and counts as unreadable. Deleted names are left alone: their inodes are
 * expected to have been reused. An ext inode the {@link ExtInodeGuard} hid an impossible inline
 * size of is listed with that reason, deleted or not: libtsk saw a doctored copy of it.
 *
 * <p>The walk stops at the next entry once the walking thread is interrupted (the scan's stop
 * interrupts it): libtsk lists a whole filesystem before anything is delivered, and a damaged one
 * can take long.
 */
final class TskWalk implements Tsk.WalkCallback {
    private static final byte[] VOLUME_LABEL = " (Volume Label Entry)".getBytes(StandardCharsets.US_ASCII);
    private static final EntryTypeCodes META_TYPES = new EntryTypeCodes(Tsk.META_REG, Tsk.META_VIRT, Tsk.META_DIR,
            Tsk.META_VIRT_DIR, Tsk.META_LNK, Tsk.META_FIFO, Tsk.META_SOCK, Tsk.META_CHR, Tsk.META_BLK);
    private static final EntryTypeCodes NAME_TYPES = new EntryTypeCodes(Tsk.NAME_REG, Tsk.NAME_VIRT, Tsk.NAME_DIR,
            Tsk.NAME_VIRT_DIR, Tsk.NAME_LNK, Tsk.NAME_FIFO, Tsk.NAME_SOCK, Tsk.NAME_CHR, Tsk.NAME_BLK);

    /**
     * One listed entry, kept until the whole filesystem is listed and sorted by disk position.
     *
     * @param volume      index into the source's filesystems
     * @param firstOffset image byte offset of the first allocated run, -1 when none (resident, empty)
     * @param flags       {@link #DELETED}, {@link #META}, {@link #SPARSE}
     * @param error       why the entry's metadata cannot be trusted, or null
     */
    record Listed(RawPath path, long inode, long size, long firstOffset, String stream, EntryType type,
                  int volume, byte flags, String error) {
        static final byte DELETED = 1;
        static final byte META = 2;
        /** Content with no allocated run at all (NTFS {@code $BadClus:$Bad}): reads as empty (or fails), whatever its size. */
        static final byte SPARSE = 4;

        boolean deleted() { return (flags & DELETED) != 0; }

        /** Bytes a read of this entry delivers, as far as the listing can tell. */
        long readable() { return type.hasContent() && (flags & SPARSE) == 0 && error == null ? size : 0; }

        boolean meta() { return (flags & META) != 0; }
    }

    private final Tsk.Lib lib;
    private final Tsk.Filesystem fs;
    /** Inodes found damaged while libtsk read them (impossible inline sizes), or null. */
    private final ExtInodeGuard.Filesystem screened;
    private final int volume;
    private final List<Listed> out;
    private final long fsOffset;
    private final long blockSize;
    private final boolean ntfs;
    private final boolean ext;
    private final long fsSize;
    private volatile Throwable failure;
    private boolean interrupted;

    TskWalk(Tsk.Filesystem fs, ExtInodeGuard.Filesystem screened, int volume, List<Listed> out) {
        this.lib = fs.lib;
        this.fs = fs;
        this.screened = screened;
        this.volume = volume;
        this.out = out;
        this.fsOffset = fs.offset();
        this.blockSize = fs.blockSize();
        this.ntfs = fs.ntfs();
        this.ext = (fs.type() & 0x2180) != 0;
        this.fsSize = fs.byteSize();
    }

    /** Walks the filesystem; returns null when it went well, else what went wrong. */
    String run() {
        boolean ok = fs.walk(this);
        if (failure != null) return "walk failed: " + failure;
        return ok ? null : Tsk.error();
    }

    /** True when the walk stopped because the walking thread was interrupted. */
    boolean interrupted() { return interrupted; }

    @Override
    public int invoke(Pointer file, Pointer parentPath, Pointer data) {
        if (Thread.currentThread().isInterrupted()) {
            interrupted = true;
            return Tsk.WALK_STOP;
        }
        try {
            visit(file, parentPath);
            return Tsk.WALK_CONT;
        } catch (Throwable t) {
            failure = t;
            return Tsk.WALK_ERROR;
        }
    }

    private void visit(Pointer file, Pointer parentPath) {
        // The offsets below belong to libtsk 4.11's layout: the structure tags prove they still hold.
        if (file.getInt(Tsk.FILE_TAG) != Tsk.FILE_TAG_VALUE) {
            throw new IllegalStateException("libtsk's TSK_FS_FILE layout is not the one this build reads (tag mismatch)");
        }
        Pointer name = file.getPointer(Tsk.FILE_NAME);
        if (name == null) return;
        byte[] n = Tsk.cBytes(name.getPointer(Tsk.NAME_NAME));
        if (n == null || n.length == 0 || isDot(n)) return;
        byte[] parent = Tsk.cBytes(parentPath);
        RawPath path = path(parent, n);
        boolean topLevel = parent == null || parent.length == 0 || (parent.length == 1 && parent[0] == '/');

        Pointer meta = file.getPointer(Tsk.FILE_META);
        if (meta != null && meta.getInt(Tsk.META_TAG) != Tsk.META_TAG_VALUE) {
            throw new IllegalStateException("libtsk's TSK_FS_META layout is not the one this build reads (tag mismatch)");
        }
        int nameFlags = name.getInt(Tsk.NAME_FLAGS);
        boolean deleted = (nameFlags & Tsk.NAME_UNALLOC) != 0;
        int metaType = meta == null ? 0 : meta.getInt(Tsk.META_TYPE);
        EntryType type = meta == null ? nameType(name.getInt(Tsk.NAME_TYPE)) : metaType(metaType);
        long inode = meta == null ? name.getLong(Tsk.NAME_META_ADDR) : meta.getLong(Tsk.META_ADDR);
        boolean isMeta = metaType == Tsk.META_VIRT || metaType == Tsk.META_VIRT_DIR
                || (topLevel && n[0] == '$' && !ext)
                || (ntfs && startsWith(path, "$Extend/"))
                || endsWith(n, VOLUME_LABEL);
        byte flags = (byte) ((deleted ? Listed.DELETED : 0) | (isMeta ? Listed.META : 0));
        String screenedOut = screened == null ? null : screened.damage(inode);
        if (screenedOut != null) {
            // libtsk was shown this inode without its impossible inline claim; what it made of the
            // rest of the random bytes is no file either.
            out.add(new Listed(path, inode, 0, -1, null, type == EntryType.FILE ? EntryType.OTHER : type, volume, flags,
                    screenedOut));
            return;
        }
        if (meta == null) {
            // No metadata survives: listed, but there is nothing to read. For an allocated name
            // that is damage: ask libtsk again, to say why.
            String why = deleted || (inode == 0 && !ntfs) ? null : whyNoMeta(inode);
            String error = why == null ? null : "metadata unreadable: " + why;
            out.add(new Listed(path, inode, 0, -1, null, type == EntryType.FILE ? EntryType.OTHER : type, volume, flags, error));
            return;
        }
        if (metaType == 0 && !deleted) {
            // libtsk keeps an empty metadata structure when it cannot parse the record (an NTFS
            // record with a broken fixup): its address is the name's, its reason must be asked for.
            long addr = name.getLong(Tsk.NAME_META_ADDR);
            String why = whyNoMeta(addr);
            out.add(new Listed(path, addr, 0, -1, null, EntryType.OTHER, volume, flags,
                    why == null ? "no valid file type: damaged metadata" : "metadata unreadable: " + why));
            return;
        }
        long size = meta.getLong(Tsk.META_SIZE);
        String damage = deleted ? null : damage(name.getInt(Tsk.NAME_TYPE), metaType, type, size);
        if (damage != null) {
            out.add(new Listed(path, inode, size, -1, null, type, volume, flags, damage));
            return;
        }
        if (!ntfs) {
            long first = -1;
            if (type == EntryType.FILE) {
                Pointer attr = defaultAttr(file);
                // A metadata or deleted file libtsk cannot map to data (exFAT's $FAT1, a deleted FAT
                // entry pointing past the end) has nothing to read; an allocated file still gets a
                // read attempt, whose error is reported.
                if (attr == null && flags != 0) type = EntryType.OTHER;
                first = Tsk.firstRunOffset(attr, fsOffset, blockSize);
                if (readsEmpty(attr, flags)) flags |= Listed.SPARSE;
            }
            out.add(new Listed(path, inode, size, first, null, type, volume, flags, null));
            return;
        }
        // NTFS: the unnamed $DATA is the file's content, each named $DATA a stream of its own.
        int count = lib.tsk_fs_file_attr_getsize(file);
        if (count < 0) {
            String why = Tsk.error();
            if (!deleted && type == EntryType.FILE) {
                out.add(new Listed(path, inode, size, -1, null, type, volume, flags,
                        "attributes unreadable: " + why));
                return;
            }
            // a deleted entry's attributes may be gone: listed without streams
        }
        boolean hasDefault = false;
        long defaultFirst = -1;
        long defaultSize = size;
        byte defaultFlags = flags;
        for (int i = 0; i < count; i++) {
            Pointer a = lib.tsk_fs_file_attr_get_idx(file, i);
            if (a == null || a.getInt(Tsk.ATTR_TYPE) != Tsk.ATTR_TYPE_NTFS_DATA) continue;
            byte[] stream = Tsk.cBytes(a.getPointer(Tsk.ATTR_NAME));
            long first = Tsk.firstRunOffset(a, fsOffset, blockSize);
            byte f = readsEmpty(a, flags) ? (byte) (flags | Listed.SPARSE) : flags;
            if (stream == null) {
                hasDefault = true;
                defaultFirst = first;
                defaultSize = a.getLong(Tsk.ATTR_SIZE);
                defaultFlags = f;
            } else {
                out.add(new Listed(path, inode, a.getLong(Tsk.ATTR_SIZE), first,
                        new String(stream, StandardCharsets.UTF_8), EntryType.FILE, volume, f, null));
            }
        }
        EntryType t = type == EntryType.FILE && !hasDefault ? EntryType.OTHER : type;
        out.add(new Listed(path, inode, defaultSize, defaultFirst, null, t, volume, defaultFlags, null));
    }

    /** libtsk's reason for not loading an inode, from a second attempt (the walk had cleared it); null if it loads. */
    private String whyNoMeta(long inode) {
        try (Tsk.File f = fs.openMeta(inode)) {
            return null;
        } catch (java.io.IOException e) {
            return e.getMessage();
        }
    }

    /**
     * Why an allocated entry's metadata cannot be what it claims, or null. On ext the directory
     * entry's file-type field is written apart from the inode: when both are known and disagree,
     * one of them is damaged (elsewhere libtsk derives the name's type from the metadata).
     */
    private String damage(int nameType, int metaType, EntryType type, long size) {
        if (type == EntryType.OTHER) return "no valid file type (libtsk type " + metaType + "): damaged metadata";
        EntryType named = nameType(nameType);
        if (ext && nameType != 0 && named != EntryType.OTHER && named != type) {
            return "the directory entry says " + named.label() + ", the inode says " + type.label() + ": damaged metadata";
        }
        boolean special = type == EntryType.FIFO || type == EntryType.SOCKET || type == EntryType.CHAR_DEVICE
                || type == EntryType.BLOCK_DEVICE;
        if (ext && special && size != 0) {
            return "a " + type.label() + " inode with a size of " + size + " bytes: damaged metadata";
        }
        if (type == EntryType.DIRECTORY && (size < 0 || size > fsSize)) {
            return "a directory of " + size + " bytes in a filesystem of " + fsSize + ": damaged metadata";
        }
        return null;
    }

    private Pointer defaultAttr(Pointer file) {
        Pointer a = lib.tsk_fs_file_attr_get(file);
        if (a == null) Tsk.error(); // no data attribute (or unreadable): clear the error
        return a;
    }

    private static RawPath path(byte[] parent, byte[] name) {
        int start = 0;
        int end = parent == null ? 0 : parent.length;
        while (start < end && parent[start] == '/') start++;
        while (end > start && parent[end - 1] == '/') end--;
        if (start == end) return RawPath.of(name);
        byte[] joined = new byte[end - start + 1 + name.length];
        System.arraycopy(parent, start, joined, 0, end - start);
        joined[end - start] = '/';
        System.arraycopy(name, 0, joined, end - start + 1, name.length);
        return RawPath.of(joined);
    }

    private static boolean isDot(byte[] n) {
        return (n.length == 1 && n[0] == '.') || (n.length == 2 && n[0] == '.' && n[1] == '.');
    }

    private static boolean startsWith(RawPath p, String prefix) {
        byte[] b = p.bytes();
        byte[] x = prefix.getBytes(StandardCharsets.US_ASCII);
        return b.length >= x.length && java.util.Arrays.equals(b, 0, x.length, x, 0, x.length);
    }

    private static boolean endsWith(byte[] b, byte[] suffix) {
        return b.length >= suffix.length
                && java.util.Arrays.equals(b, b.length - suffix.length, b.length, suffix, 0, suffix.length);
    }

    static EntryType metaType(int t) {
        return META_TYPES.of(t);
    }

    static EntryType nameType(int t) {
        return NAME_TYPES.of(t);
    }

    /**
     * Whether the content reader will give this attribute as empty: a metadata or deleted entry
     * mapped to no data (as {@link TskContentReader} decides), left out of the progress totals.
     */
    private static boolean readsEmpty(Pointer attr, byte flags) {
        return (flags & (Listed.DELETED | Listed.META)) != 0 && (Tsk.allSparse(attr) || Tsk.unmapped(attr));
    }
}
