package org.triage.hash;

import com.sun.jna.Pointer;
import java.lang.ref.Cleaner;
import org.triage.model.Algorithm;

/** A {@link ChunkDigest} on an OpenSSL EVP context; the context is freed when this is collected. */
final class OpenSslDigest implements ChunkDigest {
    private static final Cleaner CLEANER = Cleaner.create();

    private final Algorithm algorithm;
    private final Pointer ctx;

    OpenSslDigest(Algorithm algorithm) {
        this.algorithm = algorithm;
        Pointer c = OpenSsl.EVP_MD_CTX_new();
        if (c == null) throw new OutOfMemoryError("OpenSSL could not allocate a digest context");
        this.ctx = c;
        CLEANER.register(this, () -> OpenSsl.EVP_MD_CTX_free(c));
        start();
    }

    private void start() {
        if (OpenSsl.EVP_DigestInit_ex2(ctx, OpenSsl.md(algorithm), null) != 1) {
            throw new IllegalStateException("OpenSSL could not start a " + algorithm.jcaName() + " digest");
        }
    }

    @Override
    public Algorithm algorithm() { return algorithm; }

    @Override
    public void update(Pointer data, int len) {
        if (len == 0) return;
        if (OpenSsl.EVP_DigestUpdate(ctx, data, len) != 1) {
            throw new IllegalStateException("OpenSSL " + algorithm.jcaName() + " update failed");
        }
    }

    @Override
    public byte[] finish() {
        byte[] out = new byte[algorithm.length()];
        if (OpenSsl.EVP_DigestFinal_ex(ctx, out, null) != 1) {
            throw new IllegalStateException("OpenSSL " + algorithm.jcaName() + " final failed");
        }
        start();
        return out;
    }

    @Override
    public void reset() {
        start();
    }
}
