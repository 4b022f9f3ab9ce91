package org.triage.hash;

import com.sun.jna.Pointer;
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
