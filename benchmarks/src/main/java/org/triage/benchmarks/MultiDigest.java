package org.triage.benchmarks;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.Set;
import org.triage.model.Algorithm;
import org.triage.model.Digests;

/**
 * The JVM's digests, several over one pass of the same bytes on one thread: each {@link #update}
 * feeds the same buffer region to every selected algorithm. Only the benchmarks use it, to compare
 * one thread doing all three against the scan's split over cores ({@code ChunkDigest} per hasher).
 * Not thread-safe: one owner.
 */
final class MultiDigest {
    private final MessageDigest[] digests = new MessageDigest[Algorithm.values().length];

    MultiDigest(Set<Algorithm> algorithms) {
        if (algorithms.isEmpty()) throw new IllegalArgumentException("at least one algorithm is needed");
        for (Algorithm a : EnumSet.copyOf(algorithms)) {
            try {
                digests[a.ordinal()] = MessageDigest.getInstance(a.jcaName());
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("this JVM lacks " + a.jcaName(), e);
            }
        }
    }

    void update(byte[] buf, int off, int len) {
        for (MessageDigest d : digests) {
            if (d != null) d.update(buf, off, len);
        }
    }

    /** The digests of everything fed since the last finish; resets for the next stream. */
    Digests finish() {
        byte[][] out = new byte[digests.length][];
        for (int i = 0; i < digests.length; i++) {
            if (digests[i] != null) out[i] = digests[i].digest();
        }
        return Digests.of(out);
    }
}
