package org.triage.hash;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import org.triage.model.Algorithm;

/**
 * Gets the JIT to compile the digest code with its CPU intrinsics before the scan needs it.
 *
 * <p>HotSpot uses the MD5/SHA instructions only once C2 has compiled the digest's update path,
 * and it counts calls: with 512 KiB chunks, one call per chunk, that took a few hundred
 * megabytes of hashing in slow code (C1, no intrinsics), a large share of a short scan.
 * Twenty thousand updates of two blocks cost a few milliseconds on a spare thread while the JVM
 * is still starting the scan, and bring the fast code in from the first file.
 */
public final class DigestWarmup {
    private static final int CALLS = 20_000;

    private DigestWarmup() {
    }

    /**
     * Starts on a daemon thread and returns at once. The thread first loads libcrypto (so that
     * the scan does not wait for it); only when the JVM's digests are the ones in use does it warm them.
     */
    public static void start(Collection<Algorithm> algorithms) {
        Thread t = new Thread(() -> {
            if (ChunkDigest.implementation().equals("jvm")) warm(algorithms);
        }, "triage-warmup");
        t.setDaemon(true);
        t.start();
    }

    static void warm(Collection<Algorithm> algorithms) {
        byte[] block = new byte[128];
        for (Algorithm a : algorithms) {
            try {
                MessageDigest md = MessageDigest.getInstance(a.jcaName());
                for (int i = 0; i < CALLS; i++) md.update(block, 0, block.length);
                md.digest();
            } catch (NoSuchAlgorithmException e) {
                // the scan reports the missing algorithm itself
            }
        }
    }
}
