package org.triage.pipeline;

import com.lmax.disruptor.RingBuffer;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.triage.model.ContentChange;
import org.triage.model.ContentType;
import org.triage.signature.FileSignature;
import org.triage.source.ContentReader;
import org.triage.source.SourceEntry;

/**
 * A reader thread: takes listed entries, reads each regular file in large chunks into pooled
 * buffers and publishes them to the ring. The only place evidence content is read. A file that
 * cannot be opened or read becomes an END event carrying the error; the scan goes on.
 *
 * <p>Read-ahead across files: the reader keeps up to {@code lanes} files open and takes them in
 * turns, a stride of several chunks each. MD5 cannot be split within a file, so with one file at a
 * time a large file's MD5 kept one core busy and left the other idle; several files in flight (two
 * per core by default) let every core take one file's MD5 or another's SHA digests, and keep the
 * next file read before a core needs it. The stride is large (4 MiB by default) so that a spinning
 * disk seeks once per stride, not once per chunk; small files finish within their first stride. The
 * reader reads straight into the pool's native buffers, and assigns each file's digests to hashers
 * as it opens the file ({@link HashBalancer}).
 *
 * <p>Bytes are counted into {@link ProgressCounters} as they are read, chunk by chunk, so that a
 * display shows a big file's progress before the file ends. When a file ends, its source is asked
 * whether it changed while it was read ({@link ContentReader#changeSinceOpen()}): such a file is
 * recorded unreadable, with both states, because its digest would be of content it never held.
 */
final class ReaderTask implements Runnable {
    static final SourceEntry DONE = new SourceEntry(null, null, 0, null, 0, null, null);

    private final SourceRun run;
    private final BlockingQueue<SourceEntry> entries;
    private final RingBuffer<ChunkEvent> ring;
    private final BufferPool pool;
    private final HashBalancer balancer;
    private final AtomicLong ids;
    private final int algorithms;
    private final BooleanSupplier stopping;
    private final ProgressCounters progress;
    private final Lane[] lanes;
    private final long stride;
    private int active;
    private boolean listed;
    /** Entries taken from the listing queue in bulk: one hand-off per batch, not per file. */
    private final java.util.ArrayDeque<SourceEntry> backlog = new java.util.ArrayDeque<>();
    /** A file's first bytes, copied out of native memory to tell its type and whether it is an archive or an image. */
    private final byte[] head = new byte[Math.max(Math.max(FileSignature.NEEDED, org.triage.archive.ArchiveFormat.NEEDED),
            org.triage.source.ImageSignature.NEEDED)];
    private int headLength;
    private final ArchiveExpansion archives;
    private final ImageExpansion images;

    /** One file being read. */
    private static final class Lane {
        FileJob job;
        ContentReader in;
        long offset;
        /** The disk image found in the item that the file is in ({@link ImageExpansion}), or null. */
        ImageExpansion.Nested from;
    }

    ReaderTask(SourceRun run, BlockingQueue<SourceEntry> entries, RingBuffer<ChunkEvent> ring, BufferPool pool,
               HashBalancer balancer, AtomicLong ids, int algorithms, BooleanSupplier stopping, int lanes, long stride,
               ProgressCounters progress, ArchiveExpansion archives, ImageExpansion images) {
        this.progress = progress;
        this.archives = archives;
        this.images = images;
        this.run = run;
        this.entries = entries;
        this.ring = ring;
        this.pool = pool;
        this.balancer = balancer;
        this.ids = ids;
        this.algorithms = algorithms;
        this.stopping = stopping;
        this.lanes = new Lane[Math.max(1, lanes)];
        for (int i = 0; i < this.lanes.length; i++) this.lanes[i] = new Lane();
        this.stride = Math.max(stride, pool.size());
    }

    @Override
    public void run() {
        try {
            while (true) {
                admit();
                if (active == 0) {
                    if (listed) return;
                    continue;
                }
                for (Lane lane : lanes) {
                    if (lane.job != null) readStride(lane);
                }
            }
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            run.readerFailure = "reader interrupted";
            abandonLanes();
            images.abandon("unfinished: the reader was interrupted");
        } catch (Throwable t) {
            // Never die silently: files still queued would be lost without a trace.
            run.readerFailure = "reader failed: " + t;
            System.getLogger(ReaderTask.class.getName()).log(System.Logger.Level.ERROR, "reader failed", t);
            abandonLanes();
            images.abandon("unfinished: the reader failed");
            drain();
        } finally {
            archives.close();
            images.closeAll();
        }
    }

    /**
     * Fills free lanes, from the disk images this reader opened first (their entries wait in
     * {@link ImageExpansion}), then from the listing: waits for an entry only when nothing is being read.
     */
    private void admit() throws InterruptedException {
        while (active < lanes.length) {
            ImageExpansion.Pending nested = images.next();
            if (nested != null) {
                if (stopping.getAsBoolean()) {
                    run.leftSome = true;
                    images.release(nested.from()); // drain without reading
                } else {
                    start(nested.entry(), nested.from());
                }
                continue;
            }
            if (listed) return;
            if (backlog.isEmpty()) {
                entries.drainTo(backlog, 512);
                if (backlog.isEmpty()) {
                    if (active > 0) return;
                    backlog.add(entries.take());
                }
            }
            SourceEntry e = backlog.poll();
            if (e == DONE) {
                listed = true;
                // The walker ends the listing with one DONE per reader; a bulk drain may have taken
                // another reader's: hand those back, or that reader would wait forever.
                for (SourceEntry rest; (rest = backlog.poll()) != null; ) entries.put(rest);
                return;
            }
            if (stopping.getAsBoolean()) { // drain without reading
                run.leftSome = true;
                continue;
            }
            start(e, null);
        }
    }

    /** Opens one entry into a free lane, or records it at once (an error, not a regular file, a later hard link). */
    private void start(SourceEntry e, ImageExpansion.Nested from) {
        FileJob job = new FileJob(ids.getAndIncrement(), run, e, algorithms);
        if (from != null) {
            job.container = from.chain;
            job.evidenceRead = from.byPath;
        }
        Replay replay = run.replay;
        if (from == null && replay != null && e.path() != null) job.replayed = replay.take(e.path());
        if (job.replayed != null || e.error() != null || !e.type().hasContent() || e.hardLinkOf() != null) {
            ring.publishEvent(ChunkEvent.ENTRY_TRANSLATOR, job);
            images.release(from);
            return;
        }
        try {
            ContentReader in = images.sourceOf(from).open(e);
            balancer.assign(job, e.size());
            Lane lane = freeLane();
            lane.job = job;
            lane.in = in;
            lane.offset = 0;
            lane.from = from;
            active++;
            return;
        } catch (IOException | RuntimeException ex) {
            job.error = ex.getMessage() == null ? ex.toString() : ex.getMessage();
        } catch (Error ex) {
            // A native binding's failure (JNA throws Error for a bad pointer) is this file's, not the reader's.
            job.error = "open failed: " + ex;
        }
        ring.publishEvent(ChunkEvent.END_TRANSLATOR, job);
        images.release(from);
    }

    private Lane freeLane() {
        for (Lane l : lanes) {
            if (l.job == null) return l;
        }
        throw new IllegalStateException("no free lane");
    }

    /** Reads up to one stride of a lane's file; ends the file at EOF, on error or when stopping. */
    private void readStride(Lane lane) throws InterruptedException {
        FileJob job = lane.job;
        long budget = stride;
        Pointer buf = null;
        boolean ended = false;
        try {
            while (budget > 0) {
                if (stopping.getAsBoolean()) {
                    job.error = "unfinished: scan interrupted after " + lane.offset + " bytes";
                    job.leftForLater = run.stoppedEarly;
                    run.leftSome = true;
                    ended = true;
                    break;
                }
                buf = pool.take();
                int filled = fill(lane.in, buf, pool.size());
                if (filled == 0) { // end of file; the finally gives the buffer back
                    ended = true;
                    break;
                }
                if (lane.offset == 0) {
                    job.contentType = signature(job, buf, filled);
                    ImageExpansion.Start s = images.atStart(job, lane.from, head, headLength);
                    if (s == ImageExpansion.Start.TAKEN) { // examined as an image by its path: not hashed as a file
                        job.notHashed = true;
                        ended = true;
                        break; // the finally gives the buffer back
                    }
                    job.expandAtEnd = s == ImageExpansion.Start.AT_END;
                }
                lane.offset += filled;
                budget -= filled;
                progress.bytes.addAndGet(filled);
                Pointer chunk = buf;
                buf = null;
                ChunkEvent.publishData(ring, job, chunk, filled);
                if (filled < pool.size()) { // a short fill means the file ended
                    ended = true;
                    break;
                }
            }
        } catch (IOException e) {
            job.error = e.getMessage() == null ? e.toString() : e.getMessage();
            ended = true;
        } catch (RuntimeException | Error e) {
            job.error = "read failed at offset " + lane.offset + ": " + e;
            ended = true;
        } finally {
            if (buf != null) pool.give(buf);
        }
        if (ended) finish(lane);
    }

    private void finish(Lane lane) {
        FileJob job = lane.job;
        try {
            ContentChange change = lane.in.changeSinceOpen();
            if (change != null) {
                job.changed = change;
                job.error = "changed while it was read (" + change.describe() + ")"
                        + (job.error == null ? "" : "; " + job.error);
            }
        } catch (RuntimeException | Error e) {
            if (job.error == null) job.error = "cannot tell whether it changed while it was read: " + e;
        }
        if (job.error == null) {
            try {
                job.damage = lane.in.damage();
            } catch (RuntimeException | Error e) {
                job.damage = "cannot tell whether the content is intact: " + e;
            }
            if (lane.from == null && job.container.isEmpty()) {
                try {
                    job.runs = lane.in.byteRuns();
                } catch (RuntimeException | Error e) {
                    // Where it lies is for a report; its digests stand without it.
                    System.getLogger(ReaderTask.class.getName()).log(System.Logger.Level.WARNING,
                            "no byte runs for " + job.entry.path().display() + ": " + e);
                }
            }
        }
        if (job.error == null && job.archive != null && !stopping.getAsBoolean()) expand(lane);
        // A raw image inside an image takes the reader (and the hold on the image it is in) until it closes.
        job.bytes = lane.offset;
        boolean handedOver = job.error == null && job.expandAtEnd && !stopping.getAsBoolean()
                && images.atEnd(job, lane.in, lane.from);
        if (job.imageProblem != null) job.damage = job.damage == null ? job.imageProblem : job.damage + "; " + job.imageProblem;
        if (!handedOver) {
            try {
                lane.in.close();
            } catch (RuntimeException | Error e) {
                // Read to the end, then the close failed: the digests stand (a match must not be lost);
                // like damage, the failure goes on the record as its error.
                if (job.error == null && job.damage == null) job.damage = "closing it failed after it was read: " + e;
            }
            images.release(lane.from);
        }
        if (job.contentType == null && job.error == null) job.contentType = ContentType.OTHER; // empty file
        job.bytes = lane.offset;
        lane.job = null;
        lane.in = null;
        lane.from = null;
        active--;
        ring.publishEvent(ChunkEvent.END_TRANSLATOR, job);
    }

    /**
     * The lane's file, read whole, is an archive: its members go through the ring before its own
     * record, and why it was not expanded whole joins its record's error (its digests stand).
     */
    private void expand(Lane lane) {
        FileJob job = lane.job;
        job.bytes = lane.offset;
        String problem;
        try {
            problem = archives.expand(job, job.archive, lane.in);
            if (problem == null && stopping.getAsBoolean()) problem = "archive not expanded whole: scan interrupted";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problem = "archive not expanded whole: the reader was interrupted";
        } catch (RuntimeException | Error e) {
            System.getLogger(ReaderTask.class.getName()).log(System.Logger.Level.ERROR,
                    "expanding " + job.entry.path().display() + " failed", e);
            problem = "archive not expanded whole: internal error: " + e;
        }
        if (problem != null) job.damage = job.damage == null ? problem : job.damage + "; " + problem;
    }

    /** After a failure: end every open file with an error so that no file goes unrecorded. */
    private void abandonLanes() {
        for (Lane lane : lanes) {
            if (lane.job == null) continue;
            if (lane.job.error == null) lane.job.error = "unfinished: the reader stopped after " + lane.offset + " bytes";
            try {
                finish(lane);
            } catch (RuntimeException ignored) {
                // nothing more can be done for this file; the run is marked failed
            }
        }
    }

    /** After a failure: keep taking entries so the walker is not blocked, and count them as lost. */
    private void drain() {
        try {
            if (backlog.contains(DONE)) {
                backlog.remove(DONE);
                for (SourceEntry rest; (rest = backlog.poll()) != null; ) {
                    if (rest == DONE) entries.put(rest);
                }
                return;
            }
            backlog.clear();
            while (!listed && entries.take() != DONE) {
                // The run is already marked as failed.
            }
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
    }

    private ContentType signature(FileJob job, Pointer buf, int filled) {
        int n = Math.min(filled, head.length);
        buf.read(0, head, 0, n);
        headLength = n;
        if (archives.enabled()) job.archive = org.triage.archive.ArchiveFormat.detect(head, n);
        return FileSignature.detect(head, n);
    }


    /** Reads until the buffer is full or the file ends. */
    private static int fill(ContentReader in, Pointer buf, int capacity) throws IOException {
        int filled = 0;
        while (filled < capacity) {
            int n = in.read(filled == 0 ? buf : buf.share(filled), capacity - filled);
            if (n < 0) break;
            filled += n;
        }
        return filled;
    }
}
