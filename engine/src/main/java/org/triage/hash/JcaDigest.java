package org.triage.hash;

import com.sun.jna.Pointer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.triage.model.Algorithm;

/**
 * A {@link ChunkDigest} on the JVM's {@link MessageDigest}, for machines without libcrypto: native
 * bytes are copied into a per-thread array in pieces, then hashed.
 */
final class JcaDigest implements ChunkDigest {
    private static final int PIECE = 64 << 10;
    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[PIECE]);

    private final Algorithm algorithm;
    private final MessageDigest md;

    JcaDigest(Algorithm algorithm) {
        this.algorithm = algorithm;
        try {
            this.md = MessageDigest.getInstance(algorithm.jcaName());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM lacks " + algorithm.jcaName(), e);
        }
    }

    @Override
    public Algorithm algorithm() { return algorithm; }

    @Override
    public void update(Pointer data, int len) {
        byte[] scratch = SCRATCH.get();
        for (int off = 0; off < len; ) {
            int n = Math.min(scratch.length, len - off);
            data.read(off, scratch, 0, n);
            md.update(scratch, 0, n);
            off += n;
        }
    }

    @Override
    public byte[] finish() { return md.digest(); }

    @Override
    public void reset() { md.reset(); }
}
