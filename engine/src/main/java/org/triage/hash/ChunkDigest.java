package org.triage.hash;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import org.triage.model.Algorithm;

/**
 * One digest of one stream, fed from native memory (where the scan reads evidence into), so that
 * no byte is copied between the read and the hash. Reusable: {@link #finish} and {@link #reset}
 * start a new stream. Not thread-safe: one owner at a time.
 */
public interface ChunkDigest {

    Algorithm algorithm();

    /** Feeds {@code len} bytes at {@code data}. */
    void update(Pointer data, int len);

    /**
     * A direct buffer is hashed where it lies, like {@link #update(Pointer, int)}; a heap buffer
     * goes through a native copy. Consumes the buffer's remaining bytes (its position moves to its limit).
     */
    default void update(ByteBuffer data) {
        int len = data.remaining();
        if (len == 0) return;
        if (data.isDirect()) {
            update(Native.getDirectBufferPointer(data).share(data.position()), len);
        } else {
            try (Memory copy = new Memory(len)) {
                copy.write(0, data.array(), data.arrayOffset() + data.position(), len);
                update(copy, len);
            }
        }
        data.position(data.limit());
    }

    /** The digest of everything fed since the last finish or reset; starts a new stream. */
    byte[] finish();

    /** Drops what was fed; starts a new stream. */
    void reset();

    /**
     * A digest computed by OpenSSL's libcrypto when it is installed (the same code
     * {@code openssl speed} measures, at full speed from the first byte), otherwise by the JVM.
     */
    static ChunkDigest of(Algorithm algorithm) {
        return OpenSsl.available() ? new OpenSslDigest(algorithm) : new JcaDigest(algorithm);
    }

    /** What {@link #of} computes with: OpenSSL's version string, or "jvm". */
    static String implementation() {
        return OpenSsl.available() ? OpenSsl.version() : "jvm";
    }
}
