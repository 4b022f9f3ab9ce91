package org.triage.source;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.triage.model.Algorithm;

/** The JVM's own digests for a source's --verify pass in tests: independent of the hash package. */
final class JvmMediaDigest implements MediaDigest {
    private final MessageDigest md;

    private JvmMediaDigest(MessageDigest md) {
        this.md = md;
    }

    static MediaDigest of(Algorithm algorithm) {
        try {
            return new JvmMediaDigest(MessageDigest.getInstance(algorithm.jcaName()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void update(ByteBuffer data) {
        md.update(data);
    }

    @Override
    public byte[] finish() {
        return md.digest();
    }
}
