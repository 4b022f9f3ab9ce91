package org.triage.acquire;

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
 * Written on the reader's thread: a write into the page cache is a copy, and the digests run on
 * their own threads meanwhile. Every file is created new (never an existing one overwritten), and synced to the disk when it is
 * full or the stream ends ({@link Fsync}).
 */
public final class RawImageSink implements MediaSink {
    private final Path path;
    private final long segmentSize;
    private final List<Path> files = new ArrayList<>();
    private FileChannel channel;
    private long inSegment;

    private RawImageSink(Path path, long segmentSize) {
        this.path = path;
        this.segmentSize = segmentSize;
    }

    /**
     * @param segmentSize bytes per segment; 0 writes the one file {@code path}
     */
    public static RawImageSink create(Path path, long segmentSize) {
        if (segmentSize < 0) throw new IllegalArgumentException("segment size must not be negative, was " + segmentSize);
        return new RawImageSink(path, segmentSize);
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
            int n = segmentSize == 0 ? data.remaining() : (int) Math.min(data.remaining(), segmentSize - inSegment);
            ByteBuffer part = data.slice(data.position(), n);
            while (part.hasRemaining()) channel.write(part);
            data.position(data.position() + n);
            inSegment += n;
        }
    }

    private void next() throws IOException {
        if (channel != null) {
            channel.force(true);
            channel.close();
        }
        Path p = segmentSize == 0 ? path : segmentName(path, files.size() + 1);
        channel = FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        files.add(p);
        inSegment = 0;
    }

    @Override
    public void finish(boolean complete) throws IOException {
        if (channel != null) {
            channel.force(true);
            channel.close();
            channel = null;
            Fsync.directoryOf(files.get(0));
        }
    }

    /** The files written, in order. */
    public List<Path> files() { return List.copyOf(files); }
}
