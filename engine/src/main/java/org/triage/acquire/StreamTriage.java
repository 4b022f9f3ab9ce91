package org.triage.acquire;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import org.triage.Scan;
import org.triage.ScanConfig;
import org.triage.Triage;
import org.triage.model.ScanResult;
import org.triage.source.MediaReads;
import org.triage.store.HashStore;

/**
 * Triage of a drive from the very bytes its acquisition reads: one {@link MediaSink} beside the
 * image writer and the media digests, so that the drive is read once and is ranked when imaging ends.
 *
 * <p>Design: the whole scan runs, unchanged ({@link Triage#newScan}: the same listing, disk order,
 * archives, nested images, signatures, PDQ and errors, so the records are those of {@code triage
 * scan} of the written image by construction), on a thread of its own, with the raw source's image
 * reads served by a {@link StreamWindow} instead of the evidence file ({@link MediaReads}). Opening
 * lets the scan list the source first: partition table, filesystems and every entry, sorted by
 * first block, all read straight from the source before the stream starts (counted as metadata).
 * From then on the scan reads one file at a time in disk order, and each read is served from the
 * window (the last bytes streamed), by waiting for the stream, or, for what the window no longer
 * holds, by reading the source again ({@code pread}), counted in {@link #stats()}.
 *
 * <p>Why the source and not the freshly written image for what must be read again: the image may
 * be E01, compressed and still being written by another sink (its chunks are not readable until
 * its segment is complete); the source is open read-only already, and a re-read is a seek on it.
 * Ranges the acquisition announced unreadable are never read again: they are served as the zeros the
 * image holds, and each file over them gets an error naming them (its digests are of those zeros).
 * Known limit: a metadata read far ahead of the stream (more than half the window: an MFT entry in
 * a later partition) comes from the source, and libtsk caches the 64 KiB around it; should a sector
 * in there later fail in the acquisition, a file read from that cache gets the sector's old bytes
 * (its record still gets the error), where the image holds zeros.
 *
 * <p>What is read again: files fragmented backwards by more than the window (a later fragment
 * before bytes already streamed past), the files between a forward fragment and its first one when
 * they outgrow the window, a ZIP's members when the archive is larger than half the window, the
 * pictures the PDQ stage deferred, and per-file metadata (inodes, MFT entries) behind the stream.
 * Memory: the window (default {@value #DEFAULT_WINDOW} bytes, native, outside the heap) plus the
 * scan's own buffers, whatever the drive's size.
 *
 * <p>Threading and ownership: {@link #accept}, {@link #unreadable} and {@link #finish} on the
 * acquisition's thread, in order ({@link MediaSink}); {@code accept} may block to hold the stream
 * to the scan's pace (never while a read waits for bytes ahead: see {@link StreamWindow}). Owns the
 * scan's thread; {@link #close()} stops and joins it. Records go to the config's listener, on the
 * scan's recording thread, as {@code triage scan} delivers them.
 */
public final class StreamTriage implements MediaSink, AutoCloseable {
    /** The default window: 256 MiB of native memory. */
    public static final long DEFAULT_WINDOW = 256L << 20;
    /** The smallest window: one read of libtsk's cache. */
    public static final long MIN_WINDOW = 64L << 10;
    /** The largest window: 1 GiB. */
    public static final long MAX_WINDOW = 1L << 30;

    /**
     * What could not come from the stream.
     *
     * @param window           the window's bytes
     * @param streamedBytes    bytes the stream passed
     * @param metadataBytes    read from the source before the stream started: partition table,
     *                         filesystems' metadata, the listing
     * @param filesReread      file reads that needed content the window no longer held (a file read
     *                         twice, e.g. a deferred picture, counts twice)
     * @param fileBytesReread  those files' content bytes read again from the source
     * @param otherBytesReread other bytes read again from the source: files' metadata (inodes, MFT
     *                         entries) behind the stream, and bytes past where a complete stream ended
     * @param reread           the first 100 of those files, by image, partition, offset, inode and path
     */
    public record Stats(long window, long streamedBytes, long metadataBytes, int filesReread, long fileBytesReread,
                        long otherBytesReread, List<String> reread) {
    }

    private final StreamWindow window;
    private final Scan scan;
    private final Thread thread;
    private volatile ScanResult result;
    private volatile Throwable failure;
    private boolean finished;

    private StreamTriage(StreamWindow window, Scan scan) {
        this.window = window;
        this.scan = scan;
        this.thread = new Thread(this::run, "triage-stream-scan");
        thread.setDaemon(true);
    }

    /** {@link #open(Path, ScanConfig, HashStore, long)} with the {@link #DEFAULT_WINDOW default window}. */
    public static StreamTriage open(Path source, ScanConfig config, HashStore store) throws IOException, InterruptedException {
        return open(source, config, store, DEFAULT_WINDOW);
    }

    /**
     * Starts the scan of {@code source} and returns once it has listed the source's partitions and
     * files (metadata reads only), before the stream starts.
     *
     * @param config the scan's config; its one evidence item must be {@code source}, and it must not
     *               ask for --verify (the acquisition's media digests are that hash)
     * @param store  the known-hash store; must outlive this
     * @param windowBytes the stream bytes held for the scan, {@value #MIN_WINDOW}-{@value #MAX_WINDOW}
     * @throws IllegalArgumentException naming the bad value
     * @throws IOException when the source is not a raw image or device that the scan reads as a disk
     */
    public static StreamTriage open(Path source, ScanConfig config, HashStore store, long windowBytes)
            throws IOException, InterruptedException {
        StreamTriage t = create(source, config, store, windowBytes);
        t.start();
        return t;
    }

    /**
     * As {@link #open(Path, ScanConfig, HashStore, long)}, without starting the scan: what the scan
     * will compute ({@link #algorithms()}, {@link #notes()}, {@link #pdq()}) is known, and nothing
     * was read but the check that the source is a disk. For a caller that must write something
     * (a listing's header) before the first record; then {@link #start()}. Close it either way.
     */
    public static StreamTriage create(Path source, ScanConfig config, HashStore store, long windowBytes) throws IOException {
        if (source == null || config == null || store == null) throw new IllegalArgumentException("source, config and store are needed");
        if (!config.sources().equals(List.of(source.toString()))) {
            throw new IllegalArgumentException("the config's evidence " + config.sources() + " must be the source "
                    + source + " alone");
        }
        if (config.verify()) {
            throw new IllegalArgumentException("a config with verify hashes the media a second time; the acquisition's"
                    + " media digests are that hash: build it without verify");
        }
        if (windowBytes < MIN_WINDOW || windowBytes > MAX_WINDOW) {
            throw new IllegalArgumentException("window must be " + MIN_WINDOW + "-" + MAX_WINDOW + " bytes, was " + windowBytes);
        }
        if (!MediaReads.servable(source.toString())) {
            throw new IOException(source + ": not a disk image or device with a partition table or filesystem that"
                    + " libtsk reads; triage from the stream needs one (scan the written image instead)");
        }
        return new StreamTriage(new StreamWindow(windowBytes), Triage.newScan(config, store));
    }

    /**
     * Starts the scan of a {@link #create created} triage and returns once it has listed the
     * source's partitions and files (metadata reads only), before the stream starts.
     *
     * @throws IllegalStateException when started before
     */
    public void start() throws InterruptedException {
        if (thread.getState() != Thread.State.NEW) throw new IllegalStateException("the triage was started before");
        thread.start();
        try {
            window.awaitListed();
        } catch (InterruptedException e) {
            close();
            throw e;
        }
    }

    /**
     * Whether {@code source} can be triaged from its stream: a raw image or device that the scan
     * reads as a disk (a partition table or a filesystem libtsk reads). Reads its first sectors only;
     * for a caller that refuses before it writes anything.
     *
     * @throws IOException when the source cannot be read
     */
    public static boolean servable(Path source) throws IOException {
        return MediaReads.servable(source.toString());
    }

    /** The algorithms the scan computes: those asked for plus those the store holds ({@link Scan#algorithms()}). */
    public List<org.triage.model.Algorithm> algorithms() { return scan.algorithms(); }

    /** Algorithms added because the store holds such digests. */
    public List<org.triage.model.Algorithm> addedForStore() { return scan.addedForStore(); }

    /** What the examiner should know about how the scan runs ({@link Scan#notes()}). */
    public List<String> notes() { return scan.notes(); }

    /** Whether pictures are PDQ-hashed, and why. */
    public org.triage.model.PdqUse pdq() { return scan.pdq(); }

    /** The scan's counts so far (files, bytes, alert matches); any thread. */
    public org.triage.model.Progress progress() { return scan.progress(); }

    private void run() {
        try {
            result = MediaReads.during(window, scan::run);
        } catch (Throwable e) {
            failure = e;
        } finally {
            window.release();
        }
    }

    @Override
    public void accept(long offset, ByteBuffer data) throws IOException {
        try {
            window.accept(offset, data);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the triage took the bytes at offset " + offset, e);
        }
    }

    @Override
    public void unreadable(long offset, long length) {
        window.unreadable(offset, length);
    }

    /** Ends the stream; when it is not {@code complete}, the scan stops and its result says so. */
    @Override
    public void finish(boolean complete) {
        synchronized (this) {
            finished = true;
        }
        if (!complete) scan.stop();
        window.finish(complete);
    }

    /**
     * After {@link #finish}: waits for the scan to end and returns its result, as {@code triage
     * scan} of the written image would give it.
     *
     * @throws IllegalStateException before {@link #finish}, or when the scan failed (with its cause)
     */
    public ScanResult result() throws InterruptedException {
        synchronized (this) {
            if (!finished) throw new IllegalStateException("the stream is not finished: call finish before result");
        }
        thread.join();
        if (failure != null) throw new IllegalStateException("the triage from the stream failed: " + failure, failure);
        return result;
    }

    /** What could not come from the stream so far: files and bytes read again from the source. */
    public Stats stats() {
        return window.stats();
    }

    /** Stops the scan if the stream was not finished, and waits for its thread. Idempotent. */
    @Override
    public void close() {
        boolean open;
        synchronized (this) {
            open = !finished;
        }
        if (open) finish(false);
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
