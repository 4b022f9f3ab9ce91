package org.triage.pipeline;

/**
 * The PDQ stage's sizes and matching rule.
 *
 * @param threads      decoding and hashing threads
 * @param queueBytes   picture bytes held for the stage at once (copied out of the ring, waiting or being decoded)
 * @param maxPicture   a picture file larger than this is not decoded: its record gets {@code pdq_error}
 * @param maxDistance  near matches up to this Hamming distance (0-255)
 * @param dihedral     also match the picture's seven rotations and flips
 * @param maxDeferred  pictures remembered for a second read when the queue was full (about 300 bytes each)
 */
public record PdqSettings(int threads, long queueBytes, long maxPicture, int maxDistance, boolean dihedral,
                          int maxDeferred) {
    /** PDQ's authors' recommended distance for a match. */
    public static final int DEFAULT_DISTANCE = 31;

    public PdqSettings {
        if (threads < 1) throw new IllegalArgumentException("PDQ threads must be at least 1, was " + threads);
        if (queueBytes < 1) throw new IllegalArgumentException("PDQ queue bytes must be positive, was " + queueBytes);
        if (maxPicture < 1 || maxPicture > queueBytes) {
            throw new IllegalArgumentException("largest picture " + maxPicture + " must be in 1-" + queueBytes
                    + " (the queue must hold one)");
        }
        if (maxPicture > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("largest picture " + maxPicture + " is over 2 GiB");
        }
        if (maxDistance < 0 || maxDistance > 255) {
            throw new IllegalArgumentException("PDQ distance " + maxDistance + " is not in 0-255");
        }
        if (maxDeferred < 0) throw new IllegalArgumentException("deferred pictures must not be negative, was " + maxDeferred);
    }

    /**
     * One thread per core; picture bytes in the queue up to an eighth of the heap, between 16 and 128
     * MiB (the decoders need the rest: a 12-megapixel picture is a 36 MB raster per thread, and
     * {@code triage bench} peaked at 420 MB of a 512 MB heap with 128 MiB queued); pictures up to 64 MiB
     * (a 100-megapixel JPEG is about 30 MB) or the queue's size; a million pictures remembered for the
     * second read.
     */
    public static PdqSettings defaults(int maxDistance, boolean dihedral) {
        int cores = Math.max(1, Runtime.getRuntime().availableProcessors());
        long queue = Math.max(16L << 20, Math.min(128L << 20, Runtime.getRuntime().maxMemory() / 8));
        return new PdqSettings(cores, queue, Math.min(64L << 20, queue), maxDistance, dihedral, 1_000_000);
    }
}
