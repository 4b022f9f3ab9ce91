package org.triage.natives;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * triage's one binding of glibc: the few calls {@code source.DirectorySource} needs to list and
 * open files by their exact byte names, those {@code source.EvidenceFile} reads image segments and
 * devices with, and the mapping calls behind {@link AnonymousMemory}, bound
 * with JNA direct mapping (static natives, no proxy, no per-call reflection). One class, so the
 * library is registered once and the layouts and constants checked by LibCConstantsTest are all
 * in one place.
 *
 * <p>Paths are passed as NUL-terminated {@code byte[]}, never as {@code String}, because the names
 * need not be valid in any charset. Except for {@link #readdir}, errno is read with
 * {@link Native#getLastError()} and only after a call returned its failure value: JNA stores errno
 * after every direct call, and a successful call may leave a stale errno behind. {@code readdir}
 * returns NULL both at the end and on error, so it is declared to throw {@link LastErrorException}:
 * JNA then clears errno right before the call and throws only if the call set it.
 *
 * <p>Layouts and constants are those of Linux with glibc on x86_64 and aarch64, the two
 * architectures checked (against {@code /usr/include} with {@code offsetof}, and by LibCConstantsTest
 * against what gcc's headers say at test time); {@code struct statx} is the same on every
 * architecture, {@code struct dirent} is the 64-bit one. Linux only. On any other architecture the
 * class refuses to load, naming the architecture: a wrong open flag there could open evidence
 * with O_DIRECT or follow a link the walk must not follow.
 */
public final class LibC {
    public static final int AT_FDCWD = -100;

    /**
     * The open(2) flags whose bits differ between architectures. x86_64 takes the kernel's
     * asm-generic/fcntl.h; aarch64 defines its own O_DIRECTORY and O_NOFOLLOW (asm/fcntl.h), and
     * there x86_64's two bits mean O_DIRECT and O_LARGEFILE. O_NOATIME is asm-generic's on both.
     */
    public record OpenFlags(int directory, int noFollow, int noAtime) {
        public static OpenFlags of(String arch) {
            return switch (arch) {
                case "amd64", "x86_64" -> new OpenFlags(0x10000, 0x20000, 0x40000);
                case "aarch64", "arm64" -> new OpenFlags(0x4000, 0x8000, 0x40000);
                default -> throw new UnsupportedOperationException("triage's libc binding has been checked on x86_64"
                        + " and aarch64 Linux only; this JVM runs on os.arch=" + arch);
            };
        }
    }

    private static final OpenFlags FLAGS = OpenFlags.of(System.getProperty("os.arch"));

    public static final int O_RDONLY = 0;
    public static final int O_NONBLOCK = 0x800;
    public static final int O_DIRECTORY = FLAGS.directory();
    public static final int O_NOFOLLOW = FLAGS.noFollow();
    public static final int O_NOATIME = FLAGS.noAtime();
    public static final int O_CLOEXEC = 0x80000;
    public static final int O_PATH = 0x200000;

    public static final int AT_SYMLINK_NOFOLLOW = 0x100;
    public static final int AT_NO_AUTOMOUNT = 0x800;
    public static final int AT_EMPTY_PATH = 0x1000;
    public static final int STATX_TYPE = 0x1;
    public static final int STATX_BASIC_STATS = 0x7ff;

    public static final int S_IFMT = 0xF000;
    public static final int S_IFIFO = 0x1000;
    public static final int S_IFCHR = 0x2000;
    public static final int S_IFDIR = 0x4000;
    public static final int S_IFBLK = 0x6000;
    public static final int S_IFREG = 0x8000;
    public static final int S_IFLNK = 0xA000;
    public static final int S_IFSOCK = 0xC000;

    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int EINTR = 4;
    public static final int ENAMETOOLONG = 36;

    /** Longest path the kernel takes in one call, including the terminating NUL. */
    public static final int PATH_MAX = 4096;

    // struct dirent (x86_64 glibc)
    public static final long DIRENT_INO = 0;
    public static final long DIRENT_NAME = 19;

    static {
        JnaSetup.init();
        Native.register(LibC.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
    }

    private LibC() {
    }

    /** {@code open} is variadic; the mode argument is left out because O_CREAT is never passed. */
    public static native int openat(int dirfd, byte[] path, int flags);

    /** For evidence files opened by name; {@code open} is variadic, the mode is left out (no O_CREAT). */
    public static native int open(byte[] path, int flags);

    public static native int close(int fd);

    /** Keeps no file position, so any thread may read at any offset. */
    public static native long pread(int fd, Pointer buf, long count, long offset);

    public static final int SEEK_SET = 0;
    public static final int SEEK_END = 2;

    public static native long lseek(int fd, long offset, int whence);

    public static native long read(int fd, Pointer buf, long count);

    public static native int statx(int dirfd, byte[] path, int flags, int mask, Pointer buf);

    /** Takes ownership of {@code fd} on success: {@link #closedir} closes it. */
    public static native Pointer fdopendir(int fd);

    public static native Pointer readdir(Pointer dir) throws LastErrorException;

    public static native int closedir(Pointer dir);

    public static final int PRIO_PROCESS = 0;

    /**
     * On Linux the nice value is per thread: {@code setpriority(PRIO_PROCESS, tid, n)} sets that
     * thread's alone (0: the calling thread's).
     */
    public static native int setpriority(int which, int who, int prio);

    /** Linux's normal scheduling class (sched.h). */
    public static final int SCHED_OTHER = 0;
    /** Linux's idle scheduling class (sched.h): runs only on a core nothing else wants. */
    public static final int SCHED_IDLE = 5;

    /**
     * {@code sched_setscheduler(tid, policy, &param)}: on Linux, for that one thread (0: the calling one).
     * {@code param} is {@code struct sched_param}, one int (the static priority, 0 for SCHED_IDLE).
     */
    public static native int sched_setscheduler(int pid, int policy, int[] param);

    /** The calling thread's Linux thread id (glibc 2.30 and later), for the calls above on another thread. */
    public static native int gettid();

    /** {@code struct statfs} is 120 bytes on x86_64; f_type, a long, comes first. */
    public static native int fstatfs(int fd, Pointer buf);

    private static final ThreadLocal<Memory> STATFS = ThreadLocal.withInitial(() -> new Memory(128));

    /** statfs' f_type of an open descriptor (unsigned), or -1 when fstatfs fails. */
    public static long filesystemType(int fd) {
        Memory buf = STATFS.get();
        if (fstatfs(fd, buf) != 0) return -1;
        return buf.getLong(0) & 0xffffffffL;
    }

    // mmap(2)/madvise(2): only AnonymousMemory maps memory, so these stay package-private.
    static final int PROT_READ = 1;
    static final int PROT_WRITE = 2;
    static final int MAP_PRIVATE = 2;
    static final int MAP_ANONYMOUS = 0x20;
    static final int MADV_HUGEPAGE = 14;

    static native Pointer mmap(Pointer addr, long length, int prot, int flags, int fd, long offset);

    static native int munmap(Pointer addr, long length);

    static native int madvise(Pointer addr, long length, int advice);

    /** English description, never translated (glibc 2.32+); NULL for an unknown number. */
    public static native String strerrordesc_np(int errno);

    /** Symbolic name such as "EACCES" (glibc 2.32+); NULL for an unknown number. */
    public static native String strerrorname_np(int errno);

    /** The calling thread's errno as saved by JNA after the last native call. */
    public static int errno() {
        return Native.getLastError();
    }

    /** "Permission denied (EACCES)": stable English text for reports, whatever the locale. */
    public static String describe(int errno) {
        String desc = strerrordesc_np(errno);
        String name = strerrorname_np(errno);
        if (desc == null) desc = "error " + errno;
        return name == null ? desc : desc + " (" + name + ")";
    }

    /** The path as the NUL-terminated C string the calls above take. */
    public static byte[] cString(byte[] path) {
        byte[] c = new byte[path.length + 1];
        System.arraycopy(path, 0, c, 0, path.length);
        return c;
    }

    /**
     * A {@code struct statx} in native memory (256 bytes), reused call after call by one thread.
     * Owns its memory: close it.
     */
    public static final class StatxBuffer implements AutoCloseable {
        private static final int STRUCT_SIZE = 256;
        private static final long MASK = 0;
        private static final long NLINK = 16;
        private static final long MODE = 28;
        private static final long INO = 32;
        private static final long SIZE = 40;
        private static final long BLOCKS = 48;
        private static final long MTIME_SEC = 112;
        private static final long MTIME_NSEC = 120;
        private static final long RDEV_MAJOR = 128;
        private static final long RDEV_MINOR = 132;
        private static final long DEV_MAJOR = 136;
        private static final long DEV_MINOR = 140;

        private static final byte[] EMPTY_PATH = {0};

        private final Memory mem = new Memory(STRUCT_SIZE);

        /** statx of {@code name} relative to {@code dirfd}, links not followed; errno on -1. */
        public int statAt(int dirfd, byte[] cName) {
            return statx(dirfd, cName, AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT, STATX_BASIC_STATS, mem);
        }

        /** statx of an open descriptor; errno on -1. */
        public int statFd(int fd) {
            return statx(fd, EMPTY_PATH, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, mem);
        }

        /** The S_IFMT bits of stx_mode, or -1 when the filesystem did not report the type. */
        public int fileType() {
            if ((mem.getInt(MASK) & STATX_TYPE) == 0) return -1;
            return Short.toUnsignedInt(mem.getShort(MODE)) & S_IFMT;
        }

        public long linkCount() { return Integer.toUnsignedLong(mem.getInt(NLINK)); }

        public long inode() { return mem.getLong(INO); }

        public long size() { return mem.getLong(SIZE); }

        /** 512-byte blocks allocated. */
        public long blocks() { return mem.getLong(BLOCKS); }

        public java.time.Instant modified() {
            return java.time.Instant.ofEpochSecond(mem.getLong(MTIME_SEC), Integer.toUnsignedLong(mem.getInt(MTIME_NSEC)));
        }

        /** st_dev as stat(2) and {@code stat -c %d} give it: glibc's makedev of major and minor. */
        public long device() {
            long major = Integer.toUnsignedLong(mem.getInt(DEV_MAJOR));
            long minor = Integer.toUnsignedLong(mem.getInt(DEV_MINOR));
            return ((major & 0xfffff000L) << 32) | ((major & 0xfffL) << 8)
                    | ((minor & 0xffffff00L) << 12) | (minor & 0xffL);
        }

        /** st_rdev (the device a device node stands for), in the form of {@link #device}. */
        public long rdevice() {
            return makedev(Integer.toUnsignedLong(mem.getInt(RDEV_MAJOR)), Integer.toUnsignedLong(mem.getInt(RDEV_MINOR)));
        }

        private static long makedev(long major, long minor) {
            return ((major & 0xfffff000L) << 32) | ((major & 0xfffL) << 8)
                    | ((minor & 0xffffff00L) << 12) | (minor & 0xffL);
        }

        @Override
        public void close() { mem.close(); }
    }
}
