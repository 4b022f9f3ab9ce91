package org.triage;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.triage.model.Algorithm;
import org.triage.model.FileRecord;
import org.triage.model.RecordListener;
import org.triage.pipeline.PipelineSettings;
import org.triage.priority.CategoryTable;

/**
 * What to scan and how. Built with {@link #builder()}; immutable.
 */
public final class ScanConfig {
    private final List<String> sources;
    private final Set<Algorithm> algorithms;
    private final PipelineSettings settings;
    private final RecordListener listener;
    private final boolean prewalk;
    private final boolean verify;
    private final CategoryTable categories;
    private final int archiveDepth;
    private final boolean expandImages;
    private final PdqMode pdq;
    private final int pdqDistance;
    private final boolean pdqDihedral;
    private final long pdqQueueBytes;
    private final long pdqMaxPicture;
    private final Checkpoint resume;
    private final EntryShare share;
    private final boolean picturesFirst;
    private final int stopAfter;

    /** Archives nested this deep are expanded by default (42.zip has six levels). */
    public static final int DEFAULT_ARCHIVE_DEPTH = org.triage.archive.ArchiveLimits.DEFAULT_DEPTH;

    private ScanConfig(Builder b) {
        this.archiveDepth = b.archiveDepth;
        this.expandImages = b.expandImages;
        this.pdq = b.pdq;
        this.pdqDistance = b.pdqDistance;
        this.pdqDihedral = b.pdqDihedral;
        this.pdqQueueBytes = b.pdqQueueBytes;
        this.pdqMaxPicture = b.pdqMaxPicture;
        this.resume = b.resume;
        this.share = b.share;
        this.picturesFirst = b.picturesFirst;
        this.stopAfter = b.stopAfter;
        this.categories = b.categories != null ? b.categories : CategoryTable.defaults();
        this.prewalk = b.prewalk;
        this.sources = List.copyOf(b.sources);
        this.algorithms = Set.copyOf(b.algorithms);
        this.settings = b.settings;
        this.listener = b.listener;
        this.verify = b.verify;
    }

    public static Builder builder() { return new Builder(); }

    /** Evidence items, as the examiner named them. */
    public List<String> sources() { return sources; }

    /** Algorithms asked for (the store may add more). */
    public Set<Algorithm> algorithms() { return algorithms; }

    /** The pipeline's sizes: internal (tests in this package tune them; callers use the builder's counts). */
    PipelineSettings settings() { return settings; }

    /** Hashing threads. */
    public int hashThreads() { return settings.hashThreads(); }

    /** Reader threads per evidence item. */
    public int readers() { return settings.readers(); }

    /** Receives every record as it is made, on the recording thread. */
    public RecordListener listener() { return listener; }

    /** Whether a metadata pre-walk counts totals for progress displays (costs a second listing). */
    public boolean prewalk() { return prewalk; }
    /** For disk images and devices: also hash the whole media in the same run (and compare with EWF's stored hashes). */
    public boolean verify() { return verify; }

    /**
     * The category table this scan ranks by (severity, whether a category raises priority): the
     * one given to the builder, else {@link CategoryTable#defaults()} as it was when the config was built.
     */
    public CategoryTable categories() { return categories; }

    /**
     * How many levels of archives are expanded: 1 expands archives found in the evidence but not
     * archives inside them; 0 takes archives as files only. Default {@value #DEFAULT_ARCHIVE_DEPTH}.
     */
    public int archiveDepth() { return archiveDepth; }

    /**
     * Whether a disk image found inside an item (an E01, VMDK, VHD or raw image in a folder; a raw
     * image inside an image) is examined as an image, its files scanned as part of the item.
     * Default true; false: such images are hashed as files.
     */
    public boolean expandImages() { return expandImages; }

    /** Whether pictures are PDQ-hashed: {@link PdqMode#AUTO} (the default) when the store holds PDQ hashes. */
    public PdqMode pdq() { return pdq; }

    /** Near matches up to this many differing bits (default 31). */
    public int pdqDistance() { return pdqDistance; }

    /** Whether the seven rotations and flips of every picture are matched too (default false). */
    public boolean pdqDihedral() { return pdqDihedral; }

    /** The PDQ stage's sizes for this scan, at {@code threads} decoding threads. */
    org.triage.pipeline.PdqSettings pdqSettings(int threads) {
        return new org.triage.pipeline.PdqSettings(threads, pdqQueueBytes, pdqMaxPicture, pdqDistance, pdqDihedral,
                org.triage.pipeline.PdqSettings.defaults(pdqDistance, pdqDihedral).maxDeferred());
    }
    /** What earlier, unfinished scans recorded, taken in place of reading it again; null: read everything. */
    public Checkpoint resume() { return resume; }

    /** The share of each item this scan reads ({@link EntryShare}); null: every entry. */
    public EntryShare share() { return share; }
    /**
     * Whether each item's likely pictures and videos are read before its other files (README,
     * "An answer in seconds"): the files whose name's extension says picture or video, and every file
     * under a camera roll, picture, messenger-media or browser-cache folder; then the rest, in disk
     * order for an image, in walk order for a directory (walked twice for it). Default true.
     */
    public boolean picturesFirst() { return picturesFirst; }

    /**
     * Stops each item at its N-th file matching known material of a category that raises priority
     * (1: {@code --first-hit}); the item is then partial ({@link org.triage.model.EvidenceSummary#partial()})
     * and the scan goes on to the next item. 0 (the default): read every item whole.
     */
    public int stopAfter() { return stopAfter; }

    public static final class Builder {
        private final List<String> sources = new ArrayList<>();
        private Set<Algorithm> algorithms = EnumSet.of(Algorithm.MD5, Algorithm.SHA1, Algorithm.SHA256);
        private PipelineSettings settings = PipelineSettings.defaults();
        private RecordListener listener = (FileRecord r) -> { };
        private boolean prewalk;
        private boolean verify;
        private CategoryTable categories;
        private int archiveDepth = DEFAULT_ARCHIVE_DEPTH;
        private boolean expandImages = true;
        private PdqMode pdq = PdqMode.AUTO;
        private int pdqDistance = org.triage.pipeline.PdqSettings.DEFAULT_DISTANCE;
        private boolean pdqDihedral;
        private long pdqQueueBytes = org.triage.pipeline.PdqSettings.defaults(31, false).queueBytes();
        private long pdqMaxPicture = org.triage.pipeline.PdqSettings.defaults(31, false).maxPicture();
        private Checkpoint resume;
        private EntryShare share;
        private boolean picturesFirst = true;
        private int stopAfter;

        private Builder() {
        }

        public Builder source(String... given) {
            for (String s : given) {
                if (s == null || s.isEmpty()) throw new IllegalArgumentException("evidence path must not be empty");
                sources.add(s);
            }
            return this;
        }

        public Builder algorithms(Set<Algorithm> algs) {
            if (algs.isEmpty()) throw new IllegalArgumentException("at least one algorithm is needed");
            this.algorithms = EnumSet.copyOf(algs);
            return this;
        }

        /** Internal sizes, for tests; callers use {@link #hashThreads} and {@link #readers}. */
        Builder settings(PipelineSettings s) {
            this.settings = s;
            return this;
        }

        public Builder hashThreads(int n) {
            this.settings = settings.withHashThreads(n);
            return this;
        }

        public Builder readers(int n) {
            this.settings = settings.withReaders(n);
            return this;
        }

        public Builder listener(RecordListener l) {
            this.listener = l;
            return this;
        }

        /** Count totals in a metadata pre-walk, for progress and ETA ({@link Scan#totals()}). */
        public Builder prewalk(boolean on) {
            this.prewalk = on;
            return this;
        }

        public Builder verify(boolean v) {
            this.verify = v;
            return this;
        }

        /**
         * The category table to rank by, e.g. {@code CategoryTable.load(labFile)}; each scan keeps
         * its own, so scans in one JVM may use different tables. Default {@link CategoryTable#defaults()}.
         */
        public Builder categories(CategoryTable table) {
            if (table == null) throw new IllegalArgumentException("category table must not be null");
            this.categories = table;
            return this;
        }

        /** Levels of archives to expand (0: none); see {@link ScanConfig#archiveDepth()}. */
        public Builder archiveDepth(int depth) {
            if (depth < 0 || depth > 32) {
                throw new IllegalArgumentException("archive depth must be between 0 and 32, was " + depth);
            }
            this.archiveDepth = depth;
            return this;
        }

        /** Examine disk images found inside items as images (default); see {@link ScanConfig#expandImages()}. */
        public Builder expandImages(boolean on) {
            this.expandImages = on;
            return this;
        }

        /** PDQ-hash pictures: on, off, or when the store holds PDQ hashes (the default). */
        public Builder pdq(PdqMode mode) {
            if (mode == null) throw new IllegalArgumentException("PDQ mode must not be null");
            this.pdq = mode;
            return this;
        }

        /** Report near matches up to {@code bits} differing bits, 0-255 (default 31). */
        public Builder pdqDistance(int bits) {
            if (bits < 0 || bits > 255) throw new IllegalArgumentException("PDQ distance must be between 0 and 255, was " + bits);
            this.pdqDistance = bits;
            return this;
        }

        /** Also match every picture's seven rotations and flips. */
        public Builder pdqDihedral(boolean on) {
            this.pdqDihedral = on;
            return this;
        }

        /**
         * The PDQ stage's memory: picture bytes held for decoding at once (default an eighth of the
         * heap, 16-128 MiB), and the largest picture file decoded (default 64 MiB or the queue's size;
         * larger ones get {@code pdq_error}).
         */
        public Builder pdqLimits(long queueBytes, long maxPictureBytes) {
            if (maxPictureBytes < 1 || maxPictureBytes > queueBytes) {
                throw new IllegalArgumentException("largest picture " + maxPictureBytes + " must be in 1-" + queueBytes
                        + " (the PDQ queue's bytes)");
            }
            this.pdqQueueBytes = queueBytes;
            this.pdqMaxPicture = maxPictureBytes;
            return this;
        }

        /**
         * Resumes an unfinished scan: each entry of an item that {@code earlier} holds (read from
         * the listings of the scans that did not finish, {@link Checkpoint#read}) is recorded as it
         * was, in place of being read, so that the result is that of one whole scan. Null: read everything.
         */
        public Builder resume(Checkpoint earlier) {
            this.resume = earlier;
            return this;
        }

        /**
         * Reads only one share of each item's entries (a cluster cuts a large image into several
         * tasks); the others are neither read nor recorded. Null (the default): every entry.
         */
        public Builder share(EntryShare part) {
            this.share = part;
            return this;
        }

        /** Read likely pictures and videos first (default true); see {@link ScanConfig#picturesFirst()}. */
        public Builder picturesFirst(boolean on) {
            this.picturesFirst = on;
            return this;
        }

        /** Stop each item at its {@code n}-th match that raises priority; 0: never. See {@link ScanConfig#stopAfter()}. */
        public Builder stopAfter(int n) {
            if (n < 0) throw new IllegalArgumentException("stop after must be 0 (never) or a number of matches, was " + n);
            this.stopAfter = n;
            return this;
        }

        public ScanConfig build() {
            if (sources.isEmpty()) throw new IllegalArgumentException("no evidence item to scan");
            return new ScanConfig(this);
        }
    }
}
