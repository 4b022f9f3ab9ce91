package org.triage.pipeline;

import com.sun.jna.Pointer;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.triage.natives.AnonymousMemory;

/**
 * A fixed set of content buffers in native memory, mapped once as one block (2 MiB aligned, huge
 * pages where the kernel gives them: the kernel's copy from the page cache into them took half the
 * system time with huge pages on the 2 GB slice). Readers take and
 * read evidence straight into them; the hashers hash them where they are; the recording stage
 * gives them back. Memory is {@code count * size} whatever the drive or file size, and outside
 * the Java heap; a reader waits when all are in flight, which is the pipeline's back-pressure.
 *
 * <p>A waiting reader is woken only once a quarter of the pool is free again, not at every
 * buffer returned: with small files every file returns a buffer, and waking the reader for each
 * one cost a thread hand-off per file (measured in system time on 50,000 small files).
 */
final class BufferPool implements AutoCloseable {
    /** Blocks mapped now, JVM-wide: the probe by which tests see that a scan leaves no mapping behind. */
    private static final java.util.concurrent.atomic.AtomicInteger MAPPED = new java.util.concurrent.atomic.AtomicInteger();
    private final AnonymousMemory block;
    private final ArrayDeque<Pointer> free;
    private final int size;
    private final int count;
    private final int wakeAt;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition available = lock.newCondition();
    private int waiting;
    private boolean closed;

    BufferPool(int count, int size) {
        if (count < 2) throw new IllegalArgumentException("buffer count must be at least 2, was " + count);
        if (size < 4096) throw new IllegalArgumentException("chunk size must be at least 4096 bytes, was " + size);
        this.free = new ArrayDeque<>(count);
        this.size = size;
        this.count = count;
        this.wakeAt = Math.max(1, count / 4);
        this.block = AnonymousMemory.allocate((long) count * size);
        MAPPED.incrementAndGet();
        for (int i = 0; i < count; i++) free.push(block.start().share((long) i * size, size));
    }

    Pointer take() throws InterruptedException {
        lock.lock();
        try {
            if (closed) throw new IllegalStateException("buffer pool closed");
            if (free.isEmpty()) {
                waiting++;
                try {
                    while (free.size() < wakeAt) available.await();
                } finally {
                    waiting--;
                }
            }
            return free.pop();
        } finally {
            lock.unlock();
        }
    }

    void give(Pointer buffer) {
        if (buffer == null) return;
        lock.lock();
        try {
            if (free.size() >= count) throw new IllegalStateException("buffer returned twice");
            free.push(buffer);
            if (waiting > 0 && free.size() >= wakeAt) available.signalAll();
        } finally {
            lock.unlock();
        }
    }

    int size() { return size; }

    /** Buffers in the pool now (not handed out). */
    int free() {
        lock.lock();
        try {
            return free.size();
        } finally {
            lock.unlock();
        }
    }

    /** How many pools hold their mapping now, in this JVM (tests' leak probe). */
    static int mapped() { return MAPPED.get(); }

    /**
     * Unmaps the block once every buffer is back, when no stage can still be reading one. If some
     * are still out (a stage failed and may yet touch one), the block stays mapped until the process
     * ends: a bounded leak, never a read of freed memory.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) return;
            closed = true;
            if (free.size() == count) {
                free.clear();
                block.close();
                MAPPED.decrementAndGet();
            }
        } finally {
            lock.unlock();
        }
    }
}
