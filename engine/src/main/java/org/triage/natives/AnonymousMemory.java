package org.triage.natives;

import com.sun.jna.Pointer;

/**
 * Large anonymous mappings for the scan's content buffers, aligned to 2 MiB and offered to the
 * kernel for transparent huge pages ({@code madvise(MADV_HUGEPAGE)}; where THP is off it is
 * ignored). The kernel copies every byte read from the page cache into these buffers; with huge
 * pages that copy takes far fewer TLB misses.
 */
public final class AnonymousMemory implements AutoCloseable {
    private static final long HUGE = 2L << 20;

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
        Pointer p = LibC.mmap(null, length, LibC.PROT_READ | LibC.PROT_WRITE, LibC.MAP_PRIVATE | LibC.MAP_ANONYMOUS, -1, 0);
        if (p == null || Pointer.nativeValue(p) == -1L) throw new OutOfMemoryError("cannot map " + size + " bytes for buffers");
        long base = Pointer.nativeValue(p);
        long aligned = (base + HUGE - 1) & -HUGE;
        Pointer start = new Pointer(aligned);
        LibC.madvise(start, size & -HUGE, LibC.MADV_HUGEPAGE); // advice only: failure changes nothing
        return new AnonymousMemory(p, length, start);
    }

    /** The first byte; valid until {@link #close}. */
    public Pointer start() { return start; }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        LibC.munmap(mapping, mappedLength);
    }
}
