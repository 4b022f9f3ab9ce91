package org.triage.archive;

/**
 * How far expansion goes before it refuses: the bounds that make a zip bomb a few records with
 * errors instead of a scan that never ends or a full disk (nothing is written anyway) or a full heap.
 *
 * @param depth       levels of archives expanded (1: those in the evidence, not those inside them)
 * @param ratio       a member may expand to at most this many times the archive bytes it was read
 *                    from; a larger ratio is refused ({@code refused: expansion ratio over N})
 * @param ratioAfter  bytes a member may expand to before its ratio is judged: small, highly
 *                    compressible members (a page of text, an empty bitmap) are never refused
 * @param totalFloor  an archive as a whole (every level inside it counted) may expand to
 *                    {@code ratio} times its own size, and never less than this
 */
public record ArchiveLimits(int depth, long ratio, long ratioAfter, long totalFloor) {
    /** Archives nested this deep are expanded by default (42.zip has six levels). */
    public static final int DEFAULT_DEPTH = 4;

    /**
     * 100:1 after 8 MiB, and 64 MiB or 100 times the archive, whichever is more, for the archive
     * as a whole. Deflate's own ceiling is about 1,030:1; a zip of JPEGs or videos (what a triage
     * is after) compresses to about 1:1, text to 3-10:1, so 100:1 refuses only what is mostly one
     * repeated byte, which is what a bomb is made of (42.zip's members: about 1,000:1).
     */
    public static ArchiveLimits defaults(int depth) {
        return new ArchiveLimits(depth, 100, 8L << 20, 64L << 20);
    }

    public ArchiveLimits {
        if (depth < 0) throw new IllegalArgumentException("archive depth must not be negative, was " + depth);
        if (ratio < 1) throw new IllegalArgumentException("expansion ratio must be at least 1, was " + ratio);
        if (ratioAfter < 0) throw new IllegalArgumentException("ratio grace must not be negative, was " + ratioAfter);
        if (totalFloor < 0) throw new IllegalArgumentException("total floor must not be negative, was " + totalFloor);
    }
}
