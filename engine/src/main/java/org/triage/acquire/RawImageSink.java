package org.triage.acquire;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The raw copy: one file, or segments of a fixed size named {@code PATH.001}, {@code PATH.002}...
 * (the names {@code split -d} and FTK Imager give, which libtsk and ewf-tools open as one image).
 * Every file is created new (never an existing one overwritten), and synced to the disk when it is
 * full or the stream ends ({@link Fsync}).
 *
 * <p>Written around the page cache where the filesystem allows it (O_DIRECT): a copy of a whole
 * drive passes through the cache once and is never read back by the imager, so caching it only
 * evicts what the examiner's machine had cached; and on a VM that hands free memory back to its
 * host, every page the cache takes anew cost ~7 CPU-s of system time a GiB (README, "Acquisition").
 * O_DIRECT wants aligned memory, offsets and lengths: the stream is gathered in an aligned
 * staging buffer and written in whole multiples of {@value #ALIGN} bytes; the unaligned end of a
 * segment (or of the media) is written through the page cache. Where the filesystem refuses
 * O_DIRECT (at the open or at a write), the rest is written through the page cache as before.
 * Written on the reader's thread: the digests run on their own threads meanwhile.
 */
public final class RawImageSink implements MediaSink {
    private static final System.Logger LOG = System.getLogger(RawImageSink.class.getName());
    /** Alignment of memory, offsets and lengths for O_DIRECT: the largest logical block size in use. */
    static final int ALIGN = 4096;
    private static final int STAGE = 8 << 20;

    private final Path path;
    private final long segmentSize;
    private final boolean tryDirect;
    private final List<Path> files = new ArrayList<>();
    private final ByteBuffer stage = ByteBuffer.allocateDirect(STAGE + ALIGN).alignedSlice(ALIGN);
    private FileChannel channel;
    private FileChannel direct;
    private long inSegment;
    /** Where the staging buffer's first byte goes in the current file. */
    private long stageAt;
    private long bytesDirect;

    private RawImageSink(Path path, long segmentSize, boolean tryDirect) {
        this.path = path;
        this.segmentSize = segmentSize;
        this.tryDirect = tryDirect;
    }

    /**
     * @param segmentSize bytes per segment; 0 writes the one file {@code path}
     */
    public static RawImageSink create(Path path, long segmentSize) {
        return create(path, segmentSize, true);
    }

    /** As {@link #create(Path, long)}; {@code direct} false writes through the page cache only (tests compare the two). */
    static RawImageSink create(Path path, long segmentSize, boolean direct) {
        if (segmentSize < 0) throw new IllegalArgumentException("segment size must not be negative, was " + segmentSize);
        return new RawImageSink(path, segmentSize, direct);
    }

    /** The files the copy is made of, in order: {@code path}, or its first segment for a segmented copy. */
    public static Path firstFile(Path path, long segmentSize) {
        return segmentSize == 0 ? path : segmentName(path, 1);
    }

    private static Path segmentName(Path path, int n) {
        return path.resolveSibling(path.getFileName() + String.format(Locale.ROOT, ".%03d", n));
    }

    @Override
    public void accept(long offset, ByteBuffer data) throws IOException {
        while (data.hasRemaining()) {
            if (channel == null || (segmentSize > 0 && inSegment == segmentSize)) next();
            long room = segmentSize == 0 ? Long.MAX_VALUE : segmentSize - inSegment;
            int n = (int) Math.min(Math.min(data.remaining(), stage.remaining()), room);
            stage.put(stage.position(), data, data.position(), n);
            stage.position(stage.position() + n);
            data.position(data.position() + n);
            inSegment += n;
            if (!stage.hasRemaining()) flush();
        }
    }

    /** Writes the staged bytes: the aligned part around the page cache where allowed, the rest through it. */
    private void flush() throws IOException {
        int staged = stage.position();
        int aligned = direct == null ? 0 : staged / ALIGN * ALIGN;
        if (aligned > 0) {
            try {
                write(direct, stage.duplicate().position(0).limit(aligned), stageAt);
                bytesDirect += aligned;
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, () -> files.get(files.size() - 1) + ": O_DIRECT write refused (" + e
                        + "), writing through the page cache");
                closeDirect();
                aligned = 0;
            }
        }
        if (aligned < staged) write(channel, stage.duplicate().position(aligned).limit(staged), stageAt + aligned);
        stageAt += staged;
        stage.clear();
    }

    private static void write(FileChannel ch, ByteBuffer b, long at) throws IOException {
        while (b.hasRemaining()) at += ch.write(b, at);
    }

    private void next() throws IOException {
        if (channel != null) endFile();
        Path p = segmentSize == 0 ? path : segmentName(path, files.size() + 1);
        channel = FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        files.add(p);
        inSegment = 0;
        stageAt = 0;
        if (tryDirect) {
            try {
                direct = FileChannel.open(p, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT);
            } catch (IOException | UnsupportedOperationException e) {
                LOG.log(System.Logger.Level.DEBUG, () -> p + ": no O_DIRECT here (" + e + "), writing through the page cache");
            }
        }
    }

    /** Writes what is staged, syncs the file and closes it. */
    private void endFile() throws IOException {
        flush();
        closeDirect();
        channel.force(true);
        channel.close();
        channel = null;
    }

    private void closeDirect() throws IOException {
        if (direct != null) {
            FileChannel d = direct;
            direct = null;
            d.close();
        }
    }

    @Override
    public void finish(boolean complete) throws IOException {
        if (channel != null) {
            endFile();
            Fsync.directoryOf(files.get(0));
        }
    }

    /** The files written, in order. */
    public List<Path> files() { return List.copyOf(files); }

    /** Bytes written around the page cache (O_DIRECT), for tests and the log. */
    long bytesDirect() { return bytesDirect; }
}
