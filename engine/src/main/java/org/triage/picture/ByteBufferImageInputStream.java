package org.triage.picture;

import java.nio.ByteBuffer;
import javax.imageio.stream.ImageInputStreamImpl;

/**
 * An ImageIO input stream over a picture's bytes in memory, read in place. (ImageIO's own streams
 * over an {@code InputStream} copy everything into a cache, by default a temporary file.)
 */
final class ByteBufferImageInputStream extends ImageInputStreamImpl {
    private final ByteBuffer content;
    private final int start;

    /** Reads {@code content} from its position to its limit; the buffer's position is not moved. */
    ByteBufferImageInputStream(ByteBuffer content) {
        this.content = content.duplicate();
        this.start = content.position();
    }

    @Override
    public int read() {
        bitOffset = 0;
        if (streamPos >= length()) return -1;
        return content.get(start + (int) streamPos++) & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        bitOffset = 0;
        long left = length() - streamPos;
        if (len == 0) return 0;
        if (left <= 0) return -1;
        int n = (int) Math.min(len, left);
        content.get(start + (int) streamPos, b, off, n);
        streamPos += n;
        return n;
    }

    @Override
    public long length() {
        return content.limit() - start;
    }
}
