package org.triage.archive;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;

/** The archive's own bytes as its reader consumes them: the denominator of a member's expansion ratio. */
final class CountingInput {
    private long count;

    long count() { return count; }

    InputStream stream(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                int b = in.read();
                if (b >= 0) count++;
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = in.read(b, off, len);
                if (n > 0) count += n;
                return n;
            }

            @Override
            public long skip(long n) throws IOException {
                long k = in.skip(n);
                if (k > 0) count += k;
                return k;
            }

            @Override
            public void close() {
                // the caller owns the stream
            }
        };
    }

    SeekableByteChannel channel(SeekableByteChannel ch) {
        return new SeekableByteChannel() {
            @Override
            public int read(ByteBuffer dst) throws IOException {
                int n = ch.read(dst);
                if (n > 0) count += n;
                return n;
            }

            @Override
            public int write(ByteBuffer src) {
                throw new java.nio.channels.NonWritableChannelException();
            }

            @Override
            public long position() throws IOException { return ch.position(); }

            @Override
            public SeekableByteChannel position(long p) throws IOException {
                ch.position(p);
                return this;
            }

            @Override
            public long size() throws IOException { return ch.size(); }

            @Override
            public SeekableByteChannel truncate(long size) {
                throw new java.nio.channels.NonWritableChannelException();
            }

            @Override
            public boolean isOpen() { return ch.isOpen(); }

            @Override
            public void close() {
                // the caller owns the channel
            }
        };
    }
}
