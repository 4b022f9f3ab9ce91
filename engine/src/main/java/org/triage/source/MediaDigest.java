package org.triage.source;

import java.nio.ByteBuffer;
import org.triage.model.Algorithm;

/**
 * One running digest of a stream of bytes, as a source that hashes its own media (an image's
 * verification pass) needs it. The source asks its caller for these through a {@link Factory}
 * rather than importing {@code org.triage.hash}: sources and hashing are siblings, and the
 * implementation (libcrypto or the JVM) is the hash package's choice; the scan adapts one to the
 * other. Not thread-safe: one owner
 * at a time.
 */
public interface MediaDigest {

    /** Feeds the buffer's remaining bytes and consumes them (its position moves to its limit). */
    void update(ByteBuffer data);

    /** The digest of everything fed since the last finish; starts a new stream. */
    byte[] finish();

    /** Makes a fresh digest of one algorithm. */
    @FunctionalInterface
    interface Factory {
        MediaDigest create(Algorithm algorithm);
    }
}
