package org.triage.source;

import com.sun.jna.LastErrorException;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.triage.model.EntryType;
import org.triage.model.RawPath;
import org.triage.natives.LibC;

/**
 * One walk of a {@link DirectorySource}: lists every directory by raw names and streams the
 * entries to a visitor.
 *
 * <p>Each directory is read to the end into a list, sorted by inode number (neighbouring inodes
 * are usually neighbours on disk, for both the stat calls and the later reads), stat'ed without
 * following links, and closed before its entries are delivered and before anything below it is
 * opened: the walk holds at most one directory descriptor, however deep the tree, and none while
 * the visitor runs. A directory's non-directory entries are delivered
 * first, then its subdirectories are walked one after the other, depth first, from an explicit
 * stack (no recursion, so depth is bounded by memory, not by the thread's stack). Directories are
 * not delivered, except one that cannot be opened or listed, which comes with an error.
 * Symbolic links are delivered and never followed, so there are no cycles to detect. A directory
 * on a pseudo-filesystem (a procfs or sysfs mounted inside the tree, told by one fstatfs per
 * directory, see {@link PseudoFilesystems}) is delivered with that reason as its error and not
 * listed.
 *
 * <p>Picture-first ({@link Pass}): a tree cannot be sorted before it is read without holding its
 * listing, which is unbounded, so it is walked twice instead, sharing one hard-link tracker: the
 * first walk stats and delivers only the likely pictures and videos ({@link LikelyPictures}: by
 * path alone, so both walks agree on which entries are whose without remembering them), the second
 * everything else, unreadable directories included. Memory stays that of one walk; the cost is a
 * second reading of every directory (the first walk stats only what it may deliver).
 *
 * <p>Not thread-safe: one walk runs on the thread that called {@link DirectorySource#walk}.
 */
final class DirectoryWalk {
    private static final long DIRENT_RECLEN = 16;
    private static final long DIRENT_TYPE = 18;
    /** d_name is at most NAME_MAX (255) bytes plus NUL; d_reclen bounds what we copy. */
    private static final int NAME_CAPACITY = 512;
    private static final EntryTypeCodes MODE_TYPES = new EntryTypeCodes(LibC.S_IFREG, EntryTypeCodes.NONE, LibC.S_IFDIR,
            EntryTypeCodes.NONE, LibC.S_IFLNK, LibC.S_IFIFO, LibC.S_IFSOCK, LibC.S_IFCHR, LibC.S_IFBLK);

    /** A name as readdir gave it, before stat. */
    private record Listed(byte[] name, long inode, int dType) {
    }

    /** Which entries a walk delivers. */
    enum Pass {
        /** Every entry, in walk order. */
        ALL,
        /** Only non-directories whose path makes them likely pictures or videos; nothing unreadable about directories. */
        LIKELY,
        /** Everything {@link #LIKELY} does not deliver. */
        REST
    }

    private static final int DT_UNKNOWN = 0;
    private static final int DT_DIR = 4;

    private final DirectorySource source;
    private final EntryVisitor visitor;
    private final Pass pass;
    private final HardLinkTracker hardLinks;
    /** Subdirectories still to walk, as their entries (without error); top is next. */
    private final ArrayDeque<SourceEntry> pending = new ArrayDeque<>();
    private final List<Listed> listed = new ArrayList<>();
    /** The current directory's entries, stat'ed, in inode order. */
    private final List<SourceEntry> entries = new ArrayList<>();
    private final byte[] nameScratch = new byte[NAME_CAPACITY];
    private boolean stopped;

    DirectoryWalk(DirectorySource source, EntryVisitor visitor) {
        this(source, visitor, Pass.ALL, new HardLinkTracker());
    }

    /** One pass of a picture-first walk; the two passes share {@code hardLinks}. */
    DirectoryWalk(DirectorySource source, EntryVisitor visitor, Pass pass, HardLinkTracker hardLinks) {
        this.source = source;
        this.visitor = visitor;
        this.pass = pass;
        this.hardLinks = hardLinks;
    }

    /**
     * Walks everything below the root.
     *
     * @param rootDirFd a fresh descriptor of the root directory, closed by this call
     * @return false when the visitor asked to stop
     * @throws IOException when the root itself cannot be listed
     */
    boolean run(int rootDirFd) throws IOException {
        try (LibC.StatxBuffer st = new LibC.StatxBuffer()) {
            String rootError = listAndDeliver(rootDirFd, RawPath.ROOT, st);
            if (rootError != null) {
                throw new IOException("cannot list evidence directory '" + source.name() + "': " + rootError);
            }
            while (!stopped && !pending.isEmpty()) {
                SourceEntry dir = pending.pop();
                String error;
                String pseudo = null;
                try {
                    int fd = source.openListed(dir.path(), DirectorySource.DIRECTORY_FLAGS, dir.key(), st);
                    pseudo = PseudoFilesystems.of(fd);
                    if (pseudo != null) {
                        LibC.close(fd);
                        error = PseudoFilesystems.reason(pseudo);
                    } else {
                        error = listAndDeliver(fd, dir.path(), st);
                    }
                } catch (IOException e) {
                    error = e.getMessage();
                }
                if (error != null && !stopped && pass != Pass.LIKELY) {
                    stopped = !visitor.visit(new SourceEntry(dir.path(), EntryType.DIRECTORY, dir.size(), dir.key(),
                            dir.linkCount(), null, pseudo != null ? error : "cannot list directory: " + error));
                }
            }
        }
        return !stopped;
    }

    /**
     * Lists and stats one open directory, closes it, then delivers its non-directories and pushes
     * its subdirectories: the visitor never runs while a directory is open. For the root, nothing
     * is delivered when the listing failed.
     *
     * @param fd closed by this call
     * @return null, or why the directory could not be listed completely (what was read is delivered)
     */
    private String listAndDeliver(int fd, RawPath dirPath, LibC.StatxBuffer st) {
        Pointer dir = LibC.fdopendir(fd);
        if (dir == null) {
            String reason = LibC.describe(LibC.errno());
            LibC.close(fd);
            return reason;
        }
        String error;
        try {
            error = list(dir);
            if (error != null && dirPath.isRoot()) return error;
            stat(dirPath, fd, st);
        } finally {
            LibC.closedir(dir);
        }
        deliver();
        return error;
    }

    /**
     * Reads every name of an open directory into {@link #listed}, sorted by inode.
     *
     * @return null, or why reading stopped early (the names read so far are kept)
     */
    private String list(Pointer dir) {
        listed.clear();
        String error = null;
        while (true) {
            Pointer d;
            try {
                d = LibC.readdir(dir);
            } catch (LastErrorException e) {
                error = LibC.describe(e.getErrorCode());
                break;
            }
            if (d == null) break;
            int reclen = Short.toUnsignedInt(d.getShort(DIRENT_RECLEN));
            int max = Math.min(NAME_CAPACITY, reclen - (int) LibC.DIRENT_NAME);
            d.read(LibC.DIRENT_NAME, nameScratch, 0, max);
            int len = 0;
            while (len < max && nameScratch[len] != 0) len++;
            if (isDotOrDotDot(nameScratch, len)) continue;
            listed.add(new Listed(Arrays.copyOf(nameScratch, len), d.getLong(LibC.DIRENT_INO),
                    Byte.toUnsignedInt(d.getByte(DIRENT_TYPE))));
        }
        listed.sort((a, b) -> Long.compareUnsigned(a.inode, b.inode));
        return error;
    }

    /** Stats the listed names relative to {@code fd} into {@link #entries}, in the same order. */
    private void stat(RawPath dirPath, int fd, LibC.StatxBuffer st) {
        entries.clear();
        for (Listed n : listed) {
            RawPath path = dirPath.resolve(n.name);
            // The first pass of a picture-first walk need not stat what it will not deliver.
            if (pass == Pass.LIKELY && n.dType != DT_DIR && n.dType != DT_UNKNOWN && !LikelyPictures.likely(path)) continue;
            if (st.statAt(fd, LibC.cString(n.name)) != 0) {
                // Vanished (or unreadable) between readdir and stat: delivered with readdir's type.
                EntryType guessed = entryType(n.dType << 12);
                if (takes(path, guessed)) {
                    entries.add(new SourceEntry(path, guessed, 0, null, 1, null, "cannot stat: " + LibC.describe(LibC.errno())));
                }
                continue;
            }
            EntryType type = entryType(st.fileType());
            if (!takes(path, type)) continue;
            FileKey key = new FileKey(st.device(), st.inode());
            long links = st.linkCount();
            RawPath first = type == EntryType.FILE ? hardLinks.record(key, links, path) : null;
            entries.add(new SourceEntry(path, type, st.size(), key, links, first, null));
        }
        listed.clear();
    }

    /** Whether this pass delivers (or, for a directory, walks) the entry. */
    private boolean takes(RawPath path, EntryType type) {
        if (pass == Pass.ALL) return true;
        if (type == EntryType.DIRECTORY) return true; // walked by both; an unreadable one is said by REST only
        return LikelyPictures.likely(path) == (pass == Pass.LIKELY);
    }

    /**
     * Delivers the non-directories of {@link #entries} (and directories that could not be stat'ed)
     * and pushes the directories, the first one on top.
     * Sets {@link #stopped} when the visitor asks to stop.
     */
    private void deliver() {
        for (SourceEntry e : entries) {
            boolean deliver = e.type() != EntryType.DIRECTORY || e.error() != null && pass != Pass.LIKELY;
            if (deliver && !visitor.visit(e)) {
                stopped = true;
                return;
            }
        }
        for (int i = entries.size() - 1; i >= 0; i--) {
            SourceEntry e = entries.get(i);
            if (e.type() == EntryType.DIRECTORY && e.error() == null) pending.push(e);
        }
        entries.clear();
    }

    private static boolean isDotOrDotDot(byte[] name, int len) {
        return name[0] == '.' && (len == 1 || (len == 2 && name[1] == '.'));
    }

    /** The entry type for the S_IFMT bits of a mode (-1 when unknown). */
    static EntryType entryType(int ifmt) {
        return MODE_TYPES.of(ifmt);
    }
}
