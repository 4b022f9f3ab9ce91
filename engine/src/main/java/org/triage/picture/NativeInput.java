package org.triage.picture;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;

/**
 * A picture's bytes where a native decoder can read them: a direct buffer in place, a heap buffer
 * copied into native memory this object keeps for the next picture (so a thread copies into one
 * block, grown when a picture is larger, not a new one per picture).
 *
 * <p>One owner, one thread; the pointer is valid until the next {@link #of} or {@link #close}.
 */
final class NativeInput implements AutoCloseable {
    /** Kept between pictures up to this size; a larger block is freed once its picture is done. */
    private static final long RETAINED = 16L << 20;
    private Memory copy;

    Pointer of(ByteBuffer content) {
        if (content.isDirect()) return Native.getDirectBufferPointer(content).share(content.position());
        int n = content.remaining();
        if (copy == null || copy.size() < n) {
            close();
            copy = new Memory(Math.max(n, 1 << 16));
        }
        if (content.hasArray()) {
            copy.write(0, content.array(), content.arrayOffset() + content.position(), n);
        } else {
            byte[] bytes = new byte[n];
            content.duplicate().get(bytes);
            copy.write(0, bytes, 0, n);
        }
        return copy;
    }

    /** Frees an unusually large copy once its picture is decoded. */
    void trim() {
        if (copy != null && copy.size() > RETAINED) close();
    }

    @Override
    public void close() {
        if (copy != null) copy.close();
        copy = null;
    }
}
