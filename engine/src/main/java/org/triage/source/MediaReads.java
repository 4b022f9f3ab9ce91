package org.triage.source;

import com.sun.jna.Pointer;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Serves a raw image's or device's bytes to libtsk in place of reading the evidence file: how a
 * scan reads a drive from the acquisition's stream ({@code org.triage.acquire.StreamTriage}).
 *
 * <p>Why a scope rather than an option: the scan opens its evidence itself ({@code Scan.run} through
 * {@link Sources#open}), and the stream must reach exactly that opening, not the images found
 * inside it (opened on reader threads) or another scan's. So the reads are installed for the
 * thread that runs the scan, for as long as {@link #during} runs, and the first raw image or device
 * opened on it takes them ({@link #claim}); the scan pipeline made on that thread reads one file at
 * a time in disk order ({@link #active}), since several files in flight would ask for bytes far
 * apart on the disk at once, which a stream can serve only by holding everything between them.
 *
 * <p>Threading: {@link #read} runs under libtsk's image lock, on whichever thread reads.
 */
public interface MediaReads {

    /** The evidence file's own bytes, for what the stream no longer holds. */
    interface Direct {
        /** Bytes read (short at the end of the media), never -1. */
        long read(long offset, Pointer buf, long len) throws IOException;
    }

    /**
     * Fills {@code buf} with media bytes {@code [offset, offset + len)} (already within the media);
     * may wait for the stream to get there.
     *
     * @return the bytes given, short only at the media's end
     * @throws IOException with the reason libtsk then reports
     */
    long read(long offset, Pointer buf, long len, Direct direct) throws IOException;

    /** The source has listed and sorted every entry: what it reads from now on is files' content. */
    void listed();

    /**
     * What is wrong with content stored in {@code runs} ((image offset, length) pairs), or null: for
     * ranges that reached the stream as zeros because they could not be read.
     */
    String damageIn(List<long[]> runs);

    /**
     * Marks what this thread reads from now on as a file's content ({@code true}, around libtsk's
     * file reads) or as metadata (inodes, MFT entries, allocation tables), which does not wait for a
     * stream far behind it: such a read is an excursion, not where the stream should go.
     *
     * @return the bytes this thread has read from the evidence file again so far
     */
    long content(boolean on);

    /** A file whose content needed {@code bytes} read again from the evidence; once per file read. */
    void fileReread(String where, long bytes);

    /**
     * Whether a scan opens {@code given} as a raw image or a device (the images these reads can
     * serve), decided as {@link Sources#open} decides it.
     *
     * @throws IOException when it cannot be read
     */
    static boolean servable(String given) throws IOException {
        ImageSegments segments = ImageSegments.resolve(given);
        return segments.tskType() == Tsk.IMG_RAW && ("device".equals(segments.format()) || ImageProbe.isImage(given));
    }

    /** Runs {@code body} with {@code reads} serving the first raw image or device this thread opens. */
    static <T> T during(MediaReads reads, Callable<T> body) throws Exception {
        if (Scope.CURRENT.get() != null) throw new IllegalStateException("media reads are already installed on this thread");
        Scope.CURRENT.set(new Scope(reads));
        try {
            return body.call();
        } finally {
            Scope.CURRENT.remove();
        }
    }

    /** Whether this thread runs a scan whose media comes from a stream ({@link #during}). */
    static boolean active() {
        return Scope.CURRENT.get() != null;
    }

    /** The reads installed on this thread, once; null when none are, or they were taken. */
    static MediaReads claim() {
        Scope s = Scope.CURRENT.get();
        if (s == null || s.claimed) return null;
        s.claimed = true;
        return s.reads;
    }

    /** The installed reads and whether an image took them. */
    final class Scope {
        private static final ThreadLocal<Scope> CURRENT = new ThreadLocal<>();
        private final MediaReads reads;
        private boolean claimed;

        private Scope(MediaReads reads) {
            this.reads = reads;
        }
    }
}
