package org.triage.archive;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import java.util.zip.ZipException;

/**
 * One stored or deflated ZIP member, read from the archive's channel at the data offset and sizes
 * its central directory gives (Commons Compress's {@code ZipFile} parses the directory; this reads
 * the data): straight into the caller's buffer when it is direct ({@link DirectContent}: stored
 * bytes go from the kernel into the scan's pooled buffer, deflated ones from the kernel into the
 * shared input buffer and from zlib into the pooled buffer), or into an array as an
 * {@link InputStream} (a nested archive's lister reads it so).
 *
 * <p>The CRC-32 the directory records is checked when the member ends, as
 * {@link CrcCheckedStream} does for the other ZIP members. A member whose data runs past the end
 * of the archive fails as truncated, never ends short. Other methods (deflate64, bzip2...) go
 * through Commons Compress's own streams.
 *
 * <p>Uses the thread's {@link ZipInflation}; one member at a time. Owned by the lister's thread.
 */
final class ZipMemberStream extends InputStream implements DirectContent {
    private final SeekableByteChannel channel;
    private final ZipInflation work;
    private final boolean deflated;
    private final long expectedCrc;
    private long position;
    private long remaining;
    /** Raw deflate may need one byte past its data to see its end (zlib's old contract): given once. */
    private boolean padded;
    private boolean ended;

    /**
     * @param offset     where the member's data starts in the archive
     * @param compressed its compressed size (its size, when stored)
     * @param crc        the CRC-32 the central directory records, or -1 when it records none
     */
    ZipMemberStream(SeekableByteChannel channel, ZipInflation work, boolean deflated, long offset, long compressed, long crc) {
        this.channel = channel;
        this.work = work;
        this.deflated = deflated;
        this.position = offset;
        this.remaining = compressed;
        this.expectedCrc = crc;
        work.reset();
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (ended) return -1;
        int start = dst.position();
        int n = deflated ? inflate(dst) : stored(dst);
        if (n < 0) {
            ended = true;
            CrcCheckedStream.check(expectedCrc, work.crc.getValue());
            return -1;
        }
        if (n > 0) {
            int limit = dst.limit();
            dst.position(start).limit(start + n);
            work.crc.update(dst); // leaves the position at start + n
            dst.limit(limit);
        }
        return n;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) return 0;
        return read(ByteBuffer.wrap(b, off, len));
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    private int stored(ByteBuffer dst) throws IOException {
        if (remaining == 0) return -1;
        int want = (int) Math.min(dst.remaining(), remaining);
        if (want == 0) return 0;
        int limit = dst.limit();
        dst.limit(dst.position() + want);
        int n;
        try {
            channel.position(position);
            n = channel.read(dst);
        } finally {
            dst.limit(limit);
        }
        if (n < 0) throw truncated();
        position += n;
        remaining -= n;
        return n;
    }

    private int inflate(ByteBuffer dst) throws IOException {
        Inflater inflater = work.inflater;
        while (true) {
            if (inflater.finished()) return -1;
            if (!dst.hasRemaining()) return 0;
            if (inflater.needsInput()) fill(inflater);
            int n;
            try {
                n = inflater.inflate(dst);
            } catch (DataFormatException e) {
                // The same words as the JDK's InflaterInputStream, which read these members before.
                throw new ZipException(e.getMessage() != null ? e.getMessage() : "Invalid ZLIB data format");
            }
            if (n > 0) return n;
            if (inflater.needsDictionary()) throw new ZipException("deflated data asks for a preset dictionary, which ZIP has not");
        }
    }

    /** Reads the next compressed bytes into the shared input buffer and hands them to zlib. */
    private void fill(Inflater inflater) throws IOException {
        ByteBuffer in = work.input;
        in.clear();
        if (remaining == 0) {
            if (padded) throw new EOFException("Unexpected end of ZLIB input stream");
            padded = true;
            in.put((byte) 0).flip();
            inflater.setInput(in);
            return;
        }
        in.limit((int) Math.min(in.capacity(), remaining));
        channel.position(position);
        int n = channel.read(in);
        if (n < 0) throw truncated();
        position += n;
        remaining -= n;
        in.flip();
        inflater.setInput(in);
    }

    private EOFException truncated() {
        return new EOFException("the archive ends " + remaining + " bytes before the member's data does");
    }

    @Override
    public void close() {
        // the archive's channel stays open for the next member; the inflater is the thread's
    }
}
