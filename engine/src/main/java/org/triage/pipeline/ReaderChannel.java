package org.triage.pipeline;

import com.sun.jna.Native;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import org.triage.source.ContentReader;

/**
 * A read-only {@link SeekableByteChannel} over a source's {@link ContentReader}, for archives that
 * need random access (ZIP's central directory, 7z's header, both at the end): positional reads
 * through the reader that has just hashed the archive, so the evidence is opened once, read-only,
 * and never copied to a temp file. The size is the bytes the reader yielded, not the metadata's.
 * Seeks lazily (only when a read follows). A read into a direct buffer goes straight there (the
 * reader's native read: a ZIP member's stored bytes land in the scan's pooled buffer, its
 * compressed bytes in zlib's input, with no Java array between); a read into a heap buffer goes
 * through a scratch array. Owned by the reader thread; closing it leaves the reader open.
 */
final class ReaderChannel implements SeekableByteChannel {
    private final ContentReader in;
    private final long size;
    private long position;
    private long readerAt = -1;
    private byte[] scratch = new byte[64 << 10];
    private boolean open = true;

    ReaderChannel(ContentReader in, long size) {
        this.in = in;
        this.size = size;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (!open) throw new java.nio.channels.ClosedChannelException();
        if (position >= size) return -1;
        if (readerAt != position) {
            in.seek(position);
            readerAt = position;
        }
        int n;
        if (dst.isDirect()) {
            int want = (int) Math.min(dst.remaining(), size - position);
            if (want == 0) return 0;
            n = in.read(Native.getDirectBufferPointer(dst).share(dst.position()), want);
            if (n > 0) dst.position(dst.position() + n);
        } else {
            int want = (int) Math.min(Math.min(dst.remaining(), scratch.length), size - position);
            if (want == 0) return 0;
            n = in.read(scratch, 0, want);
            if (n > 0) dst.put(scratch, 0, n);
        }
        if (n < 0) {
            throw new IOException("the content ended at " + position + " of " + size + " bytes when read again");
        }
        position += n;
        readerAt += n;
        return n;
    }

    @Override
    public int write(ByteBuffer src) {
        throw new NonWritableChannelException();
    }

    @Override
    public long position() { return position; }

    @Override
    public SeekableByteChannel position(long newPosition) throws IOException {
        if (newPosition < 0) throw new IllegalArgumentException("position must not be negative, was " + newPosition);
        position = newPosition;
        return this;
    }

    @Override
    public long size() { return size; }

    @Override
    public SeekableByteChannel truncate(long s) {
        throw new NonWritableChannelException();
    }

    @Override
    public boolean isOpen() { return open; }

    @Override
    public void close() {
        open = false;
        scratch = null;
    }
}
