package org.triage.model;

import java.util.List;

/**
 * What the scan's PDQ stage made of a picture: its perceptual hash and quality, or why it has none,
 * and the known pictures whose PDQ hashes lie near it.
 *
 * @param hash        the picture's PDQ hash, or null when it could not be decoded ({@code error} says why)
 * @param quality     0-100 ({@link #hash} not null), else -1; below {@link #RAISING_QUALITY} a picture is
 *                    too flat for its hash to mean much, and its near matches never raise priority alone
 * @param error       why the picture has no hash (truncated, corrupt, too large, not read again), or null
 * @param nearMatches known pictures within the scan's distance, nearest first; empty when none
 * @param reused      true when this result was taken from a copy of the same content (equal digest)
 *                    decoded earlier in this scan, rather than decoded from this file's own bytes
 */
public record PictureHash(PdqHash hash, int quality, String error, List<NearMatch> nearMatches, boolean reused) {
    /** Near matches of pictures under this quality are listed but never raise a device's priority alone. */
    public static final int RAISING_QUALITY = 50;

    public PictureHash {
        nearMatches = nearMatches == null ? List.of() : List.copyOf(nearMatches);
        if ((hash == null) == (error == null)) {
            throw new IllegalArgumentException("a picture has either a hash or an error, not " + hash + " and " + error);
        }
        if (hash != null && (quality < 0 || quality > 100)) {
            throw new IllegalArgumentException("quality " + quality + " is not in 0-100");
        }
    }

    /** A picture hashed, with its near matches. */
    public static PictureHash hashed(PdqHash hash, int quality, List<NearMatch> nearMatches) {
        return new PictureHash(hash, quality, null, nearMatches, false);
    }

    /** A picture that has no hash, and why. */
    public static PictureHash failed(String reason) {
        return new PictureHash(null, -1, reason, List.of(), false);
    }

    /** This result, for another file with the same content. */
    public PictureHash reusedCopy() {
        return reused ? this : new PictureHash(hash, quality, error, nearMatches, true);
    }

    /** Whether a near match lies in an alert set. */
    public boolean hasNearAlert() {
        for (NearMatch m : nearMatches) {
            if (m.match().kind() == SetKind.ALERT) return true;
        }
        return false;
    }

    /** Whether the picture is clear enough for its near matches to raise priority ({@link #RAISING_QUALITY}). */
    public boolean raisingQuality() {
        return hash != null && quality >= RAISING_QUALITY;
    }
}
