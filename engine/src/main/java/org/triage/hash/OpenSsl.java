package org.triage.hash;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import org.triage.model.Algorithm;
import org.triage.natives.JnaSetup;

/**
 * The few libcrypto calls (OpenSSL 3, Debian package {@code libssl3}, soname
 * {@code libcrypto.so.3}) the digests need, bound with JNA direct mapping. The message digest
 * objects are fetched once and shared (OpenSSL allows that); each stream has its own context.
 *
 * <p>Why native: the JVM reaches the same speed only after its optimising compiler has compiled
 * the digest code with the CPU's MD5/SHA instructions, which costs a warm-up and compiler time on
 * every start, and it hashes Java arrays, so every chunk read into native memory would be copied
 * once more. If the library is missing (or {@code -Dtriage.digests=jvm}), the JVM's digests are
 * used instead; the results are the same bytes either way.
 */
final class OpenSsl {
    private static final System.Logger LOG = System.getLogger(OpenSsl.class.getName());
    private static final Pointer[] MDS = new Pointer[Algorithm.values().length];
    private static final boolean AVAILABLE;
    private static final String VERSION;

    static {
        boolean ok = false;
        String version = null;
        if ("jvm".equals(System.getProperty("triage.digests"))) {
            LOG.log(System.Logger.Level.INFO, "-Dtriage.digests=jvm: the JVM's digests are used");
        } else {
            try {
                JnaSetup.init();
                Native.register(OpenSsl.class, NativeLibrary.getInstance(System.getProperty("triage.libcrypto", "libcrypto.so.3")));
                ok = true;
                for (Algorithm a : Algorithm.values()) {
                    MDS[a.ordinal()] = EVP_MD_fetch(null, a.jcaName(), null);
                    if (MDS[a.ordinal()] == null) {
                        LOG.log(System.Logger.Level.INFO, "libcrypto.so.3 offers no " + a.jcaName()
                                + " (its configuration refuses it?): the JVM's digests are used");
                        ok = false;
                    }
                }
                version = OpenSSL_version(0);
            } catch (UnsatisfiedLinkError | RuntimeException e) {
                LOG.log(System.Logger.Level.INFO, "libcrypto.so.3 not usable, the JVM's digests are used: " + e);
                ok = false;
            }
        }
        AVAILABLE = ok;
        VERSION = version;
    }

    private OpenSsl() {
    }

    static boolean available() { return AVAILABLE; }

    static String version() { return VERSION; }

    static Pointer md(Algorithm a) { return MDS[a.ordinal()]; }

    static native Pointer EVP_MD_fetch(Pointer libctx, String algorithm, Pointer properties);

    static native Pointer EVP_MD_CTX_new();

    static native void EVP_MD_CTX_free(Pointer ctx);

    static native int EVP_DigestInit_ex2(Pointer ctx, Pointer type, Pointer params);

    static native int EVP_DigestUpdate(Pointer ctx, Pointer data, long count);

    static native int EVP_DigestFinal_ex(Pointer ctx, byte[] md, Pointer size);

    static native String OpenSSL_version(int type);
}
