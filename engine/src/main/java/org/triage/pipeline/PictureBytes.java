package org.triage.pipeline;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;

/**
 * One picture's bytes for the PDQ stage, outside the heap. Copies on the heap were measured to cost
 * the crypto part: 100 MB of pictures waiting in the queue survive a young collection, and each such
 * collection (copying them to the old generation) stopped the hashers for 180 ms, twice in a 2-second
 * scan of 240 photos. Native memory is never copied by the collector, and is freed here, at once,
 * when the picture is decoded or dropped, not when a collector gets to it.
 *
 * <p>Ownership: one owner at a time (the tap, then the recorder, then a PDQ thread), who closes it.
 */
final class PictureBytes implements AutoCloseable {
    private Memory memory;
    private long length;

    PictureBytes(long capacity) {
        this.memory = new Memory(Math.max(1, capacity));
    }

    long length() {
        return length;
    }

    /** Appends {@code n} bytes from {@code src}, growing (doubling) when they do not fit. */
    void append(Pointer src, int n) {
        ensure(length + n);
        memory.getByteBuffer(length, n).put(src.getByteBuffer(0, n));
        length += n;
    }

    /** Where the next {@code n} bytes go (for a read straight into this picture); then {@link #advance}. */
    Pointer tail(int n) {
        ensure(length + n);
        return memory.share(length, n);
    }

    void advance(int n) {
        length += n;
    }

    long capacity() {
        return memory.size();
    }

    /** The bytes, for a decoder: a view, valid until {@link #close}. */
    ByteBuffer buffer() {
        return memory.getByteBuffer(0, length);
    }

    private void ensure(long needed) {
        if (needed <= memory.size()) return;
        Memory bigger = new Memory(Math.max(needed, 2 * memory.size()));
        if (length > 0) bigger.getByteBuffer(0, length).put(memory.getByteBuffer(0, length));
        memory.close();
        memory = bigger;
    }

    @Override
    public void close() {
        if (memory != null) memory.close();
        memory = null;
    }
}
