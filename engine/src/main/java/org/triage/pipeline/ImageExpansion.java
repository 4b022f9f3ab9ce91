package org.triage.pipeline;

import com.lmax.disruptor.RingBuffer;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.triage.model.ContentType;
import org.triage.model.RawPath;
import org.triage.source.ContentReader;
import org.triage.source.DirectorySource;
import org.triage.source.ImageSignature;
import org.triage.source.NestedImages;
import org.triage.source.Source;
import org.triage.source.SourceEntry;

/**
 * Disk images found inside an evidence item (an E01 in a case folder, a raw ext image saved on a
 * FAT image), opened as images whose files are read as part of the same item: one reader's side
 * of it. Each file of such an image becomes a job like any other, with {@link FileJob#container}
 * the chain of images it is in (outermost first: the image's path in the item, then each nested
 * image's path inside the one before), hashed, looked up and recorded like a file.
 *
 * <p>Design. The reader that meets an image keeps it: the image is walked at once (libtsk lists
 * every entry before delivering, as for an image named on the command line) and its entries wait
 * here, read by the same reader before it takes the listing's next entry, through its lanes, so
 * several of the image's files are in flight at once as usual. The image stays open until the last
 * of its entries is done ({@link #release}). Two ways in:
 * <ul>
 * <li>A file of a folder whose first chunk looks like an image ({@link ImageSignature}), or whose
 *     name is a later segment's, is opened by its path ({@link NestedImages#inFolder}), at its
 *     first chunk: then it is not hashed as a file at all (reading a 100 GB E01 twice would halve
 *     the scan), its record says it was examined as a disk image, and its later segments (met
 *     before or after it) are listed as segments of it, not hashed.</li>
 * <li>A file inside an image whose first chunk looks like a raw image is hashed as a file to its
 *     end, then opened through the same reader at offsets ({@link NestedImages#through}): its bytes
 *     exist only inside the outer image, and the reader is the read-only way to them. The reader
 *     then belongs to the inner image, and is closed with it. EWF, VMDK and VHD inside an image are
 *     not opened (their libraries open files by name): hashed, with the reason on the record.</li>
 * </ul>
 * Damage (a partition table or filesystem that cannot be read, a segment missing) goes on the
 * image's own record as its error, and the record's type is {@code disk-image}, so that the
 * priority rule counts it as a region not examined ({@link org.triage.model.FileRecord#unexaminedRegion()}).
 *
 * <p>Depth: images nest at most {@value #MAX_DEPTH} deep (an image in the item, and three more
 * inside each other); a deeper one is hashed as a file and its record says why. A separate bound
 * from {@code --archive-depth}: an image is examined or not, and the whole of a nested image is as
 * large as its outer one, so no expansion ratio bounds it the way an archive's does.
 *
 * <p>Threading: owned by one reader thread, like its lanes.
 */
final class ImageExpansion {
    static final int MAX_DEPTH = 4;

    /** What the reader does with a file after its first chunk. */
    enum Start {
        /** Hash it as a file. */
        HASH,
        /** It was taken as an image (or a segment of one) by its path: do not hash it. */
        TAKEN,
        /** Hash it as a file; at its end, try to open it as a raw image through the reader. */
        AT_END
    }

    /** One image being read: its entries not yet done, and what closes with it. */
    static final class Nested {
        final Source source;
        final List<RawPath> chain;
        final int depth;
        /** Read from the evidence itself (an image in a folder), not through an outer image's reader. */
        final boolean byPath;
        /** The outer reader the image is read through, closed after it; null for an image in a folder. */
        final ContentReader outer;
        /** The image the outer file belongs to, held open until this one closes; null at the item's top. */
        final Nested parent;
        /** The walk's hold, plus one per entry queued and not yet done. */
        int holds = 1;
        boolean closed;

        Nested(Source source, List<RawPath> chain, int depth, boolean byPath, ContentReader outer, Nested parent) {
            this.source = source;
            this.chain = chain;
            this.depth = depth;
            this.byPath = byPath;
            this.outer = outer;
            this.parent = parent;
        }
    }

    /** An entry of an image, waiting for a lane. */
    record Pending(SourceEntry entry, Nested from) {
    }

    private final SourceRun run;
    private final RingBuffer<ChunkEvent> ring;
    private final java.util.concurrent.atomic.AtomicLong ids;
    private final int algorithms;
    private final BooleanSupplier stopping;
    private final ProgressCounters progress;
    private final boolean enabled;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private final List<Nested> open = new ArrayList<>();

    ImageExpansion(SourceRun run, RingBuffer<ChunkEvent> ring, java.util.concurrent.atomic.AtomicLong ids, int algorithms,
                   BooleanSupplier stopping, ProgressCounters progress, boolean enabled) {
        this.run = run;
        this.ring = ring;
        this.ids = ids;
        this.algorithms = algorithms;
        this.stopping = stopping;
        this.progress = progress;
        this.enabled = enabled;
    }

    /** The next entry of an image to read, or null. */
    Pending next() { return pending.poll(); }

    /** Where an entry is opened: its image, or the evidence item. */
    Source sourceOf(Nested from) { return from == null ? run.source : from.source; }

    /**
     * Decides, from a file's first bytes, whether it is an image; opens one found in a folder.
     * Sets the job's note, content type and image problem as it goes.
     */
    Start atStart(FileJob job, Nested from, byte[] head, int n) {
        if (!enabled) return Start.HASH;
        ImageSignature.Kind kind = ImageSignature.of(head, n);
        if (from == null && org.triage.source.SharedSource.item(run.source) instanceof DirectorySource folder) {
            if (kind == ImageSignature.Kind.NONE && !NestedImages.segmentName(job.entry.path())) return Start.HASH;
            NestedImages.Taken t = NestedImages.inFolder(folder, job.entry.path());
            if (t.segmentOf() != null) {
                job.contentType = ContentType.DISK_IMAGE;
                job.note = t.note();
                return Start.TAKEN;
            }
            if (t.image() == null) {
                job.note = t.note();
                if (t.problem() != null) {
                    job.contentType = ContentType.DISK_IMAGE;
                    job.imageProblem = t.problem();
                }
                return Start.HASH;
            }
            job.contentType = ContentType.DISK_IMAGE;
            job.archive = null;
            String atime = t.image().atimeNote();
            if (atime != null) folder.imageMovedAtimes(job.entry.path().display() + ": " + atime);
            walk(job, t.image(), true, null, null);
            return Start.TAKEN;
        }
        if (from == null && (run.source.taken() == null || run.source.taken().isFile())) return Start.HASH; // a loose file
        // A filesystem's own metadata ($MBR, $Boot, $FAT1) holds boot sectors that are no image of their own.
        if (job.entry.details() != null && job.entry.details().meta()) return Start.HASH;
        int depth = from == null ? 1 : from.depth + 1;
        if (kind == ImageSignature.Kind.FORMAT) {
            job.contentType = ContentType.DISK_IMAGE;
            job.imageProblem = "an EWF, VMDK or VHD image inside a disk image is not examined: their libraries read"
                    + " segment files by name, and these bytes have none outside the image; hashed as a file";
            return Start.HASH;
        }
        if (kind != ImageSignature.Kind.RAW) return Start.HASH;
        if (depth > MAX_DEPTH) {
            job.contentType = ContentType.DISK_IMAGE;
            job.imageProblem = "disk image not examined: nested deeper than " + MAX_DEPTH + " images; hashed as a file";
            return Start.HASH;
        }
        return Start.AT_END;
    }

    /**
     * A file hashed to its end that looked like a raw image: opens it through its reader. Returns
     * true when the image took the reader (and the hold on {@code from}): the caller must then
     * close neither.
     */
    boolean atEnd(FileJob job, ContentReader in, Nested from) {
        Source image;
        String name = job.entry.path().display();
        try {
            image = NestedImages.through(name, in, job.bytes);
        } catch (IOException | RuntimeException e) {
            job.contentType = ContentType.DISK_IMAGE;
            job.imageProblem = "disk image not examined: " + (e.getMessage() == null ? e : e.getMessage());
            return false;
        }
        if (image == null) return false; // libtsk finds no table or filesystem: a file after all
        job.contentType = ContentType.DISK_IMAGE;
        walk(job, image, false, in, from);
        return true;
    }

    /** Walks an opened image: queues its entries; its region problems go on the image's own record. */
    private void walk(FileJob job, Source image, boolean byPath, ContentReader outer, Nested from) {
        List<RawPath> chain = new ArrayList<>(job.container);
        chain.add(job.entry.path());
        Nested n = new Nested(image, List.copyOf(chain), from == null ? 1 : from.depth + 1, byPath, outer, from);
        open.add(n);
        progress.images.incrementAndGet();
        List<String> problems = new ArrayList<>();
        long[] entries = {0};
        try {
            image.walk(e -> {
                if (e.path().isRoot() && e.error() != null) {
                    problems.add(e.error()); // a partition, a filesystem: the image's own damage
                } else {
                    pending.add(new Pending(e, n));
                    n.holds++;
                    entries[0]++;
                    progress.imageEntries.incrementAndGet();
                }
                return !stopping.getAsBoolean();
            });
        } catch (IOException | RuntimeException e) {
            problems.add("cannot list the image: " + (e.getMessage() == null ? e : e.getMessage()));
        }
        job.note = "disk image: examined as one; its " + entries[0] + (entries[0] == 1 ? " entry is" : " entries are")
                + " listed with it as their container";
        if (!problems.isEmpty()) job.imageProblem = String.join("; ", problems);
        release(n);
    }

    /** One entry of {@code n} is done (or the walk is): closes the image after its last. */
    void release(Nested n) {
        if (n == null || n.closed || --n.holds > 0) return;
        close(n);
        release(n.parent);
    }

    private void close(Nested n) {
        n.closed = true;
        open.remove(n);
        try {
            n.source.close();
        } finally {
            if (n.outer != null) n.outer.close();
        }
    }

    /**
     * After a reader failure: every entry still waiting is recorded with {@code why}, and every
     * image is closed, innermost first.
     */
    void abandon(String why) {
        for (Pending p; (p = pending.poll()) != null; ) {
            FileJob job = new FileJob(ids.getAndIncrement(), run, p.entry(), algorithms);
            job.container = p.from().chain;
            job.error = why;
            ring.publishEvent(ChunkEvent.ENTRY_TRANSLATOR, job);
        }
        closeAll();
    }

    /** Closes what is still open (the reader is leaving), innermost first. */
    void closeAll() {
        pending.clear();
        for (int i = open.size() - 1; i >= 0; i--) {
            Nested n = open.get(i);
            if (n.closed) continue;
            try {
                close(n);
            } catch (RuntimeException | Error e) {
                System.getLogger(ImageExpansion.class.getName()).log(System.Logger.Level.WARNING,
                        "closing the disk image " + n.chain + " failed", e);
            }
        }
        open.clear();
    }
}
