package org.triage;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.triage.hash.ChunkDigest;
import org.triage.model.Algorithm;
import org.triage.model.EvidenceSummary;
import org.triage.model.FileRecord;
import org.triage.model.ImageInfo;
import org.triage.model.Progress;
import org.triage.model.RecordListener;
import org.triage.model.ScanResult;
import org.triage.model.SourceStats;
import org.triage.pipeline.ProgressCounters;
import org.triage.pipeline.ScanPipeline;
import org.triage.priority.CategoryTable;
import org.triage.priority.EvidenceTally;
import org.triage.source.MediaDigest;
import org.triage.source.Source;
import org.triage.source.Sources;
import org.triage.store.HashStore;

/**
 * One scan, ready to run: a resource that owns its threads and its content buffers (about 96 MiB
 * of native memory on two cores) while it runs. Nothing is allocated until {@link #run()}, and
 * {@code run()} releases everything before it returns, whether it ends, is stopped or fails; a scan
 * runs once. Use it in a try-with-resources block: {@link #close()} stops a scan still running on
 * another thread and makes a scan never run unable to start.
 *
 * <p>Threading: {@link #run()} reads every evidence item in turn on the calling thread;
 * {@link #stop()}, {@link #close()} and {@link #progress()} may be used from any other thread.
 *
 * @throws IllegalStateException from {@link #run()} called a second time, or after {@link #close()}
 */
public final class Scan implements AutoCloseable {
    private final ScanConfig config;
    private final HashStore store;
    private final List<Algorithm> algorithms;
    private final List<Algorithm> added;
    private final ProgressCounters progress = new ProgressCounters();
    private final TallyingListener tally;
    private final DistinctEvidence evidence;
    private final AtomicBoolean started = new AtomicBoolean();
    private volatile boolean closed;
    /** Asked to stop, perhaps before {@link #run()} made the pipeline: run() then stops at once. */
    private volatile boolean stopRequested;
    /** Exists only while {@link #run()} runs. */
    private volatile ScanPipeline pipeline;
    private volatile Prewalk prewalk;
    private final java.util.concurrent.atomic.AtomicLong resumed = new java.util.concurrent.atomic.AtomicLong();

    Scan(ScanConfig config, HashStore store) {
        this.config = config;
        this.store = store;
        this.evidence = DistinctEvidence.of(config.sources());
        Set<Algorithm> all = EnumSet.copyOf(config.algorithms());
        List<Algorithm> extra = new ArrayList<>();
        for (Algorithm a : store.algorithms()) {
            if (all.add(a)) extra.add(a);
        }
        this.algorithms = List.copyOf(all);
        this.added = List.copyOf(extra);
        this.tally = new TallyingListener(config.listener(), config.categories(), config.stopAfter(), () -> {
            ScanPipeline p = pipeline;
            if (p != null) p.stopItem();
        });
        long known = config.pdq() == PdqMode.OFF ? 0 : store.pdqCount();
        this.pdq = pdqUse(config, known);
    }

    private final org.triage.model.PdqUse pdq;

    private static org.triage.model.PdqUse pdqUse(ScanConfig config, long known) {
        String held = String.format(java.util.Locale.ROOT, "%,d", known);
        String how = "; near matches within " + config.pdqDistance() + " bits" + (config.pdqDihedral() ? ", rotations and flips too" : "");
        boolean on = config.pdq() == PdqMode.ON || config.pdq() == PdqMode.AUTO && known > 0;
        String reason = switch (config.pdq()) {
            case OFF -> "--pdq off: pictures are matched by digest only";
            case ON -> "--pdq on; the hash store holds " + held + " PDQ hashes" + how;
            case AUTO -> known > 0 ? "the hash store holds " + held + " PDQ hashes" + how
                    : "the hash store holds no PDQ hashes (--pdq on hashes pictures anyway)";
        };
        return new org.triage.model.PdqUse(on, reason, config.pdqDistance(), config.pdqDihedral());
    }

    /** Whether this scan PDQ-hashes pictures, and why (decided from the config and the store). */
    public org.triage.model.PdqUse pdq() { return pdq; }

    /** The item being scanned, for {@link #stop()} from another thread. */
    private volatile Source current;

    /** Algorithms this scan computes: those asked for plus those the store needs. */
    public List<Algorithm> algorithms() { return algorithms; }

    /** The evidence items this scan reads, in order: those given, each named once (see {@link #notes()}). */
    public List<String> evidence() { return evidence.items(); }

    /** Algorithms added because the store holds such digests and they were not asked for. */
    public List<Algorithm> addedForStore() { return added; }

    /**
     * The counts so far, with the evidence's totals as far as they are counted (only when the
     * config asked for {@link ScanConfig.Builder#prewalk totals}); {@link Progress#NONE}'s zeros
     * until {@link #run()} starts. Cheap; any thread.
     */
    public Progress progress() {
        Prewalk t = prewalk;
        return new Progress(progress.files(), progress.bytes(), progress.alerts(), progress.errors(),
                progress.members(), progress.expandedBytes(), t == null ? 0 : t.files(), t == null ? 0 : t.bytes(),
                t != null && t.done(), progress.images(), progress.imageEntries(), progress.picturesQueued(),
                progress.picturesDone());
    }

    /**
     * One sentence per evidence name left out because it names an item given before (the same
     * directory or image by another path, or through a symbolic link); also in the result.
     */
    public List<String> notes() { return evidence.notes(); }

    /**
     * Records taken from the {@link ScanConfig#resume() checkpoint} instead of read, for the items
     * done so far (counted when each item ends); 0 without one. Any thread.
     */
    public long resumed() { return resumed.get(); }

    /** Totals from the metadata pre-walk, once {@link #run()} has started; null before. */
    Prewalk totals() { return prewalk; }

    /**
     * Stops reading; files in flight are marked unfinished and the result is marked interrupted. Also
     * stops the current item's --verify pass, which may still be reading after its files are done.
     * Before {@link #run()}, the run will read nothing and list every item as not scanned.
     */
    public void stop() {
        stopRequested = true;
        ScanPipeline p = pipeline;
        if (p != null) p.stop();
        Source s = current;
        if (s != null) s.stop();
    }

    /**
     * Runs the scan to the end (or to {@link #stop()}). Allocates the pipeline's threads and buffers
     * here and releases them before returning.
     *
     * @throws IllegalStateException when this scan has run (or started running) before, or was closed
     */
    public ScanResult run() throws InterruptedException {
        if (closed) throw new IllegalStateException("this scan was closed before it ran; make a new one with Triage.newScan");
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("this scan has already run; a Scan runs once: make a new one with Triage.newScan");
        }
        Instant startedAt = Instant.now();
        org.triage.hash.DigestWarmup.start(algorithms);
        ScanPipeline p = new ScanPipeline(config.settings(), algorithms, store, tally, progress,
                org.triage.archive.ArchiveLimits.defaults(config.archiveDepth()),
                pdq.on() ? config.pdqSettings(config.settings().hashThreads()) : null);
        p.expandImages(config.expandImages());
        pipeline = p;
        // A stop() that came before the pipeline existed, or while it was made (it read pipeline as null).
        if (stopRequested || closed) p.stop();
        List<EvidenceSummary> summaries = new ArrayList<>();
        try {
            if (config.prewalk()) prewalk = new Prewalk(evidence.items());
            for (String given : evidence.items()) {
                // Stopped: the items never started are listed too, so the result says what is still unknown.
                if (p.stopped()) {
                    EvidenceSummary never = EvidenceTally.notScanned(given);
                    tally.onEvidenceDone(never);
                    summaries.add(never);
                    continue;
                }
                tally.begin(given);
                SourceStats stats;
                ImageInfo image = null;
                boolean opened = false;
                String atimeNote = null;
                org.triage.model.TakenAs taken = null;
                long[] itemBytes = {-1}; // the item's content bytes, once a listing has counted them
                try (Source source = shared(Sources.open(given, config.verify() ? Scan::mediaDigest : null))) {
                    current = source;
                    if (p.stopped()) source.stop(); // a stop() that came before current was set
                    source.picturesFirst(config.picturesFirst());
                    Prewalk totals = prewalk;
                    org.triage.pipeline.Replay replay = config.resume() == null ? null
                            : config.resume().forItem(given, store, algorithms, pdq);
                    Source.ListedTotals counted = (entries, bytes) -> {
                        itemBytes[0] = bytes;
                        if (totals != null) totals.walked(given, entries, bytes);
                    };
                    source.onListed(counted); // an image says its totals before it delivers; a tree when its walk ends
                    try {
                        stats = p.scan(given, source, counted, totals == null ? () -> { } : () -> totals.blocked(given), replay);
                    } finally {
                        if (replay != null) resumed.addAndGet(replay.taken());
                    }
                    // Stopped: close now, which also stops a --verify pass rather than waiting for it.
                    if (p.stopped()) source.close();
                    image = source.image();
                    atimeNote = source.atimeNote();
                    taken = source.taken();
                    opened = true;
                } catch (IOException e) {
                    Instant now = Instant.now();
                    stats = new SourceStats(given, now, now, 0, false, e.getMessage());
                }
                current = null;
                if (prewalk != null) prewalk.ended(given);
                String partial = tally.stoppedItem && stats.interrupted() && !p.stopped() ? partialWords(tally.trigger, config.stopAfter(), stats.bytesRead(),
                        itemBytes[0]) : null;
                EvidenceSummary summary = tally.current.finish(stats, image, partial);
                if (opened) summary = summary.withAtime(atimeNote).withTaken(taken);
                tally.onEvidenceDone(summary);
                summaries.add(summary);
            }
        } finally {
            if (prewalk != null) prewalk.cancel();
            p.close();
            pipeline = null;
        }
        summaries.sort(EvidenceTally.URGENCY);
        List<EvidenceSummary> ranked = new ArrayList<>(summaries.size());
        for (int i = 0; i < summaries.size(); i++) ranked.add(summaries.get(i).withRank(i + 1));
        return new ScanResult(List.copyOf(ranked), algorithms, added, startedAt, Instant.now(), p.stopped(),
                evidence.notes(), pdq);
    }

    /** The item, or only its share of entries when the config names one ({@link EntryShare}). */
    private Source shared(Source item) {
        return config.share() == null ? item : new org.triage.source.SharedSource(item, config.share().part(), config.share().parts());
    }

    /**
     * Why an item stopped early, in words: "stopped after the first known picture, 3.1% of the
     * item's bytes read"; {@code total} is -1 when no listing counted the item (a large tree whose
     * walk was stopped).
     */
    static String partialWords(FileRecord trigger, int stopAfter, long read, long total) {
        String what = "file";
        if (trigger != null && trigger.contentType() != null) {
            switch (trigger.contentType().media()) {
                case IMAGE -> what = "picture";
                case VIDEO -> what = "video";
                default -> { }
            }
        }
        String after = stopAfter == 1 ? "stopped after the first known " + what
                : "stopped after " + stopAfter + " files matching known material that raises priority (--stop-after "
                        + stopAfter + ")";
        String share;
        if (total > 0) {
            double pct = 100.0 * Math.min(read, total) / total;
            share = String.format(java.util.Locale.ROOT, pct < 10 ? "%.1f%%" : "%.0f%%", pct) + " of the item's bytes read";
        } else if (total == 0) {
            share = "the item holds no content bytes";
        } else {
            share = String.format(java.util.Locale.ROOT, "%,d bytes read (the item's size was not counted yet)", read);
        }
        return after + ", " + share;
    }

    /** A digest for an image's --verify pass: the hash package's, fed the way a source feeds it. */
    private static MediaDigest mediaDigest(Algorithm algorithm) {
        ChunkDigest d = ChunkDigest.of(algorithm);
        return new MediaDigest() {
            @Override
            public void update(java.nio.ByteBuffer data) { d.update(data); }

            @Override
            public byte[] finish() { return d.finish(); }
        };
    }

    /**
     * Stops a scan still running (its {@link #run()} then releases the threads and buffers and
     * returns a partial result); a scan never run can no longer run. Idempotent; any thread.
     */
    @Override
    public void close() {
        closed = true;
        stop();
    }

    /**
     * Counts records into the current item's tally, then passes them on; with {@code stopAfter},
     * stops the item at its N-th file that raises priority (after passing that record on).
     */
    private static final class TallyingListener implements RecordListener {
        private final RecordListener next;
        volatile EvidenceTally current;

        private final CategoryTable categories;
        private final int stopAfter;
        private final Runnable stopItem;
        /** Whether the current item was stopped early, and the record that did it: set on the recording thread. */
        volatile boolean stoppedItem;
        volatile FileRecord trigger;

        TallyingListener(RecordListener next, CategoryTable categories, int stopAfter, Runnable stopItem) {
            this.next = next;
            this.categories = categories;
            this.stopAfter = stopAfter;
            this.stopItem = stopItem;
        }

        void begin(String source) {
            current = new EvidenceTally(source, categories);
            stoppedItem = false;
            trigger = null;
        }

        @Override
        public void onRecord(FileRecord record) {
            current.add(record);
            next.onRecord(record);
            if (stopAfter > 0 && !stoppedItem && current.raisingFiles() >= stopAfter) {
                trigger = record;
                stoppedItem = true;
                stopItem.run();
            }
        }

        @Override
        public void onBatchEnd() { next.onBatchEnd(); }

        @Override
        public void onSourceStart(String source) { next.onSourceStart(source); }

        @Override
        public void onSourceEnd(SourceStats stats) { next.onSourceEnd(stats); }

        @Override
        public void onEvidenceDone(EvidenceSummary summary) {
            // The listener's own failure, as for a record: logged, and the scan goes on.
            try {
                next.onEvidenceDone(summary);
            } catch (RuntimeException e) {
                System.getLogger(Scan.class.getName()).log(System.Logger.Level.ERROR,
                        "record listener failed at the end of " + summary.source(), e);
            }
        }
    }
}
