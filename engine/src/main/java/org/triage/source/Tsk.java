package org.triage.source;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The Sleuth Kit's C library (libtsk 4.11, Debian package {@code libtsk19}) through JNA: the whole
 * binding in one place, so that every offset and every native call is in this file.
 *
 * <p>Design. Only functions are mapped, never structures: the few struct fields needed are read
 * at fixed offsets from a {@link Pointer} (checked with {@code offsetof} against the 4.11.1
 * headers on x86_64: a walk needs about eight fields, and reading them from a pointer is simple and
 * cheap). {@code TSK_IMG_INFO} holds a 2 MB inline read cache and must never be mapped as a JNA
 * structure. The offsets belong to one ABI, so the
 * library is loaded by its soname {@code libtsk.so.19}, and {@link #library()} checks the version
 * string and the structure tags before anything is read.
 *
 * <p>An image can also be external ({@link Image#openExternal}): libtsk then reads through a Java
 * callback, which is how EWF images are read through our own libewf handle ({@link EwfImage}) and
 * raw images, split raw images and devices through descriptors we opened ({@link RawImage}).
 *
 * <p>Native handles crash the JVM when used after close (a read after {@code tsk_fs_file_close},
 * a file after {@code tsk_fs_close}, a double {@code tsk_img_close}), so each one is wrapped in a
 * closeable object with a closed flag ({@link Image}, {@link Volumes}, {@link Filesystem},
 * {@link File}) that refuses use after close. Owners close files before their filesystem and
 * filesystems before their image.
 *
 * <p>Threading: libtsk keeps its error state per thread; {@link #error()} must be called on the
 * failing thread, right after the failing call. Reads through one image are serialised by
 * libtsk's own cache lock. Each {@link File} is used by one thread.
 */
final class Tsk {
    // TSK_IMG_TYPE_ENUM
    static final int IMG_DETECT = 0;
    static final int IMG_RAW = 1;
    static final int IMG_EWF = 0x40;
    static final int IMG_VMDK = 0x80;
    static final int IMG_VHD = 0x100;
    // TSK_VS_TYPE_ENUM, TSK_FS_TYPE_ENUM
    static final int VS_DETECT = 0;
    static final int FS_DETECT = 0;
    static final int FS_NTFS = 0x1;
    // TSK_FS_DIR_WALK_FLAG_ENUM
    static final int WALK_ALLOC = 1;
    static final int WALK_UNALLOC = 2;
    static final int WALK_RECURSE = 4;
    // TSK_WALK_RET_ENUM
    static final int WALK_CONT = 0;
    static final int WALK_STOP = 1;
    static final int WALK_ERROR = 2;
    // TSK_VS_PART_FLAG_ENUM
    static final int PART_ALLOC = 1;
    // TSK_FS_NAME_FLAG_ENUM, TSK_FS_META_FLAG_ENUM
    static final int NAME_UNALLOC = 2;
    static final int META_ALLOC = 1;
    static final int META_UNALLOC = 2;
    // TSK_FS_NAME_TYPE_ENUM
    static final int NAME_FIFO = 1, NAME_CHR = 2, NAME_DIR = 3, NAME_BLK = 4, NAME_REG = 5, NAME_LNK = 6,
            NAME_SOCK = 7, NAME_VIRT = 10, NAME_VIRT_DIR = 11;
    // TSK_FS_META_TYPE_ENUM
    static final int META_REG = 1, META_DIR = 2, META_FIFO = 3, META_CHR = 4, META_BLK = 5, META_LNK = 6,
            META_SOCK = 8, META_VIRT = 10, META_VIRT_DIR = 11;
    // TSK_FS_ATTR_FLAG_ENUM, TSK_FS_ATTR_RUN_FLAG_ENUM, TSK_FS_ATTR_TYPE_ENUM
    static final int ATTR_NONRES = 2;
    static final int ATTR_COMP = 0x20;
    static final int ATTR_ENC = 0x10;
    static final int RUN_FILLER = 1;
    static final int RUN_SPARSE = 2;
    static final int ATTR_TYPE_NTFS_DATA = 0x80;

    // Structure layouts (x86_64, libtsk 4.11.1, by offsetof).
    static final long FILE_TAG = 0, FILE_NAME = 8, FILE_META = 16;
    static final int FILE_TAG_VALUE = 0x11212212;
    static final long NAME_NAME = 8, NAME_META_ADDR = 40, NAME_TYPE = 80, NAME_FLAGS = 84;
    static final long META_TAG = 0, META_FLAGS = 4, META_ADDR = 8, META_TYPE = 16, META_SIZE = 32;
    static final int META_TAG_VALUE = 0x13524635;
    static final long ATTR_FLAGS = 16, ATTR_NAME = 24, ATTR_TYPE = 40, ATTR_ID = 44, ATTR_SIZE = 48, ATTR_RUN = 56;
    static final long RUN_NEXT = 0, RUN_OFFSET = 8, RUN_ADDR = 16, RUN_LEN = 24, RUN_FLAGS = 40;
    static final long FS_OFFSET = 16, FS_ROOT_INUM = 32, FS_LAST_BLOCK = 72, FS_LAST_BLOCK_ACT = 80, FS_BLOCK_SIZE = 88, FS_FTYPE = 112;
    static final long IMG_ITYPE = 4, IMG_SIZE = 8, IMG_NUM_IMG = 16, IMG_SECTOR_SIZE = 20, IMG_IMAGES = 32;
    /**
     * TSK_IMG_INFO's function pointers and size: after a 40-byte pthread mutex at 40 come the
     * inline cache (32 x 64 KiB) and its offsets, ages and lengths (32 x 8, 4, 8 bytes).
     * {@link Image#openExternal} checks {@link #IMG_READ_FN} against the pointer libtsk stored.
     */
    static final long IMG_READ_FN = 80 + 32 * 65536 + 32 * 8 + 32 * 4 + 32 * 8, IMG_INFO_SIZE = IMG_READ_FN + 24;
    static final int IMG_EXTERNAL = 0x1000;
    static final int ERR_IMG_READ = 0x02000000 | 7;
    static final long VS_VSTYPE = 16, VS_OFFSET = 24, VS_BLOCK_SIZE = 32, VS_PART_COUNT = 48;
    static final long PART_START = 32, PART_LEN = 40, PART_DESC = 48, PART_ADDR = 60, PART_FLAGS = 64;

    /** The C functions used, by interface mapping (the call overhead is nothing at 1 MiB per read). */
    interface Lib extends Library {
        String tsk_version_get_str();

        Pointer tsk_img_open_utf8(int count, String[] images, int type, int sectorSize);

        void tsk_img_close(Pointer img);

        Pointer tsk_img_open_external(Pointer ext, long size, int sectorSize, ImageRead read, ImageClose close,
                                      ImageStat imgstat);

        Pointer tsk_img_malloc(long size);

        void tsk_img_free(Pointer img);

        void tsk_error_set_errno(int errno);

        void tsk_error_set_errstr(String format, Object... args);

        long tsk_img_read(Pointer img, long offset, Pointer buf, long len);

        String tsk_img_type_toname(int type);

        Pointer tsk_vs_open(Pointer img, long offset, int type);

        void tsk_vs_close(Pointer vs);

        Pointer tsk_vs_part_get(Pointer vs, int index);

        String tsk_vs_type_toname(int type);

        Pointer tsk_fs_open_img(Pointer img, long offset, int type);

        void tsk_fs_close(Pointer fs);

        String tsk_fs_type_toname(int type);

        byte tsk_fs_dir_walk(Pointer fs, long inum, int flags, WalkCallback cb, Pointer data);

        Pointer tsk_fs_file_open_meta(Pointer fs, Pointer file, long inum);

        void tsk_fs_file_close(Pointer file);

        long tsk_fs_file_read(Pointer file, long offset, Pointer buf, long len, int flags);

        int tsk_fs_file_attr_getsize(Pointer file);

        Pointer tsk_fs_file_attr_get_idx(Pointer file, int index);

        Pointer tsk_fs_file_attr_get(Pointer file);

        long tsk_fs_attr_read(Pointer attr, long offset, Pointer buf, long len, int flags);

        Pointer tsk_error_get();

        int tsk_error_get_errno();

        void tsk_error_reset();
    }

    /**
     * {@code TSK_FS_DIR_WALK_CB}. The file and path are valid only during the call. A Java
     * exception escaping from here would be logged by JNA and read as CONTINUE: implementations
     * catch everything and return {@link #WALK_ERROR}.
     */
    interface WalkCallback extends Callback {
        int invoke(Pointer file, Pointer parentPath, Pointer data);
    }

    /**
     * An external image's read function ({@code ssize_t (*)(TSK_IMG_INFO*, TSK_OFF_T, char*, size_t)}),
     * called with the image's cache lock held. Returns the bytes read or -1 after {@link #setError}.
     * Implementations catch everything: an exception escaping a JNA callback returns 0, which libtsk
     * would take for data.
     */
    interface ImageRead extends Callback {
        long invoke(Pointer img, long offset, Pointer buf, long len);
    }

    /** An external image's close function, called by {@code tsk_img_close}. */
    interface ImageClose extends Callback {
        void invoke(Pointer img);
    }

    /** An external image's {@code imgstat} function (required by libtsk, never used here). */
    interface ImageStat extends Callback {
        void invoke(Pointer img, Pointer file);
    }

    private static volatile Lib lib;
    private static volatile String loadFailure;

    private Tsk() {
    }

    /**
     * The library, loaded on first use (directory scans never load it).
     *
     * @throws IOException saying which package to install when it is missing or not the expected version
     */
    static Lib library() throws IOException {
        Lib l = lib;
        if (l != null) return l;
        synchronized (Tsk.class) {
            if (lib != null) return lib;
            if (loadFailure != null) throw new IOException(loadFailure);
            try {
                org.triage.natives.JnaSetup.init();
                Lib loaded = Native.load(System.getProperty("triage.libtsk", "libtsk.so.19"), Lib.class);
                String v = loaded.tsk_version_get_str();
                if (v == null || !v.startsWith("4.11.")) {
                    loadFailure = "libtsk.so.19 is version " + v + "; this build reads its structures as 4.11.x"
                            + " (Debian bookworm: apt-get install libtsk19)";
                    throw new IOException(loadFailure);
                }
                lib = loaded;
                return loaded;
            } catch (UnsatisfiedLinkError e) {
                loadFailure = "disk images need The Sleuth Kit's library libtsk.so.19, which is not installed"
                        + " (on Debian: apt-get install libtsk19)";
                System.getLogger(Tsk.class.getName()).log(System.Logger.Level.DEBUG, "loading libtsk failed", e);
                throw new IOException(loadFailure, e);
            }
        }
    }

    /** libtsk's version string, or null when the library cannot be loaded. */
    static String version() {
        try {
            return library().tsk_version_get_str();
        } catch (IOException e) {
            return null;
        }
    }

    /** The calling thread's last libtsk error, then cleared; "unknown error" when none was set. */
    static String error() {
        Lib l = lib;
        if (l == null) return "libtsk not loaded";
        Pointer p = l.tsk_error_get();
        String msg = p == null ? null : p.getString(0, StandardCharsets.UTF_8.name()).trim();
        l.tsk_error_reset();
        return msg == null || msg.isEmpty() ? "unknown error" : msg;
    }

    /** Sets the calling thread's libtsk error, as an image read function does before it returns -1. */
    static void setError(String message) {
        Lib l = lib;
        if (l == null) return;
        l.tsk_error_reset();
        l.tsk_error_set_errno(ERR_IMG_READ);
        l.tsk_error_set_errstr("%s", message);
    }

    /**
     * An image read function's last resort: sets libtsk's error from {@code t} and returns -1, so
     * that libtsk fails the read instead of taking the 0 JNA would return for data. Never throws.
     */
    static long readFailed(Throwable t) {
        try {
            setError(t.getMessage() == null ? t.toString() : t.getMessage());
        } catch (Throwable ignored) {
            // -1 alone still fails the read
        }
        return -1;
    }

    /** A C string's exact bytes (no decoding), or null for NULL. */
    static byte[] cBytes(Pointer p) {
        if (p == null) return null;
        long n = p.indexOf(0, (byte) 0);
        return p.getByteArray(0, (int) n);
    }

    static String cString(Pointer p) {
        byte[] b = cBytes(p);
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    /** A native handle with a closed flag: use after close throws instead of crashing the JVM. */
    abstract static class Handle implements AutoCloseable {
        private final AtomicBoolean closed = new AtomicBoolean();
        final Pointer ptr;
        final Lib lib;

        Handle(Lib lib, Pointer ptr) {
            this.lib = lib;
            this.ptr = ptr;
        }

        /** The live pointer; throws when closed. */
        Pointer ptr() {
            if (closed.get()) throw new IllegalStateException(getClass().getSimpleName() + " is closed");
            return ptr;
        }

        boolean closed() { return closed.get(); }

        @Override
        public final void close() {
            if (closed.compareAndSet(false, true)) release();
        }

        abstract void release();
    }

    /** An opened disk image ({@code TSK_IMG_INFO}): raw, split raw, EWF, VMDK, VHD. */
    static final class Image extends Handle {
        /** What an external image's native side calls back, kept reachable while the image is open. */
        private final Object[] callbacks;

        private Image(Lib lib, Pointer ptr) { this(lib, ptr, null); }

        private Image(Lib lib, Pointer ptr, Object[] callbacks) {
            super(lib, ptr);
            this.callbacks = callbacks;
        }

        /**
         * Opens an image of a known type read-only: libtsk hands it to that one library (libvmdk,
         * libvhdi), which opens the files {@code O_RDONLY}. Never {@link #IMG_DETECT}: detection
         * tries every library libtsk was built with, and libafflib's probe opens the evidence
         * read-write.
         *
         * @param segments the image's files in order
         * @param type     {@link #IMG_VMDK} or {@link #IMG_VHD} (raw and EWF are opened by us: {@link #openExternal})
         * @throws IOException with libtsk's reason, or when libtsk opened it as another type
         */
        static Image open(String[] segments, int type) throws IOException {
            if (type == IMG_DETECT) throw new IllegalArgumentException("an image type must be given, never detected");
            Lib l = library();
            Pointer p = l.tsk_img_open_utf8(segments.length, segments, type, 0);
            if (p == null) throw new IOException("cannot open image as " + l.tsk_img_type_toname(type) + ": " + error());
            Image img = new Image(l, p);
            if (img.type() != type) {
                String got = img.typeName();
                img.close();
                throw new IOException("libtsk opened the image as " + got + ", not " + l.tsk_img_type_toname(type));
            }
            return img;
        }

        /**
         * An image whose bytes come from {@code read} ({@code tsk_img_open_external}): libtsk keeps
         * its own cache and lock and calls {@code read} for what is not cached. The TSK_IMG_INFO
         * (2 MB, mostly the cache) is allocated here with {@code tsk_img_malloc}, zeroed, and freed by
         * the close callback. {@code names} fill its image-name list: libtsk's filesystem detection
         * reads the first name (YAFFS looks for a config file beside it).
         *
         * @throws IOException when libtsk refuses, or when it stored the read function elsewhere than
         *                     this binding's layout says (another ABI: nothing is read then)
         */
        static Image openExternal(long size, int sectorSize, java.util.List<String> names, ImageRead read) throws IOException {
            Lib l = library();
            Pointer info = l.tsk_img_malloc(IMG_INFO_SIZE);
            if (info == null) throw new IOException("cannot allocate an image: " + error());
            Memory nameList = new Memory((long) Native.POINTER_SIZE * Math.max(1, names.size()));
            Memory[] nameText = new Memory[names.size()];
            for (int i = 0; i < names.size(); i++) {
                byte[] b = names.get(i).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                nameText[i] = new Memory(b.length + 1L);
                nameText[i].write(0, b, 0, b.length);
                nameText[i].setByte(b.length, (byte) 0);
                nameList.setPointer((long) Native.POINTER_SIZE * i, nameText[i]);
            }
            info.setPointer(IMG_IMAGES, nameList);
            info.setInt(IMG_NUM_IMG, names.size());
            ImageClose close = img -> l.tsk_img_free(img);
            ImageStat stat = (img, file) -> { };
            Pointer p = l.tsk_img_open_external(info, size, sectorSize, read, close, stat);
            if (p == null) {
                String why = error();
                l.tsk_img_free(info);
                throw new IOException("cannot open image: " + why);
            }
            if (!p.getPointer(IMG_READ_FN).equals(com.sun.jna.CallbackReference.getFunctionPointer(read))) {
                // Leaked, not freed: with an unknown layout nothing here can be trusted to close it.
                throw new IOException("libtsk's TSK_IMG_INFO is not laid out as this build expects (libtsk "
                        + l.tsk_version_get_str() + "); cannot hand it images opened by triage");
            }
            return new Image(l, p, new Object[] {read, close, stat, nameList, nameText});
        }

        int type() { return ptr().getInt(IMG_ITYPE); }

        long size() { return ptr().getLong(IMG_SIZE); }

        int segmentCount() { return ptr().getInt(IMG_NUM_IMG); }

        int sectorSize() { return ptr().getInt(IMG_SECTOR_SIZE); }

        String typeName() { return lib.tsk_img_type_toname(type()); }

        /**
         * Empties libtsk's read cache (marks its 32 entries unused: {@code cache_len[i] = 0}), so that
         * bytes read before an {@link ExtInodeGuard} started screening are read again through it.
         * Only while no other thread reads this image.
         */
        void dropCache() {
            ptr().share(IMG_READ_FN - 32L * 8).clear(32L * 8);
        }

        /** Reads image bytes; returns bytes read or -1 (then {@link #error()} says why). */
        long read(long offset, Pointer buf, long len) { return lib.tsk_img_read(ptr(), offset, buf, len); }

        @Override
        void release() {
            lib.tsk_img_close(ptr);
            java.lang.ref.Reference.reachabilityFence(callbacks); // the close callback runs inside tsk_img_close
        }
    }

    /** A volume system (partition table) of an image ({@code TSK_VS_INFO}). */
    static final class Volumes extends Handle {
        private Volumes(Lib lib, Pointer ptr) { super(lib, ptr); }

        /**
         * The image's volume system, or null when libtsk recognises none; then {@code whyNot[0]}
         * holds libtsk's reason (empty when it simply found no table).
         */
        static Volumes open(Image img, String[] whyNot) throws IOException {
            Lib l = img.lib;
            Pointer p = l.tsk_vs_open(img.ptr(), 0, VS_DETECT);
            if (p != null) return new Volumes(l, p);
            int errno = l.tsk_error_get_errno();
            String msg = errno == 0 ? "" : error();
            l.tsk_error_reset();
            if (errno == 0 || msg.contains("Cannot determine partition type")) {
                whyNot[0] = msg;
                return null;
            }
            throw new IOException("cannot read the partition table: " + msg);
        }

        String typeName() { return lib.tsk_vs_type_toname(ptr().getInt(VS_VSTYPE)); }

        int count() { return ptr().getInt(VS_PART_COUNT); }

        long offset() { return ptr().getLong(VS_OFFSET); }

        int blockSize() { return ptr().getInt(VS_BLOCK_SIZE); }

        /** Partition {@code i}: its flags, byte offset, byte length and description. */
        Partition part(int i) {
            Pointer p = lib.tsk_vs_part_get(ptr(), i);
            if (p == null) return null;
            long bs = blockSize();
            return new Partition(p.getInt(PART_ADDR), p.getInt(PART_FLAGS),
                    offset() + p.getLong(PART_START) * bs, p.getLong(PART_LEN) * bs, cString(p.getPointer(PART_DESC)));
        }

        @Override
        void release() { lib.tsk_vs_close(ptr); }
    }

    /** One entry of a volume system, copied out of the native structure. */
    record Partition(int index, int flags, long offset, long length, String description) {
        boolean allocated() { return (flags & PART_ALLOC) != 0; }
    }

    /** A filesystem inside an image ({@code TSK_FS_INFO}). */
    static final class Filesystem extends Handle {
        private Filesystem(Lib lib, Pointer ptr) { super(lib, ptr); }

        /** Opens the filesystem at a byte offset of the image, any type libtsk knows. */
        static Filesystem open(Image img, long offset) throws IOException {
            Lib l = img.lib;
            Pointer p = l.tsk_fs_open_img(img.ptr(), offset, FS_DETECT);
            if (p == null) throw new IOException(error());
            return new Filesystem(l, p);
        }

        long offset() { return ptr().getLong(FS_OFFSET); }

        long rootInode() { return ptr().getLong(FS_ROOT_INUM); }

        long blockSize() { return Integer.toUnsignedLong(ptr().getInt(FS_BLOCK_SIZE)); }

        int type() { return ptr().getInt(FS_FTYPE); }

        /** Bytes the filesystem says it spans. */
        long byteSize() { return (ptr().getLong(FS_LAST_BLOCK) + 1) * blockSize(); }

        /** Bytes of it the image actually holds (less than {@link #byteSize()} when the image is truncated). */
        long bytesPresent() { return (ptr().getLong(FS_LAST_BLOCK_ACT) + 1) * blockSize(); }

        String typeName() { return lib.tsk_fs_type_toname(type()); }

        boolean ntfs() { return (type() & FS_NTFS) != 0; }

        /** Walks every name (allocated and deleted, recursively, orphans included). Returns false on error. */
        boolean walk(WalkCallback cb) {
            return lib.tsk_fs_dir_walk(ptr(), rootInode(), WALK_ALLOC | WALK_UNALLOC | WALK_RECURSE, cb, null) == 0;
        }

        /** Opens a file by its metadata address; the caller closes it before this filesystem. */
        File openMeta(long inode) throws IOException {
            Pointer p = lib.tsk_fs_file_open_meta(ptr(), null, inode);
            if (p == null) throw new IOException(error());
            return new File(lib, p, this);
        }

        @Override
        void release() { lib.tsk_fs_close(ptr); }
    }

    /** An open file ({@code TSK_FS_FILE}) owned by one thread. */
    static final class File extends Handle {
        private final Filesystem fs;

        private File(Lib lib, Pointer ptr, Filesystem fs) {
            super(lib, ptr);
            this.fs = fs;
        }

        @Override
        Pointer ptr() {
            if (fs.closed()) throw new IllegalStateException("filesystem closed before its file");
            return super.ptr();
        }

        /** The default data attribute, or the NTFS $DATA attribute with that stream name; null when absent. */
        Pointer attribute(String stream) {
            Pointer f = ptr();
            if (stream == null) return lib.tsk_fs_file_attr_get(f);
            byte[] want = stream.getBytes(StandardCharsets.UTF_8);
            int n = lib.tsk_fs_file_attr_getsize(f);
            for (int i = 0; i < n; i++) {
                Pointer a = lib.tsk_fs_file_attr_get_idx(f, i);
                if (a == null || a.getInt(ATTR_TYPE) != ATTR_TYPE_NTFS_DATA) continue;
                byte[] name = cBytes(a.getPointer(ATTR_NAME));
                if (name != null && java.util.Arrays.equals(name, want)) return a;
            }
            return null;
        }

        /** Reads from an attribute of this file; bytes read, or -1 (then {@link #error()} says why). */
        long read(Pointer attr, long offset, Pointer buf, long len) {
            ptr();
            return lib.tsk_fs_attr_read(attr, offset, buf, len, 0);
        }

        @Override
        void release() {
            // After tsk_fs_close the file's memory is gone: leaking it is safe, closing it is not.
            if (!fs.closed()) lib.tsk_fs_file_close(ptr);
        }
    }

    /**
     * The byte offset in the image of an attribute's first allocated run, or -1 when it has none
     * (resident, sparse or empty). Runs are in filesystem blocks from the filesystem's start.
     */
    static long firstRunOffset(Pointer attr, long fsOffset, long blockSize) {
        if (attr == null || (attr.getInt(ATTR_FLAGS) & ATTR_NONRES) == 0) return -1;
        for (Pointer run = attr.getPointer(ATTR_RUN); run != null; run = run.getPointer(RUN_NEXT)) {
            if ((run.getInt(RUN_FLAGS) & (RUN_FILLER | RUN_SPARSE)) != 0) continue;
            return fsOffset + run.getLong(RUN_ADDR) * blockSize;
        }
        return -1;
    }

    /**
     * True for a non-resident attribute whose runs are all sparse or filler (e.g. NTFS
     * {@code $BadClus:$Bad}). An attribute with no run at all is {@link #unmapped}, not sparse.
     */
    static boolean allSparse(Pointer attr) {
        if (attr == null || (attr.getInt(ATTR_FLAGS) & ATTR_NONRES) == 0 || attr.getPointer(ATTR_RUN) == null) return false;
        for (Pointer run = attr.getPointer(ATTR_RUN); run != null; run = run.getPointer(RUN_NEXT)) {
            if ((run.getInt(RUN_FLAGS) & (RUN_FILLER | RUN_SPARSE)) == 0 && run.getLong(RUN_LEN) > 0) return false;
        }
        return true;
    }

    /**
     * True for a non-resident attribute that claims content but has no run at all: libtsk builds
     * this when it cannot map a file (a FAT cluster chain that loops or breaks), where a sparse
     * file gets explicit sparse runs instead.
     */
    static boolean unmapped(Pointer attr) {
        return attr != null && (attr.getInt(ATTR_FLAGS) & ATTR_NONRES) != 0 && attr.getPointer(ATTR_RUN) == null
                && attr.getLong(ATTR_SIZE) > 0;
    }

    /**
     * The file offset just past an attribute's last allocated run: how far its content is really
     * stored (its size for a resident attribute).
     */
    static long coveredEnd(Pointer attr, long blockSize) {
        if (attr == null) return 0;
        if ((attr.getInt(ATTR_FLAGS) & ATTR_NONRES) == 0) return attr.getLong(ATTR_SIZE);
        long end = 0;
        for (Pointer run = attr.getPointer(ATTR_RUN); run != null; run = run.getPointer(RUN_NEXT)) {
            if ((run.getInt(RUN_FLAGS) & (RUN_FILLER | RUN_SPARSE)) != 0) continue;
            end = Math.max(end, (run.getLong(RUN_OFFSET) + run.getLong(RUN_LEN)) * blockSize);
        }
        return end;
    }

    /**
     * Adds an attribute's allocated runs to {@code out} as (image byte offset, byte length) pairs, in
     * file order: what a disk head would visit to read it.
     */
    static void runs(Pointer attr, long fsOffset, long blockSize, java.util.List<long[]> out) {
        if (attr == null || (attr.getInt(ATTR_FLAGS) & ATTR_NONRES) == 0) return;
        for (Pointer run = attr.getPointer(ATTR_RUN); run != null; run = run.getPointer(RUN_NEXT)) {
            if ((run.getInt(RUN_FLAGS) & (RUN_FILLER | RUN_SPARSE)) != 0) continue;
            out.add(new long[] {fsOffset + run.getLong(RUN_ADDR) * blockSize, run.getLong(RUN_LEN) * blockSize});
        }
    }

    /**
     * As {@link #runs}, cut to the attribute's first {@code size} bytes: where its content lies on
     * the image, without the slack after the end of the file.
     */
    static void contentRuns(Pointer attr, long fsOffset, long blockSize, long size, java.util.List<long[]> out) {
        if (attr == null || (attr.getInt(ATTR_FLAGS) & ATTR_NONRES) == 0) return;
        for (Pointer run = attr.getPointer(ATTR_RUN); run != null; run = run.getPointer(RUN_NEXT)) {
            if ((run.getInt(RUN_FLAGS) & (RUN_FILLER | RUN_SPARSE)) != 0) continue;
            long fileStart = run.getLong(RUN_OFFSET) * blockSize;
            if (fileStart >= size) continue;
            long len = Math.min(run.getLong(RUN_LEN) * blockSize, size - fileStart);
            out.add(new long[] {fsOffset + run.getLong(RUN_ADDR) * blockSize, len});
        }
    }

    /**
     * Where an attribute's first {@code size} bytes lie in the image, for a report: its runs in file
     * order, a sparse or filler run (or a gap libtsk left between runs, or a tail no run covers) as a
     * hole; {@link ByteRuns#RESIDENT} for resident data. Null for compressed or encrypted content,
     * whose runs hold other bytes than the file's. Reads nothing: the runs are in the attribute.
     */
    static org.triage.model.ByteRuns byteRuns(Pointer attr, long fsOffset, long blockSize, long size) {
        if (attr == null) return null;
        int flags = attr.getInt(ATTR_FLAGS);
        if ((flags & (ATTR_COMP | ATTR_ENC)) != 0) return null;
        if ((flags & ATTR_NONRES) == 0) return size == 0 ? new org.triage.model.ByteRuns.Builder().build() : org.triage.model.ByteRuns.RESIDENT;
        org.triage.model.ByteRuns.Builder out = new org.triage.model.ByteRuns.Builder();
        long at = 0; // file offset reached
        for (Pointer run = attr.getPointer(ATTR_RUN); run != null && at < size; run = run.getPointer(RUN_NEXT)) {
            long start = run.getLong(RUN_OFFSET) * blockSize;
            long end = Math.min(size, start + run.getLong(RUN_LEN) * blockSize);
            if (start > at) { // a gap between runs: libtsk reads it as zeros
                out.add(-1, Math.min(start, size) - at);
                at = Math.min(start, size);
            }
            if (end <= at) continue;
            boolean hole = (run.getInt(RUN_FLAGS) & (RUN_FILLER | RUN_SPARSE)) != 0;
            long from = at - start; // a run that overlaps what came before starts where that ended
            out.add(hole ? -1 : fsOffset + run.getLong(RUN_ADDR) * blockSize + from, end - at);
            at = end;
        }
        if (at < size) out.add(-1, size - at);
        return out.build();
    }

    /** The image byte offset of a byte of an attribute, or -1 when it is not in an allocated run. */
    static long imageOffset(Pointer attr, long fileOffset, long fsOffset, long blockSize) {
        if (attr == null || (attr.getInt(ATTR_FLAGS) & ATTR_NONRES) == 0) return -1;
        for (Pointer run = attr.getPointer(ATTR_RUN); run != null; run = run.getPointer(RUN_NEXT)) {
            long start = run.getLong(RUN_OFFSET) * blockSize;
            long len = run.getLong(RUN_LEN) * blockSize;
            if (fileOffset >= start && fileOffset < start + len) {
                if ((run.getInt(RUN_FLAGS) & (RUN_FILLER | RUN_SPARSE)) != 0) return -1;
                return fsOffset + run.getLong(RUN_ADDR) * blockSize + (fileOffset - start);
            }
        }
        return -1;
    }
}
