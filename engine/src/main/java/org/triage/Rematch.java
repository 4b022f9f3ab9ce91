package org.triage;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.triage.model.Algorithm;
import org.triage.model.EvidenceSummary;
import org.triage.model.FileRecord;
import org.triage.model.ListingProvenance;
import org.triage.model.RecordListener;
import org.triage.model.RematchResult;
import org.triage.model.ScanResult;
import org.triage.model.SourceStats;
import org.triage.priority.CategoryTable;
import org.triage.priority.EvidenceTally;
import org.triage.rematch.ListingRematch;
import org.triage.store.HashStore;

/**
 * Re-matches the all-files listings of earlier scans against a store, without reading any
 * evidence: every digest a listing holds is looked up again (and every listed picture's PDQ hash
 * asked for its near matches), and each evidence item is counted
 * and ranked as a scan would rank it, with what the listing itself can prove (its header, each
 * item's end line, lines lost) deciding whether an item may be LOW. Built with {@link #builder()};
 * runs once.
 *
 * <p>Threading: {@link #run()} reads the listings in turn on the calling thread and parses and
 * looks up on its own worker threads (released before it returns); the listener gets every entry
 * on the calling thread, in the listings' order. {@link #stop()} may be called from any thread.
 */
public final class Rematch {
    private final List<Path> listings;
    private final HashStore store;
    private final CategoryTable categories;
    private final RecordListener listener;
    private final int threads;
    private final int pdqDistance;
    private volatile boolean stopped;

    private Rematch(Builder b, HashStore store) {
        this.listings = List.copyOf(b.listings);
        this.store = store;
        this.categories = b.categories != null ? b.categories : CategoryTable.defaults();
        this.listener = b.listener;
        this.threads = b.threads;
        this.pdqDistance = b.pdqDistance;
    }

    public static Builder builder() { return new Builder(); }

    /** Stops after the block being read; the result then says so (interrupted) and nothing found is lost. */
    public void stop() {
        stopped = true;
    }

    /**
     * Reads every listing and returns their items ranked together. A listing that cannot be read
     * at all, or names no evidence item, becomes an item of its own, named by the listing, UNKNOWN
     * with the reason; the others go on.
     */
    public RematchResult run() throws InterruptedException {
        Instant started = Instant.now();
        Set<Algorithm> held = store.algorithms().isEmpty() ? EnumSet.noneOf(Algorithm.class) : EnumSet.copyOf(store.algorithms());
        List<Algorithm> lookedUp = List.copyOf(held);
        AtomicInteger n = new AtomicInteger();
        ExecutorService workers = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "triage-rematch-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        List<EvidenceSummary> summaries = new ArrayList<>();
        List<ListingProvenance> provenance = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Set<String> names = new HashSet<>();
        try {
            // A store without PDQ hashes is not asked for near matches at all.
            int near = store.pdqCount() > 0 ? pdqDistance : -1;
            ListingRematch reader = new ListingRematch(store, lookedUp, workers, threads + 2, categories, listener, names, near);
            for (Path listing : listings) {
                String name = listing.toString();
                if (stopped) {
                    summaries.add(notExamined(name, "not re-matched (interrupted)"));
                    continue;
                }
                try {
                    ListingRematch.Outcome o = reader.read(listing, held, () -> stopped);
                    provenance.add(o.provenance());
                    if (o.summaries().isEmpty()) {
                        summaries.add(notExamined(name, "listing " + name + " names no evidence item"
                                + (o.provenance().linesLost() > 0 ? " it could read (" + o.provenance().linesLost() + " lines lost)" : "")));
                    }
                    summaries.addAll(o.summaries());
                    if (o.provenance().header() == null && !o.summaries().isEmpty()) {
                        notes.add("listing " + name + " has no header: the scan that wrote it, and whether it read every item"
                                + " to the end, are unknown");
                    }
                } catch (IOException e) {
                    summaries.add(notExamined(name, "cannot read listing " + name + ": " + e.getMessage()));
                }
            }
        } finally {
            workers.shutdownNow();
        }
        summaries.sort(EvidenceTally.URGENCY);
        List<EvidenceSummary> ranked = new ArrayList<>(summaries.size());
        for (int i = 0; i < summaries.size(); i++) ranked.add(summaries.get(i).withRank(i + 1));
        ScanResult result = new ScanResult(ranked, lookedUp, List.of(), started, Instant.now(), stopped, notes);
        return new RematchResult(result, provenance);
    }

    /** An item that stands for a listing nothing could be taken from: UNKNOWN, with why. */
    private EvidenceSummary notExamined(String listing, String why) {
        Instant now = Instant.now();
        EvidenceSummary s = new EvidenceTally(listing, categories).finish(new SourceStats(listing, now, now, 0, false, why));
        listener.onEvidenceDone(s);
        return s;
    }

    public static final class Builder {
        private final List<Path> listings = new ArrayList<>();
        private CategoryTable categories;
        private RecordListener listener = (FileRecord r) -> { };
        private int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        private int pdqDistance = org.triage.pipeline.PdqSettings.DEFAULT_DISTANCE;

        private Builder() {
        }

        public Builder listing(Path... files) {
            for (Path f : files) {
                if (f == null) throw new IllegalArgumentException("listing path must not be null");
                listings.add(f);
            }
            return this;
        }

        /** The category table to rank by; default {@link CategoryTable#defaults()}. */
        public Builder categories(CategoryTable table) {
            if (table == null) throw new IllegalArgumentException("category table must not be null");
            this.categories = table;
            return this;
        }

        /** Gets every entry with its new matches, and each item's summary, on the calling thread. */
        public Builder listener(RecordListener l) {
            if (l == null) throw new IllegalArgumentException("listener must not be null");
            this.listener = l;
            return this;
        }

        /** Threads that parse and look up (default: one per core). */
        public Builder threads(int n) {
            if (n < 1 || n > 256) throw new IllegalArgumentException("threads must be between 1 and 256, was " + n);
            this.threads = n;
            return this;
        }

        /**
         * Near matches of a listed picture's PDQ hash up to this many bits (default 31, as a scan's);
         * asked only when the store holds PDQ hashes.
         */
        public Builder pdqDistance(int bits) {
            if (bits < 0 || bits > 255) throw new IllegalArgumentException("PDQ distance must be between 0 and 255, was " + bits);
            this.pdqDistance = bits;
            return this;
        }

        /** The re-match, against {@code store} (which must outlive it). */
        public Rematch build(HashStore store) {
            if (listings.isEmpty()) throw new IllegalArgumentException("no listing to re-match");
            if (store == null) throw new IllegalArgumentException("store must not be null");
            return new Rematch(this, store);
        }
    }
}
