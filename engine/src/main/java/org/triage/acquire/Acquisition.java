package org.triage.acquire;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One read of a source, first sector to last, handed block by block to every {@link MediaSink}
 * (the image writer, the media digests, the triage): the imager's single pass.
 *
 * <p>Design: one thread (the caller of {@link #run}) reads big blocks sequentially into one direct
 * buffer and calls each sink in turn; a sink that works on other threads copies what it keeps and
 * blocks when its own bounded pool is full, which holds the reader back. Memory is therefore bounded
 * by the sinks' pools, whatever the source's size.
 *
 * <p>A read that fails is not the end: the block is read again in smaller pieces, then sector by
 * sector, and the sectors that still fail become zeros, announced to the sinks
 * ({@link MediaSink#unreadable}) before the block that holds them, and listed in the result.
 *
 * <p>{@link #stop} may be called from any thread (a signal handler): the current block is finished,
 * then every sink is told the stream ended incomplete. Owns the source's descriptor: close it.
 */
public final class Acquisition implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Acquisition.class.getName());
    /** Big enough that a call per block costs nothing, small enough to retry cheaply. */
    static final int BLOCK = 8 << 20;
    /** The first, coarse retry of a failed block. */
    private static final int RETRY_PIECE = 64 << 10;

    private final MediaReader reader;
    private final SourceIdentity identity;
    private volatile boolean stopRequested;
    private volatile long bytesDone;

    Acquisition(MediaReader reader, SourceIdentity identity) {
        this.reader = reader;
        this.identity = identity;
    }

    /**
     * Opens a block device or a raw image read-only.
     *
     * @throws IOException naming the source and why it cannot be read
     */
    public static Acquisition open(Path source) throws IOException {
        SourceIdentity id = SourceIdentity.of(source);
        if (!id.blockDevice() && !id.regularFile()) {
            throw new IOException(source + " is neither a block device nor a raw image file");
        }
        DeviceReader r = DeviceReader.open(source, id);
        if (r.size() <= 0) {
            r.close();
            throw new IOException(source + " is empty: nothing to acquire");
        }
        return new Acquisition(r, id);
    }

    public long size() { return reader.size(); }

    public int sectorSize() { return reader.sectorSize(); }

    /** Whether the source is a block device (the image's media flags say physical either way, as ewfacquire's do). */
    public boolean blockDevice() { return identity != null && identity.blockDevice(); }

    /** Bytes passed to the sinks so far; any thread. */
    public long bytesDone() { return bytesDone; }

    /** Asks the reader to stop after the current block; any thread. */
    public void stop() { stopRequested = true; }

    /**
     * Refuses outputs that would land on the source: the source file itself, the source device
     * node, or a filesystem on the source device or one of its partitions. Looks at device
     * numbers only: the source is not opened, so a refused acquisition never touched it.
     *
     * @param output a file the acquisition would create (it need not exist)
     * @return why it is refused, or null when it may be written
     * @throws IOException when the source cannot be looked at
     */
    public static String refusal(Path source, Path output) throws IOException {
        return OutputPlacement.refusal(source.toString(), SourceIdentity.of(source), output);
    }

    /**
     * Reads the whole source once and passes it to {@code sinks}, in list order for each block;
     * then finishes every sink in list order (so a sink that needs another's result, the E01's
     * digests, is put after it).
     *
     * @throws IOException when a sink fails (after every sink was finished, incomplete)
     */
    public AcquisitionResult run(List<MediaSink> sinks) throws IOException {
        long size = reader.size();
        int sector = reader.sectorSize();
        ByteBuffer buf = ByteBuffer.allocateDirect(BLOCK);
        ByteBuffer view = buf.asReadOnlyBuffer();
        List<BadRange> bad = new ArrayList<>();
        long offset = 0;
        IOException failure = null;
        try {
            while (offset < size && !stopRequested) {
                int n = (int) Math.min(BLOCK, size - offset);
                int before = bad.size();
                readBlock(offset, buf, n, sector, bad);
                for (int i = before; i < bad.size(); i++) {
                    BadRange r = bad.get(i);
                    LOG.log(System.Logger.Level.WARNING, reader.name() + ": unreadable, written as zeros: bytes "
                            + r.offset() + "-" + (r.end() - 1));
                    for (MediaSink s : sinks) s.unreadable(r.offset(), r.length());
                }
                for (MediaSink s : sinks) {
                    view.limit(n).position(0);
                    s.accept(offset, view);
                }
                offset += n;
                bytesDone = offset;
            }
        } catch (IOException e) {
            failure = e;
        }
        boolean complete = failure == null && offset == size;
        for (MediaSink s : sinks) {
            try {
                s.finish(complete);
            } catch (IOException e) {
                if (failure == null) failure = e;
                else failure.addSuppressed(e);
            }
        }
        if (failure != null) throw failure;
        return new AcquisitionResult(size, offset, complete, merged(bad));
    }

    /** The ranges with those that touch across a block boundary joined, as libewf's error list joins them. */
    private static List<BadRange> merged(List<BadRange> bad) {
        List<BadRange> out = new ArrayList<>();
        for (BadRange r : bad) {
            BadRange last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last != null && last.end() == r.offset()) out.set(out.size() - 1, new BadRange(last.offset(), last.length() + r.length()));
            else out.add(r);
        }
        return out;
    }

    /** Fills buf[0, n) with the block at {@code offset}, zeros where sectors cannot be read. */
    private void readBlock(long offset, ByteBuffer buf, int n, int sector, List<BadRange> bad) throws IOException {
        buf.clear().limit(n);
        try {
            reader.read(offset, buf);
            return;
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, reader.name() + ": read of " + n + " bytes at " + offset
                    + " failed, retrying in smaller reads: " + e.getMessage());
        }
        int first = bad.size();
        for (int p = 0; p < n; p += RETRY_PIECE) {
            int len = Math.min(RETRY_PIECE, n - p);
            if (tryRead(offset + p, buf, p, len)) continue;
            for (int s = p; s < p + len; s += sector) {
                int sl = Math.min(sector, p + len - s);
                if (tryRead(offset + s, buf, s, sl)) continue;
                zero(buf, s, sl);
                addBad(bad, first, offset + s, sl);
            }
        }
        buf.limit(n).position(n);
    }

    private boolean tryRead(long at, ByteBuffer buf, int pos, int len) throws InterruptedIOException {
        if (Thread.currentThread().isInterrupted()) throw new InterruptedIOException("acquisition interrupted");
        buf.limit(pos + len).position(pos);
        try {
            reader.read(at, buf);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void zero(ByteBuffer buf, int pos, int len) {
        for (int i = 0; i < len; i++) buf.put(pos + i, (byte) 0);
    }

    /**
     * Appends a bad range, merged with the last one when they touch and it belongs to this block
     * ({@code first} on): the earlier blocks' ranges were announced already and stay as they were.
     */
    private static void addBad(List<BadRange> bad, int first, long at, long len) {
        if (bad.size() > first) {
            BadRange last = bad.get(bad.size() - 1);
            if (last.end() == at) {
                bad.set(bad.size() - 1, new BadRange(last.offset(), last.length() + len));
                return;
            }
        }
        bad.add(new BadRange(at, len));
    }

    @Override
    public void close() { reader.close(); }
}
