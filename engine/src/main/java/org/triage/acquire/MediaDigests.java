package org.triage.acquire;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.triage.hash.ChunkDigest;
import org.triage.model.Algorithm;

/**
 * The whole media's MD5 and SHA-1, each on its own thread (OpenSSL's digests through
 * {@link ChunkDigest}), so that hashing runs beside the image writer instead of after it.
 *
 * <p>{@link #accept} copies the block into one of a few pooled direct buffers (bounded memory:
 * it waits for a free one) and queues it to both digest threads; the buffer returns to the pool
 * when both have hashed it. {@link #md5()} and {@link #sha1()} wait for the digests of a finished
 * stream, so a sink finished after this one (the E01 writer) can store them.
 */
public final class MediaDigests implements MediaSink {
    private static final int BUFFERS = 4;
    private static final Block END = new Block(null);

    private static final class Block {
        final ByteBuffer buf;
        final AtomicInteger pending = new AtomicInteger();

        Block(ByteBuffer buf) {
            this.buf = buf;
        }
    }

    private final BlockingQueue<Block> free = new ArrayBlockingQueue<>(BUFFERS);
    private final Lane md5 = new Lane(Algorithm.MD5);
    private final Lane sha1 = new Lane(Algorithm.SHA1);
    private final int bufferSize;

    public MediaDigests() {
        this(Acquisition.BLOCK);
    }

    MediaDigests(int bufferSize) {
        this.bufferSize = bufferSize;
        for (int i = 0; i < BUFFERS; i++) free.add(new Block(ByteBuffer.allocateDirect(bufferSize)));
        md5.start();
        sha1.start();
    }

    /** One digest on its own thread, fed in order. */
    private final class Lane extends Thread {
        final BlockingQueue<Block> queue = new ArrayBlockingQueue<>(BUFFERS + 1);
        final ChunkDigest digest;
        final CountDownLatch done = new CountDownLatch(1);
        volatile byte[] result;
        volatile Throwable failure;

        Lane(Algorithm a) {
            super("media-" + a.name().toLowerCase(java.util.Locale.ROOT));
            setDaemon(true);
            digest = ChunkDigest.of(a);
        }

        @Override
        public void run() {
            try {
                while (true) {
                    Block b = queue.take();
                    if (b == END) break;
                    try {
                        if (failure == null) digest.update(b.buf.duplicate());
                    } catch (RuntimeException | Error e) {
                        failure = e;
                    } finally {
                        if (b.pending.decrementAndGet() == 0) free.add(b);
                    }
                }
                if (failure == null) result = digest.finish();
            } catch (InterruptedException e) {
                failure = e;
            } finally {
                done.countDown();
            }
        }

        byte[] await() throws IOException {
            try {
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("waiting for the media " + getName());
            }
            if (failure != null) throw new IOException("the media " + getName() + " failed: " + failure, failure);
            if (result == null) throw new IOException("the media " + getName() + " is not complete");
            return result.clone();
        }
    }

    @Override
    public void accept(long offset, ByteBuffer data) throws IOException {
        try {
            while (data.hasRemaining()) {
                Block b = free.take();
                b.buf.clear();
                int n = Math.min(b.buf.capacity(), data.remaining());
                b.buf.put(data.slice(data.position(), n)).flip();
                data.position(data.position() + n);
                b.pending.set(2);
                md5.queue.put(b);
                sha1.queue.put(b);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while handing bytes at " + offset + " to the media digests");
        }
    }

    @Override
    public void finish(boolean complete) throws IOException {
        try {
            md5.queue.put(END);
            sha1.queue.put(END);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while finishing the media digests");
        }
        md5.await();
        sha1.await();
    }

    /** The MD5 of everything accepted; waits for {@link #finish}. */
    public byte[] md5() throws IOException { return md5.await(); }

    /** The SHA-1 of everything accepted; waits for {@link #finish}. */
    public byte[] sha1() throws IOException { return sha1.await(); }

    int bufferSize() { return bufferSize; }
}
