package org.triage.archive;

import java.nio.ByteBuffer;
import java.util.zip.CRC32;
import java.util.zip.Inflater;

/**
 * What reading ZIP members from the evidence needs, made once per reader thread and reused for
 * every member of every archive it expands ({@link ZipMemberStream}): one raw-deflate
 * {@link Inflater} (zlib's state and its 32 KiB window, reset between members), one direct input
 * buffer of {@value #INPUT} bytes that compressed bytes are read into (the kernel writes there, zlib
 * reads there: no Java array between), and one CRC-32.
 *
 * <p>Measured on the bench's archive slice (20,000 members of 4-64 KiB, 700 MB), before it existed:
 * Commons Compress makes a new {@code Inflater} and an 8 KiB {@code BufferedInputStream} for every
 * member and inflates through a 512-byte input buffer, and the member's bytes were copied four times
 * on the way (native read buffer, channel scratch, the stream's array, the pooled buffer): the reader
 * thread spent 2.3 CPU seconds against 0.75 for the same files unpacked; 1.15 with this.
 *
 * <p>Memory: {@value #INPUT} bytes of native input plus zlib's state (about 40 KiB), whatever the
 * archive. Owned by one thread, used by one member at a time (nested archives are read as streams
 * and never use it); close it when the thread is done (zlib's memory is released then, not by GC).
 */
public final class ZipInflation implements AutoCloseable {
    /** Compressed bytes read at a time: a member of the small-files slice in one read. */
    static final int INPUT = 64 << 10;

    final Inflater inflater = new Inflater(true);
    final ByteBuffer input = ByteBuffer.allocateDirect(INPUT);
    final CRC32 crc = new CRC32();
    private boolean closed;

    /** Readies the parts for a new member. */
    void reset() {
        if (closed) throw new IllegalStateException("ZIP inflation state closed");
        inflater.reset();
        input.clear().limit(0);
        crc.reset();
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        inflater.end();
    }
}
