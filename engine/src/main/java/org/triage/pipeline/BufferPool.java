package org.triage.pipeline;

import java.util.concurrent.ArrayBlockingQueue;

/**
 * A fixed set of content buffers, allocated once. Readers take, the recording stage gives back.
 * Memory is {@code count * size} whatever the drive or file size; a reader waits when all are in
 * flight, which is the pipeline's back-pressure.
 */
final class BufferPool {
    private final ArrayBlockingQueue<byte[]> free;
    private final int size;

    BufferPool(int count, int size) {
        if (count < 2) throw new IllegalArgumentException("buffer count must be at least 2, was " + count);
        if (size < 4096) throw new IllegalArgumentException("chunk size must be at least 4096 bytes, was " + size);
        this.free = new ArrayBlockingQueue<>(count);
        this.size = size;
        for (int i = 0; i < count; i++) free.add(new byte[size]);
    }

    byte[] take() throws InterruptedException { return free.take(); }

    void give(byte[] buffer) {
        if (buffer != null && !free.offer(buffer)) {
            throw new IllegalStateException("buffer returned twice");
        }
    }

    int size() { return size; }
}
