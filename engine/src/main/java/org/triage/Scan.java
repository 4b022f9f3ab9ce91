package org.triage;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.triage.model.Algorithm;
import org.triage.model.EvidenceSummary;
import org.triage.model.FileRecord;
import org.triage.model.ImageInfo;
import org.triage.model.RecordListener;
import org.triage.model.ScanResult;
import org.triage.model.SourceStats;
import org.triage.pipeline.ScanPipeline;
import org.triage.pipeline.ScanProgress;
import org.triage.source.Source;
import org.triage.source.Sources;
import org.triage.store.HashStore;
import org.triage.triage.EvidenceTally;

/**
 * One scan, ready to run. {@link #run()} reads every evidence item in turn on the calling thread;
 * {@link #stop()} and {@link #progress()} may be used from any other thread.
 */
public final class Scan {
    private final ScanConfig config;
    private final HashStore store;
    private final List<Algorithm> algorithms;
    private final List<Algorithm> added;
    private final ScanPipeline pipeline;
    private final TallyingListener tally;
    private final DistinctEvidence evidence;
    private volatile Prewalk prewalk;

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
        this.tally = new TallyingListener(config.listener());
        org.triage.hash.DigestWarmup.start(algorithms);
        this.pipeline = new ScanPipeline(config.settings(), algorithms, store, tally);
    }

    /** The item being scanned, for {@link #stop()} from another thread. */
    private volatile Source current;

    /** Algorithms this scan computes: those asked for plus those the store needs. */
    public List<Algorithm> algorithms() { return algorithms; }

    /** Algorithms added because the store holds such digests and they were not asked for. */
    public List<Algorithm> addedForStore() { return added; }

    public ScanProgress progress() { return pipeline.progress(); }

    /**
     * One sentence per evidence name left out because it names an item given before (the same
     * directory or image by another path, or through a symbolic link); also in the result.
     */
    public List<String> notes() { return evidence.notes(); }

    /** Totals from the metadata pre-walk, once {@link #run()} has started; null before. */
    public Prewalk totals() { return prewalk; }

    /**
     * Stops reading; files in flight are marked unfinished and the result is marked interrupted. Also
     * stops the current item's --verify pass, which may still be reading after its files are done.
     */
    public void stop() {
        pipeline.stop();
        Source s = current;
        if (s != null) s.stop();
    }

    /** Runs the scan to the end (or to {@link #stop()}), then releases the pipeline. */
    public ScanResult run() throws InterruptedException {
        Instant started = Instant.now();
        List<EvidenceSummary> summaries = new ArrayList<>();
        if (config.prewalk()) prewalk = new Prewalk(evidence.items());
        try {
            for (String given : evidence.items()) {
                // Stopped: the items never started are listed too, so the result says what is still unknown.
                if (pipeline.stopped()) {
                    summaries.add(EvidenceTally.notScanned(given));
                    continue;
                }
                tally.begin(given);
                SourceStats stats;
                ImageInfo image = null;
                boolean opened = false;
                String atimeNote = null;
                try (Source source = Sources.open(given, config.verify())) {
                    current = source;
                    if (pipeline.stopped()) source.stop(); // a stop() that came before current was set
                    if (prewalk != null) prewalk.watch(given, source);
                    stats = pipeline.scan(given, source);
                    // Stopped: close now, which also stops a --verify pass rather than waiting for it.
                    if (pipeline.stopped()) source.close();
                    image = source.image();
                    atimeNote = source.atimeNote();
                    opened = true;
                } catch (IOException e) {
                    Instant now = Instant.now();
                    stats = new SourceStats(given, now, now, 0, false, e.getMessage());
                }
                current = null;
                if (prewalk != null) prewalk.ended(given);
                EvidenceSummary summary = tally.current.finish(stats, image);
                summaries.add(opened ? summary.withAtime(atimeNote) : summary);
            }
        } finally {
            if (prewalk != null) prewalk.cancel();
            pipeline.close();
        }
        summaries.sort(EvidenceTally.URGENCY);
        List<EvidenceSummary> ranked = new ArrayList<>(summaries.size());
        for (int i = 0; i < summaries.size(); i++) ranked.add(summaries.get(i).withRank(i + 1));
        return new ScanResult(List.copyOf(ranked), algorithms, added, started, Instant.now(), pipeline.stopped(),
                evidence.notes());
    }

    /** Counts records into the current item's tally, then passes them on. */
    private static final class TallyingListener implements RecordListener {
        private final RecordListener next;
        volatile EvidenceTally current;

        TallyingListener(RecordListener next) { this.next = next; }

        void begin(String source) { current = new EvidenceTally(source); }

        @Override
        public void onRecord(FileRecord record) {
            current.add(record);
            next.onRecord(record);
        }

        @Override
        public void onBatchEnd() { next.onBatchEnd(); }

        @Override
        public void onSourceStart(String source) { next.onSourceStart(source); }

        @Override
        public void onSourceEnd(SourceStats stats) { next.onSourceEnd(stats); }
    }
}
