package org.triage.jna;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * Large anonymous mappings for the scan's content buffers, aligned to 2 MiB and offered to the
 * kernel for transparent huge pages ({@code madvise(MADV_HUGEPAGE)}; where THP is off it is
 * ignored). The kernel copies every byte read from the page cache into these buffers; with huge
 * pages that copy takes far fewer TLB misses.
 */
public final class AnonymousMemory implements AutoCloseable {
    private static final int PROT_READ = 1, PROT_WRITE = 2, MAP_PRIVATE = 2, MAP_ANONYMOUS = 0x20, MADV_HUGEPAGE = 14;
    private static final long HUGE = 2L << 20;

    static {
        JnaSetup.init();
        Native.register(AnonymousMemory.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
    }

    private static native Pointer mmap(Pointer addr, long length, int prot, int flags, int fd, long offset);

    private static native int munmap(Pointer addr, long length);

    private static native int madvise(Pointer addr, long length, int advice);

    private final Pointer mapping;
    private final long mappedLength;
    private final Pointer start;
    private boolean closed;

    private AnonymousMemory(Pointer mapping, long mappedLength, Pointer start) {
        this.mapping = mapping;
        this.mappedLength = mappedLength;
        this.start = start;
    }

    /** Maps {@code size} bytes (zero-filled, read-write, private), 2 MiB aligned. */
    public static AnonymousMemory allocate(long size) {
        long length = size + HUGE;
        Pointer p = mmap(null, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == null || Pointer.nativeValue(p) == -1L) throw new OutOfMemoryError("cannot map " + size + " bytes for buffers");
        long base = Pointer.nativeValue(p);
        long aligned = (base + HUGE - 1) & -HUGE;
        Pointer start = new Pointer(aligned);
        madvise(start, size & -HUGE, MADV_HUGEPAGE); // advice only: failure changes nothing
        return new AnonymousMemory(p, length, start);
    }

    /** The first byte; valid until {@link #close}. */
    public Pointer start() { return start; }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        munmap(mapping, mappedLength);
    }
}
