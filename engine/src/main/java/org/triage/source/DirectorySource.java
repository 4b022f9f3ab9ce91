package org.triage.source;

import static org.triage.natives.LibC.AT_FDCWD;
import static org.triage.natives.LibC.EINTR;
import static org.triage.natives.LibC.ENAMETOOLONG;
import static org.triage.natives.LibC.EPERM;
import static org.triage.natives.LibC.O_CLOEXEC;
import static org.triage.natives.LibC.O_DIRECTORY;
import static org.triage.natives.LibC.O_NOATIME;
import static org.triage.natives.LibC.O_NOFOLLOW;
import static org.triage.natives.LibC.O_NONBLOCK;
import static org.triage.natives.LibC.O_PATH;
import static org.triage.natives.LibC.O_RDONLY;
import static org.triage.natives.LibC.PATH_MAX;
import static org.triage.natives.LibC.S_IFREG;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.triage.model.EntryType;
import org.triage.model.RawPath;
import org.triage.natives.LibC;

/**
 * A directory tree on a mounted filesystem as one evidence item, listed and read by the exact
 * bytes of its names.
 *
 * <p>Design. Java's file APIs decode names and cannot reopen a name that is not valid in the
 * platform charset, so everything goes through libc ({@link LibC}) with {@code byte[]} paths.
 * Every path is opened relative to the root descriptor, which this source holds from
 * {@link #open(String)} to {@link #close()}; a path longer than PATH_MAX is opened in pieces with
 * {@code openat}. Nothing is opened for writing: directories and files are opened
 * {@code O_RDONLY|O_CLOEXEC|O_NOFOLLOW|O_NOATIME} (without O_NOATIME when the kernel refuses it
 * with EPERM), files also {@code O_NONBLOCK} so that a file replaced by a FIFO cannot hang a
 * reader. After opening, the descriptor is stat'ed and must still be the object that was listed
 * (same device and inode, a regular file for content): that check also catches a directory on
 * the way that was swapped for a symbolic link after listing, which O_NOFOLLOW alone (last name
 * only) would not. The root itself is the examiner's argument and is opened following symbolic
 * links, like {@code find -H}. The walk is in {@link DirectoryWalk}, reading in
 * {@link FileContentReader}.
 *
 * <p>Ownership and threading: owns the root descriptor. {@link #walk} runs on one thread;
 * {@link #open(SourceEntry)} may be called from several threads at once, each caller owning the
 * reader it gets. Close the source after the walk has returned and the last reader is closed;
 * {@link #close()} is idempotent. After close, walk and open throw {@link IllegalStateException}.
 */
public final class DirectorySource implements Source {
    static final int DIRECTORY_FLAGS = O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOATIME | O_DIRECTORY;
    private static final int FILE_FLAGS = O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOATIME | O_NONBLOCK;
    /** For the directories on the way to a path longer than PATH_MAX: search only, no read. */
    private static final int STEP_FLAGS = O_PATH | O_CLOEXEC | O_NOFOLLOW | O_DIRECTORY;

    private final String name;
    private final AtomicInteger rootFd;
    /** Opens the kernel refused O_NOATIME for (not our file, no CAP_FOWNER): their access times moved. */
    private final java.util.concurrent.atomic.LongAdder atimeRefused = new java.util.concurrent.atomic.LongAdder();
    /** The first such path, relative to the root, for the report. */
    private volatile String firstAtimeRefused;
    /** Why a disk image found in the tree, opened by its own library, moved access times; the first such note. */
    private volatile String imageAtimeNote;
    /** Set before the walk ({@link #picturesFirst}). */
    private volatile boolean picturesFirst;

    private DirectorySource(String name, int rootFd) {
        this.name = name;
        this.rootFd = new AtomicInteger(rootFd);
    }

    /**
     * Opens a directory as evidence, read-only.
     *
     * @param given the path exactly as the examiner gave it (becomes {@link #name()})
     * @throws IOException naming the path when it does not exist, is not a directory or cannot be
     *                     opened
     */
    public static DirectorySource open(String given) throws IOException {
        Objects.requireNonNull(given, "given");
        if (given.isEmpty()) throw new IOException("evidence directory path is empty");
        byte[] path = LibC.cString(given.getBytes(platformCharset()));
        int fd = openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC | O_NOATIME | O_DIRECTORY, null);
        if (fd < 0) {
            throw new IOException("cannot open evidence directory '" + given + "': " + LibC.describe(-fd));
        }
        String pseudo = PseudoFilesystems.of(fd);
        if (pseudo != null) {
            LibC.close(fd);
            throw new IOException("'" + given + "' is on " + PseudoFilesystems.reason(pseudo));
        }
        return new DirectorySource(given, fd);
    }

    @Override
    public String name() { return name; }

    @Override
    public void walk(EntryVisitor visitor) throws IOException {
        Objects.requireNonNull(visitor, "visitor");
        if (!picturesFirst) {
            new DirectoryWalk(this, visitor).run(openRoot());
            return;
        }
        HardLinkTracker links = new HardLinkTracker();
        if (!new DirectoryWalk(this, visitor, DirectoryWalk.Pass.LIKELY, links).run(openRoot())) return;
        new DirectoryWalk(this, visitor, DirectoryWalk.Pass.REST, links).run(openRoot());
    }

    private int openRoot() throws IOException {
        int fd = openat(rootFd(), new byte[] {'.', 0}, DIRECTORY_FLAGS, this);
        if (fd < 0) throw new IOException("cannot list evidence directory '" + name + "': " + LibC.describe(-fd));
        return fd;
    }

    /**
     * {@inheritDoc}
     *
     * <p>A tree is walked twice for it: the likely pictures and videos, then the rest ({@link DirectoryWalk}).
     */
    @Override
    public void picturesFirst(boolean on) {
        this.picturesFirst = on;
    }

    /**
     * {@inheritDoc}
     *
     * <p>The file is opened again by its path and must still be the regular file that was listed
     * (same device and inode when the entry has a key).
     */
    @Override
    public ContentReader open(SourceEntry entry) throws IOException {
        Objects.requireNonNull(entry, "entry");
        if (entry.type() != EntryType.FILE) {
            throw new IOException("cannot open '" + entry.path().display() + "': not a regular file ("
                    + entry.type().label() + ")");
        }
        try (LibC.StatxBuffer st = new LibC.StatxBuffer()) {
            int fd = openListed(entry.path(), FILE_FLAGS, entry.key(), st);
            return new FileContentReader(entry.path(), fd, st.size(), st.blocks(), st.modified());
        } catch (IOException e) {
            throw new IOException("cannot open '" + entry.path().display() + "': " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        int fd = rootFd.getAndSet(-1);
        if (fd >= 0) LibC.close(fd);
    }

    /**
     * Opens a listed path and checks it is still what was listed: same device and inode as
     * {@code key} (when not null), and a regular file unless {@code flags} ask for a directory.
     *
     * @param st receives the descriptor's statx
     * @return the open descriptor, owned by the caller
     * @throws IOException whose message is only the reason, for the caller to put in context
     */
    int openListed(RawPath path, int flags, FileKey key, LibC.StatxBuffer st) throws IOException {
        int fd = openRelative(path.bytes(), flags);
        if (fd < 0) throw new IOException(LibC.describe(-fd));
        boolean ok = false;
        try {
            if (st.statFd(fd) != 0) throw new IOException("cannot stat after opening: " + LibC.describe(LibC.errno()));
            if ((flags & O_DIRECTORY) == 0 && st.fileType() != S_IFREG) {
                throw new IOException("no longer a regular file (now " + DirectoryWalk.entryType(st.fileType()).label() + ")");
            }
            if (key != null && (st.device() != key.device() || st.inode() != key.inode())) {
                throw new IOException("replaced since it was listed (inode " + key.inode() + ", now " + st.inode() + ")");
            }
            ok = true;
            return fd;
        } finally {
            if (!ok) LibC.close(fd);
        }
    }

    /** Opens a path relative to the root: a descriptor, or minus errno. */
    private int openRelative(byte[] path, int flags) {
        int root = rootFd();
        if (path.length < PATH_MAX) {
            int fd = openat(root, LibC.cString(path), flags, this);
            if (fd != -ENAMETOOLONG) return fd;
        }
        // Too long for one call: open the directories on the way in pieces shorter than PATH_MAX.
        int dirFd = root;
        int start = 0;
        try {
            while (path.length - start >= PATH_MAX) {
                int slash = start + PATH_MAX - 1;
                while (slash > start && path[slash] != '/') slash--;
                if (slash == start) return -ENAMETOOLONG;
                int next = openat(dirFd, LibC.cString(slice(path, start, slash)), STEP_FLAGS, this);
                if (dirFd != root) LibC.close(dirFd);
                dirFd = root;
                if (next < 0) return next;
                dirFd = next;
                start = slash + 1;
            }
            return openat(dirFd, LibC.cString(slice(path, start, path.length)), flags, this);
        } finally {
            if (dirFd != root) LibC.close(dirFd);
        }
    }

    private static byte[] slice(byte[] b, int from, int to) {
        byte[] out = new byte[to - from];
        System.arraycopy(b, from, out, 0, out.length);
        return out;
    }

    /**
     * openat that retries on EINTR and drops O_NOATIME when the kernel refuses it (EPERM: we do
     * not own the file and lack CAP_FOWNER); counts that in {@code refusals} (when not null), so
     * that the report can say the access times of those files moved.
     *
     * @return a descriptor, or minus errno
     */
    private static int openat(int dirFd, byte[] cPath, int flags, DirectorySource refusals) {
        int f = flags;
        while (true) {
            int fd = LibC.openat(dirFd, cPath, f);
            if (fd >= 0) {
                if (f != flags && refusals != null) refusals.refusedNoatime(cPath);
                return fd;
            }
            int errno = LibC.errno();
            if (errno == EPERM && (f & O_NOATIME) != 0) {
                f &= ~O_NOATIME;
            } else if (errno != EINTR) {
                return -errno;
            }
        }
    }

    private void refusedNoatime(byte[] cPath) {
        atimeRefused.increment();
        if (firstAtimeRefused == null) {
            firstAtimeRefused = new String(cPath, 0, Math.max(0, cPath.length - 1), platformCharset());
        }
    }

    /**
     * Null while every file and directory opened so far got O_NOATIME; else how many did not and
     * the first of them: the kernel refuses O_NOATIME to a user who neither owns the file nor holds
     * CAP_FOWNER, and reading such a file moves its access time.
     */
    @Override
    public String atimeNote() {
        String images = imageAtimeNote;
        String own = ownAtimeNote();
        if (images == null) return own;
        return own == null ? images : own + "; " + images;
    }

    /**
     * Records why reading a disk image found in this tree moved access times (libewf, libvmdk and
     * libvhdi open their files without O_NOATIME), for {@link #atimeNote()}: the first note is kept.
     * Any thread.
     */
    public void imageMovedAtimes(String note) {
        if (note != null && imageAtimeNote == null) imageAtimeNote = note;
    }

    private String ownAtimeNote() {
        long n = atimeRefused.sum();
        if (n == 0) return null;
        String first = ".".equals(firstAtimeRefused) ? name : firstAtimeRefused;
        return "the kernel refused O_NOATIME for " + n + (n == 1 ? " file or directory" : " files and directories")
                + " (first: '" + first + "') not owned by the user running triage, who lacks CAP_FOWNER:"
                + " reading them can move their access times";
    }

    @Override
    public org.triage.model.TakenAs taken() { return org.triage.model.TakenAs.DIRECTORY; }

    private int rootFd() {
        int fd = rootFd.get();
        if (fd < 0) throw new IllegalStateException("source '" + name + "' is closed");
        return fd;
    }

    /** The charset the JVM decoded its arguments with, so that the examiner's path maps back to its bytes. */
    static Charset platformCharset() {
        try {
            return Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
        } catch (RuntimeException e) {
            return StandardCharsets.UTF_8;
        }
    }
}
