package org.triage.source;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * The few glibc calls {@link DirectorySource} needs to list and open files by their exact byte
 * names, bound with JNA direct mapping (static natives, no proxy, no per-call reflection).
 *
 * <p>Paths are passed as NUL-terminated {@code byte[]}, never as {@code String}, because the names
 * need not be valid in any charset. Except for {@link #readdir}, errno is read with
 * {@link Native#getLastError()} and only after a call returned its failure value: JNA stores errno
 * after every direct call, and a successful call may leave a stale errno behind. {@code readdir}
 * returns NULL both at the end and on error, so it is declared to throw {@link LastErrorException}:
 * JNA then clears errno right before the call and throws only if the call set it.
 *
 * <p>Layouts and constants are those of x86_64 Linux with glibc (checked against
 * {@code /usr/include} with {@code offsetof}); {@code struct statx} is the same on every
 * architecture, {@code struct dirent} is the 64-bit one. Linux only.
 */
final class LibC {
    static final int AT_FDCWD = -100;

    static final int O_RDONLY = 0;
    static final int O_NONBLOCK = 0x800;
    static final int O_DIRECTORY = 0x10000;
    static final int O_NOFOLLOW = 0x20000;
    static final int O_NOATIME = 0x40000;
    static final int O_CLOEXEC = 0x80000;
    static final int O_PATH = 0x200000;

    static final int AT_SYMLINK_NOFOLLOW = 0x100;
    static final int AT_NO_AUTOMOUNT = 0x800;
    static final int AT_EMPTY_PATH = 0x1000;
    static final int STATX_TYPE = 0x1;
    static final int STATX_BASIC_STATS = 0x7ff;

    static final int S_IFMT = 0xF000;
    static final int S_IFIFO = 0x1000;
    static final int S_IFCHR = 0x2000;
    static final int S_IFDIR = 0x4000;
    static final int S_IFBLK = 0x6000;
    static final int S_IFREG = 0x8000;
    static final int S_IFLNK = 0xA000;
    static final int S_IFSOCK = 0xC000;

    static final int EPERM = 1;
    static final int ENOENT = 2;
    static final int EINTR = 4;
    static final int ENAMETOOLONG = 36;

    /** Longest path the kernel takes in one call, including the terminating NUL. */
    static final int PATH_MAX = 4096;

    // struct dirent (x86_64 glibc)
    static final long DIRENT_INO = 0;
    static final long DIRENT_NAME = 19;

    static {
        org.triage.jna.JnaSetup.init();
        Native.register(LibC.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
    }

    private LibC() {
    }

    /** {@code open} is variadic; the mode argument is left out because O_CREAT is never passed. */
    static native int openat(int dirfd, byte[] path, int flags);

    static native int close(int fd);

    static native long read(int fd, Pointer buf, long count);

    static native int statx(int dirfd, byte[] path, int flags, int mask, Pointer buf);

    /** Takes ownership of {@code fd} on success: {@link #closedir} closes it. */
    static native Pointer fdopendir(int fd);

    static native Pointer readdir(Pointer dir) throws LastErrorException;

    static native int closedir(Pointer dir);

    /** {@code struct statfs} is 120 bytes on x86_64; f_type, a long, comes first. */
    static native int fstatfs(int fd, Pointer buf);

    private static final ThreadLocal<Memory> STATFS = ThreadLocal.withInitial(() -> new Memory(128));

    /** statfs' f_type of an open descriptor (unsigned), or -1 when fstatfs fails. */
    static long filesystemType(int fd) {
        Memory buf = STATFS.get();
        if (fstatfs(fd, buf) != 0) return -1;
        return buf.getLong(0) & 0xffffffffL;
    }

    /** English description, never translated (glibc 2.32+); NULL for an unknown number. */
    static native String strerrordesc_np(int errno);

    /** Symbolic name such as "EACCES" (glibc 2.32+); NULL for an unknown number. */
    static native String strerrorname_np(int errno);

    /** The calling thread's errno as saved by JNA after the last native call. */
    static int errno() {
        return Native.getLastError();
    }

    /** "Permission denied (EACCES)": stable English text for reports, whatever the locale. */
    static String describe(int errno) {
        String desc = strerrordesc_np(errno);
        String name = strerrorname_np(errno);
        if (desc == null) desc = "error " + errno;
        return name == null ? desc : desc + " (" + name + ")";
    }

    /** The path as the NUL-terminated C string the calls above take. */
    static byte[] cString(byte[] path) {
        byte[] c = new byte[path.length + 1];
        System.arraycopy(path, 0, c, 0, path.length);
        return c;
    }

    /**
     * A {@code struct statx} in native memory (256 bytes), reused call after call by one thread.
     * Owns its memory: close it.
     */
    static final class StatxBuffer implements AutoCloseable {
        private static final int STRUCT_SIZE = 256;
        private static final long MASK = 0;
        private static final long NLINK = 16;
        private static final long MODE = 28;
        private static final long INO = 32;
        private static final long SIZE = 40;
        private static final long BLOCKS = 48;
        private static final long MTIME_SEC = 112;
        private static final long MTIME_NSEC = 120;
        private static final long DEV_MAJOR = 136;
        private static final long DEV_MINOR = 140;

        private static final byte[] EMPTY_PATH = {0};

        private final Memory mem = new Memory(STRUCT_SIZE);

        /** statx of {@code name} relative to {@code dirfd}, links not followed; errno on -1. */
        int statAt(int dirfd, byte[] cName) {
            return statx(dirfd, cName, AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT, STATX_BASIC_STATS, mem);
        }

        /** statx of an open descriptor; errno on -1. */
        int statFd(int fd) {
            return statx(fd, EMPTY_PATH, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, mem);
        }

        /** The S_IFMT bits of stx_mode, or -1 when the filesystem did not report the type. */
        int fileType() {
            if ((mem.getInt(MASK) & STATX_TYPE) == 0) return -1;
            return Short.toUnsignedInt(mem.getShort(MODE)) & S_IFMT;
        }

        long linkCount() { return Integer.toUnsignedLong(mem.getInt(NLINK)); }

        long inode() { return mem.getLong(INO); }

        long size() { return mem.getLong(SIZE); }

        /** 512-byte blocks allocated. */
        long blocks() { return mem.getLong(BLOCKS); }

        java.time.Instant modified() {
            return java.time.Instant.ofEpochSecond(mem.getLong(MTIME_SEC), Integer.toUnsignedLong(mem.getInt(MTIME_NSEC)));
        }

        /** st_dev as stat(2) and {@code stat -c %d} give it: glibc's makedev of major and minor. */
        long device() {
            long major = Integer.toUnsignedLong(mem.getInt(DEV_MAJOR));
            long minor = Integer.toUnsignedLong(mem.getInt(DEV_MINOR));
            return ((major & 0xfffff000L) << 32) | ((major & 0xfffL) << 8)
                    | ((minor & 0xffffff00L) << 12) | (minor & 0xffL);
        }

        @Override
        public void close() { mem.close(); }
    }
}
