package org.triage.pipeline;

import com.lmax.disruptor.ExceptionHandler;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.triage.archive.ArchiveLimits;
import org.triage.hash.ChunkDigest;
import org.triage.model.Algorithm;
import org.triage.model.RecordListener;
import org.triage.model.SourceStats;
import org.triage.source.Source;
import org.triage.source.SourceEntry;

/**
 * The scan pipeline: read -> hash -> look up -> record, on one LMAX Disruptor ring.
 *
 * <pre>
 *  walker --entries--> reader(s) --DATA/END/ENTRY--> [ring] --> hasher x N --> lookup x M --> recorder
 *                         ^                                                                    |
 *                         +------------------------ pooled buffers ----------------------------+
 * </pre>
 *
 * <p>One walker lists the evidence item while reader threads (one per physical source by default,
 * since parallel readers make a spinning disk seek) read files in large chunks into a fixed pool
 * of buffers. Hashers split the work by (file, algorithm) so that every core can be busy with
 * several files in flight; the ring's order guarantees each digest sees its file's chunks in
 * order. Lookups follow all hashers; the single recorder turns each file into a record for the
 * listener and returns its buffers. Memory is bounded by the pool and the ring, not by the drive.
 *
 * <p>With PDQ on, a {@link PictureTap} beside the hashers copies pictures' bytes out for the
 * {@link PdqStage}, which decodes them on threads of its own; the recorder holds a picture's record
 * until its result is in. After an item's crypto pass, the pictures that did not fit the stage's
 * queue are read again here, on the scan thread, and the item ends once the stage has drained.
 *
 * <p>Threading: {@link #scan} runs one evidence item at a time on the calling thread;
 * {@link #stop} may be called from any thread (a signal handler, say).
 */
public final class ScanPipeline implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ScanPipeline.class.getName());

    private final PipelineSettings settings;
    private final Algorithm[] algorithms;
    private final Disruptor<ChunkEvent> disruptor;
    private final RingBuffer<ChunkEvent> ring;
    private final BufferPool pool;
    private final ProgressCounters progress;
    /** The stage threads, joined on {@link #close} so that nothing runs on once the scan is over. */
    private final List<Thread> stageThreads = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final AtomicLong ids = new AtomicLong();
    private volatile boolean stopping;
    private volatile Thread scanning;
    private final RecordHandler recorder;
    private final HashBalancer balancer;

    public ScanPipeline(PipelineSettings settings, List<Algorithm> algorithms, org.triage.store.HashStore store,
                        RecordListener listener) {
        this(settings, algorithms, store, listener, new ProgressCounters());
    }

    /** A pipeline that counts into {@code progress} (which its owner may show before the pipeline exists). */
    public ScanPipeline(PipelineSettings settings, List<Algorithm> algorithms, org.triage.store.HashStore store,
                        RecordListener listener, ProgressCounters progress) {
        this(settings, algorithms, store, listener, progress, ChunkDigest::of);
    }

    /** A pipeline that expands archives within {@code archives} (depth 0: archives are files only). */
    public ScanPipeline(PipelineSettings settings, List<Algorithm> algorithms, org.triage.store.HashStore store,
                        RecordListener listener, ProgressCounters progress, ArchiveLimits archives) {
        this(settings, algorithms, store, listener, progress, archives, null);
    }

    /** A pipeline that also PDQ-hashes pictures ({@link PdqStage}) when {@code pdq} is not null. */
    public ScanPipeline(PipelineSettings settings, List<Algorithm> algorithms, org.triage.store.HashStore store,
                        RecordListener listener, ProgressCounters progress, ArchiveLimits archives, PdqSettings pdq) {
        this(settings, algorithms, store, listener, progress, ChunkDigest::of, pdq);
        this.archiveLimits = archives;
    }

    private ArchiveLimits archiveLimits = ArchiveLimits.defaults(ArchiveLimits.DEFAULT_DEPTH);
    private volatile boolean expandImages = true;

    /**
     * Whether disk images found inside an item (in a folder, inside another image) are examined as
     * images ({@link ImageExpansion}); default true. Off: they are hashed as files. Set before {@link #scan}.
     */
    public void expandImages(boolean on) {
        this.expandImages = on;
    }

    /**
     * Test seam: {@code digests} makes every digest the hashers use (production: {@link ChunkDigest#of}),
     * so that fault-injection tests can hand in one that throws at a chosen moment.
     */
    ScanPipeline(PipelineSettings settings, List<Algorithm> algorithms, org.triage.store.HashStore store,
                 RecordListener listener, ProgressCounters progress, Function<Algorithm, ChunkDigest> digests) {
        this(settings, algorithms, store, listener, progress, digests, null);
    }

    @SuppressWarnings("unchecked")
    ScanPipeline(PipelineSettings settings, List<Algorithm> algorithms, org.triage.store.HashStore store,
                 RecordListener listener, ProgressCounters progress, Function<Algorithm, ChunkDigest> digests,
                 PdqSettings pdqSettings) {
        if (algorithms.isEmpty()) throw new IllegalArgumentException("at least one algorithm is needed");
        // Media from an acquisition's stream: one file at a time in disk order, so that reads follow the stream.
        this.settings = org.triage.source.MediaReads.active() ? settings.withReaders(1).withLanes(1, settings.stride()) : settings;
        this.progress = progress;
        this.algorithms = algorithms.toArray(new Algorithm[0]);
        this.pool = new BufferPool(settings.buffers(), settings.chunkSize());
        try {
            // Several threads publish over a scan's life (the scan thread's start and end markers, a new
            // reader per evidence item), so the ring is multi-producer; at chunk granularity the cost is nil.
            StageWaitStrategy waits = new StageWaitStrategy();
            this.disruptor = new Disruptor<>(ChunkEvent::new, settings.ringSize(), stageThreads(),
                    ProducerType.MULTI, waits);
            disruptor.setDefaultExceptionHandler(new StageExceptionHandler());

            HashHandler[] hashers = new HashHandler[settings.hashThreads()];
            this.balancer = new HashBalancer(hashers.length, this.algorithms);
            for (int i = 0; i < hashers.length; i++) {
                hashers[i] = new HashHandler(i, this.algorithms, balancer, new StageSignal(waits), digests);
            }
            // Lookups cost about a microsecond a file: on a few cores a stage of their own costs more
            // in thread hand-offs than it saves, so by default (lookupThreads 0) the recorder does them.
            LookupHandler[] lookups = new LookupHandler[settings.lookupThreads()];
            for (int i = 0; i < lookups.length; i++) {
                lookups[i] = new LookupHandler(i, lookups.length, this.algorithms, store, new StageSignal(waits));
            }
            com.lmax.disruptor.EventHandler<ChunkEvent>[] first = hashers;
            if (pdqSettings != null) {
                PictureBudget budget = new PictureBudget(pdqSettings.queueBytes());
                this.pdq = new PdqStage(pdqSettings, store, budget, progress);
                first = java.util.Arrays.copyOf(hashers, hashers.length + 1, com.lmax.disruptor.EventHandler[].class);
                first[hashers.length] = new PictureTap(pdqSettings, budget, deferred, new StageSignal(waits));
            }
            this.recorder = new RecordHandler(this.algorithms, pool, listener, progress, lookups.length == 0 ? store : null,
                    pdq, deferred);
            if (lookups.length == 0) {
                disruptor.handleEventsWith(first).then(recorder);
            } else {
                disruptor.handleEventsWith(first).then(lookups).then(recorder);
            }
            // The recorder is last: nobody waits on it but the readers, who wait on the buffer pool.
            this.ring = disruptor.start();
        } catch (RuntimeException | Error e) {
            if (pdq != null) pdq.close();
            pool.close();
            throw e;
        }
    }

    /** Null when PDQ is off. */
    private PdqStage pdq;
    /** Pictures remembered for a second read ({@link PictureTap}). */
    private final AtomicLong deferred = new AtomicLong();

    /** Live counters. */
    public ProgressCounters progress() { return progress; }

    /** Asks the scan to stop: no new file is started; files being read are marked unfinished. */
    public void stop() {
        stopping = true;
        Thread t = scanning;
        if (t != null) t.interrupt();
    }

    public boolean stopped() { return stopping; }

    /**
     * Stops the item being read, not the scan (a first-hit scan has its answer for it): no new file
     * of it is started, files being read are left unrecorded for a later run, its listing stops,
     * and {@link #scan} returns once what was read is recorded. Any thread; idempotent.
     */
    public void stopItem() {
        SourceRun r = current;
        if (r != null) r.stoppedEarly = true;
    }

    /** The item being scanned, for {@link #stopItem}. */
    private volatile SourceRun current;

    /**
     * Reads one evidence item to the end (or until {@link #stop}) and waits until every one of its
     * entries has been recorded.
     */
    public SourceStats scan(String name, Source source) throws InterruptedException {
        return scan(name, source, (entries, bytes) -> { }, () -> { });
    }

    /**
     * {@link #scan(String, Source)}, telling the caller what the walk itself saw, so that progress
     * needs no second listing: {@code walked} gets the entries and content bytes listed (hard links
     * and unreadable entries counted like the scan counts them) once the walk has ended complete,
     * not stopped; {@code blocked} runs once, the first time the listing is a full queue ahead of
     * the readers (from then on the walk ends only as reading nears the end).
     */
    public SourceStats scan(String name, Source source, Source.ListedTotals walked, Runnable blocked)
            throws InterruptedException {
        return scan(name, source, walked, blocked, null);
    }

    /**
     * As {@link #scan(String, Source, Source.ListedTotals, Runnable)}, an entry of the item that
     * {@code replay} holds being recorded as it holds it instead of read (null: read every entry).
     */
    public SourceStats scan(String name, Source source, Source.ListedTotals walked, Runnable blocked, Replay replay)
            throws InterruptedException {
        SourceRun run = new SourceRun(name, source);
        run.replay = replay;
        current = run;
        // Every stage of this item stops for the scan's stop and for the item's own.
        java.util.function.BooleanSupplier stop = () -> stopping || run.stoppedEarly;
        if (pdq != null) pdq.cryptoPass(true);
        ring.publishEvent(ChunkEvent.SOURCE_START_TRANSLATOR, run);
        BlockingQueue<SourceEntry> entries = new ArrayBlockingQueue<>(settings.listQueue());
        List<Thread> readers = new ArrayList<>();
        for (int i = 0; i < settings.readers(); i++) {
            Thread t = threads("triage-reader").newThread(
                    new ReaderTask(run, entries, ring, pool, balancer, ids, algorithms.length, stop, settings.lanes(),
                            settings.stride(), progress,
                            new ArchiveExpansion(run, ring, pool, balancer, ids, algorithms.length, stop, progress,
                                    archiveLimits),
                            new ImageExpansion(run, ring, ids, algorithms.length, stop, progress, expandImages)));
            readers.add(t);
            t.start();
        }
        scanning = Thread.currentThread();
        long[] listed = new long[2];
        boolean[] full = new boolean[1];
        try {
            source.walk(entry -> {
                // An item stop needs no interrupt: the readers drain the queue without reading, so a put returns.
                if (stop.getAsBoolean()) {
                    run.leftSome = true;
                    return false;
                }
                listed[0]++;
                if (entry.type().hasContent() && entry.hardLinkOf() == null && entry.error() == null) listed[1] += entry.size();
                try {
                    if (!entries.offer(entry)) {
                        if (!full[0]) {
                            full[0] = true;
                            blocked.run();
                        }
                        entries.put(entry);
                    }
                    return true;
                } catch (InterruptedException e) {
                    return false;
                }
            });
            if (!stop.getAsBoolean()) walked.listed(listed[0], listed[1]);
        } catch (IOException e) {
            run.error = e.getMessage();
            LOG.log(Level.WARNING, "cannot read evidence item " + name + ": " + e.getMessage());
        } catch (RuntimeException e) {
            run.error = "walk failed: " + e;
            LOG.log(Level.ERROR, "walk of " + name + " failed", e);
        } finally {
            scanning = null;
            Thread.interrupted(); // a stop() may have interrupted the walk; the readers must still drain
        }
        for (int i = 0; i < readers.size(); i++) entries.put(ReaderTask.DONE);
        for (Thread t : readers) t.join();
        if (pdq != null) drainPictures(run);
        // A first-hit stop that came when the item was read whole leaves it whole.
        run.interrupted = stopping || run.stoppedEarly && run.leftSome;
        if (run.readerFailure != null && run.error == null) run.error = run.readerFailure;
        long end = ring.next();
        try {
            ChunkEvent.SOURCE_END_TRANSLATOR.translateTo(ring.get(end), end, run);
        } finally {
            ring.publish(end);
        }
        awaitRecorded(run, end);
        current = null;
        return run.stats;
    }

    /**
     * After an item's crypto pass: reads again the pictures that did not fit the PDQ stage's queue
     * (they are the item's own files: the source is still open), then waits until the stage has a
     * result for every picture, so that the item's end follows all of its records. A stop leaves the
     * pictures not yet hashed; the recorder then records why.
     */
    private void drainPictures(SourceRun run) throws InterruptedException {
        ring.publishEvent(ChunkEvent.PICTURES_TRANSLATOR, run);
        run.picturesListed.await();
        long cryptoDone = System.nanoTime();
        pdq.cryptoPass(false);
        List<PictureLedger.Deferred> again = run.deferred;
        // -v shows when an item's crypto pass ended and how long the PDQ stage took after it (triage bench reads it).
        LOG.log(Level.INFO, () -> String.format(java.util.Locale.ROOT,
                "%s: crypto pass done in %.3f s; PDQ %d/%d pictures done, %d to read again", run.name,
                java.time.Duration.between(run.startedAt, java.time.Instant.now()).toNanos() / 1e9,
                progress.picturesDone(), progress.picturesQueued(), again.size()));
        PictureReread reread = new PictureReread(run.source, pdq);
        // The pictures' records go out as their results come in, not all at the item's end: a scan
        // killed while PDQ drains keeps in its listing every picture already hashed.
        long flushed = System.nanoTime();
        for (PictureLedger.Deferred d : again) {
            if (stopping || run.stoppedEarly) break;
            reread.read(d);
            deferred.decrementAndGet();
            if (System.nanoTime() - flushed > 250_000_000L) {
                ring.publishEvent(ChunkEvent.PDQ_RESULTS_TRANSLATOR, run);
                flushed = System.nanoTime();
            }
        }
        run.deferred = List.of();
        while (!stopping && !pdq.idle()) {
            pdq.awaitIdle(250);
            ring.publishEvent(ChunkEvent.PDQ_RESULTS_TRANSLATOR, run);
        }
        LOG.log(Level.INFO, () -> String.format(java.util.Locale.ROOT, "%s: PDQ drained %.3f s after the crypto pass",
                run.name, (System.nanoTime() - cryptoDone) / 1e9));
    }

    /**
     * Waits for the recorder to reach the end marker. A watchdog, not a timeout: however long the
     * stages take, this waits; but should the recorder ever pass the marker without opening the
     * latch (a bug), the scan says so and ends instead of hanging an examiner's terminal.
     */
    private void awaitRecorded(SourceRun run, long endSequence) throws InterruptedException {
        while (!run.recorded.await(1, java.util.concurrent.TimeUnit.SECONDS)) {
            if (disruptor.getSequenceValueFor(recorder) >= endSequence && !run.recorded.await(1, java.util.concurrent.TimeUnit.SECONDS)) {
                LOG.log(Level.ERROR, "the record stage passed the end of " + run.name + " without closing it");
                if (run.stats == null) {
                    run.stats = new SourceStats(run.name, run.startedAt, java.time.Instant.now(), 0, run.interrupted,
                            "internal error: the end of this evidence item was not recorded; counts may be incomplete");
                }
                return;
            }
        }
    }

    /**
     * Stops the stages and waits for their threads to end, then unmaps the buffers: after close
     * the pipeline holds no thread and no mapping. Idempotent.
     */
    @Override
    public void close() {
        disruptor.halt();
        endStages();
        if (pdq != null) pdq.close();
        pool.close();
    }

    /**
     * Waits for the stage threads once they were told to halt. They leave at their next wait (a
     * millisecond at most) or when a handler returns; one that does not within the bound (a listener
     * stuck in I/O) is left to end on its own, a daemon, rather than hang the examiner's terminal.
     */
    private void endStages() {
        for (Thread t : stageThreads) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (t.isAlive()) LOG.log(Level.WARNING, "pipeline stage " + t.getName() + " did not end when halted");
        }
    }

    private ThreadFactory stageThreads() {
        ThreadFactory f = threads("triage-stage");
        return r -> {
            Thread t = f.newThread(r);
            stageThreads.add(t);
            return t;
        };
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.getAndIncrement());
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * A stage that throws must not stop its processor (the Disruptor's default handler would, and
     * the scan would hang). The failing file gets the error; everything else goes on.
     */
    private static final class StageExceptionHandler implements ExceptionHandler<ChunkEvent> {
        @Override
        public void handleEventException(Throwable ex, long sequence, ChunkEvent event) {
            String where = event.where();
            LOG.log(Level.ERROR, "pipeline stage failed on " + where + " (sequence " + sequence + ")", ex);
            if (event.job != null && event.job.error == null) event.job.error = "internal error: " + ex;
            // The scan thread waits for this: never leave it waiting.
            if (event.kind == ChunkEvent.SOURCE_END && event.run != null) event.run.recorded.countDown();
        }

        @Override
        public void handleOnStartException(Throwable ex) {
            LOG.log(Level.ERROR, "pipeline stage failed to start", ex);
        }

        @Override
        public void handleOnShutdownException(Throwable ex) {
            LOG.log(Level.ERROR, "pipeline stage failed to shut down", ex);
        }
    }
}
