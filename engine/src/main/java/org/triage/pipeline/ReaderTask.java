package org.triage.pipeline;

import com.lmax.disruptor.RingBuffer;
import java.io.IOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.triage.model.ContentType;
import org.triage.signature.FileSignature;
import org.triage.source.ContentReader;
import org.triage.source.SourceEntry;

/**
 * A reader thread: takes listed entries, reads each regular file in large chunks into pooled
 * buffers and publishes them to the ring. The only place evidence content is read. A file that
 * cannot be opened or read becomes an END event carrying the error; the scan goes on.
 */
final class ReaderTask implements Runnable {
    static final SourceEntry DONE = new SourceEntry(null, null, 0, null, 0, null, null);

    private final SourceRun run;
    private final BlockingQueue<SourceEntry> entries;
    private final RingBuffer<ChunkEvent> ring;
    private final BufferPool pool;
    private final AtomicLong ids;
    private final int algorithms;
    private final BooleanSupplier stopping;

    ReaderTask(SourceRun run, BlockingQueue<SourceEntry> entries, RingBuffer<ChunkEvent> ring, BufferPool pool,
               AtomicLong ids, int algorithms, BooleanSupplier stopping) {
        this.run = run;
        this.entries = entries;
        this.ring = ring;
        this.pool = pool;
        this.ids = ids;
        this.algorithms = algorithms;
        this.stopping = stopping;
    }

    @Override
    public void run() {
        try {
            while (true) {
                SourceEntry e = entries.take();
                if (e == DONE) return;
                if (stopping.getAsBoolean()) continue; // drain without reading
                FileJob job = new FileJob(ids.getAndIncrement(), run, e, algorithms);
                if (e.error() != null || !e.type().hasContent() || e.hardLinkOf() != null) {
                    ring.publishEvent(ChunkEvent.ENTRY_TRANSLATOR, job);
                } else {
                    read(job);
                }
            }
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            run.readerFailure = "reader interrupted";
        } catch (Throwable t) {
            // Never die silently: files still queued would be lost without a trace.
            run.readerFailure = "reader failed: " + t;
            System.getLogger(ReaderTask.class.getName()).log(System.Logger.Level.ERROR, "reader failed", t);
            drain();
        }
    }

    /** After a failure: keep taking entries so the walker is not blocked, and count them as lost. */
    private void drain() {
        try {
            while (entries.take() != DONE) {
                // The run is already marked as failed.
            }
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
    }

    private void read(FileJob job) throws InterruptedException {
        long offset = 0;
        byte[] buf = null;
        try (ContentReader in = run.source.open(job.entry)) {
            while (true) {
                if (stopping.getAsBoolean()) {
                    job.unfinished = true;
                    job.error = "unfinished: scan interrupted after " + offset + " bytes";
                    break;
                }
                buf = pool.take();
                int filled = fill(in, buf);
                if (filled == 0) break; // end of file; the finally gives the buffer back
                if (offset == 0) job.contentType = FileSignature.detect(buf, filled);
                offset += filled;
                byte[] chunk = buf;
                buf = null;
                publishData(job, chunk, filled);
                if (filled < chunk.length) break; // a short fill means the file ended
            }
        } catch (IOException e) {
            job.error = e.getMessage() == null ? e.toString() : e.getMessage();
        } catch (RuntimeException e) {
            job.error = "read failed at offset " + offset + ": " + e;
        } finally {
            if (buf != null) pool.give(buf);
        }
        if (job.contentType == null && job.error == null) job.contentType = ContentType.OTHER; // empty file
        job.bytes = offset;
        ring.publishEvent(ChunkEvent.END_TRANSLATOR, job);
    }

    /** Claim, fill, publish in a finally: no translator, so no boxed length per chunk. */
    private void publishData(FileJob job, byte[] chunk, int length) {
        long seq = ring.next();
        try {
            ChunkEvent ev = ring.get(seq);
            ev.kind = ChunkEvent.DATA;
            ev.job = job;
            ev.run = job.run;
            ev.buffer = chunk;
            ev.length = length;
        } finally {
            ring.publish(seq);
        }
    }

    /** Reads until the buffer is full or the file ends. */
    private static int fill(ContentReader in, byte[] buf) throws IOException {
        int filled = 0;
        while (filled < buf.length) {
            int n = in.read(buf, filled, buf.length - filled);
            if (n < 0) break;
            filled += n;
        }
        return filled;
    }
}
