package org.triage.model;

/**
 * A known picture whose PDQ hash lies within the asked Hamming distance of a picture's: a likely
 * re-encoded, resized or re-saved copy of it, found without the bytes being equal.
 *
 * @param match    the set the known hash is in, its kind and category
 * @param known    the known picture's PDQ hash as the set gave it
 * @param distance bits that differ between the two hashes, 0 to 256
 * @param quality  the known hash's quality as the set gave it (0-100), or -1 when the set gave none
 */
public record NearMatch(Match match, PdqHash known, int distance, int quality) {
    public NearMatch {
        if (match == null) throw new IllegalArgumentException("near match without a set");
        if (known == null) throw new IllegalArgumentException("near match without a known hash");
        if (distance < 0 || distance > PdqHash.BITS) {
            throw new IllegalArgumentException("distance " + distance + " is not in 0-" + PdqHash.BITS);
        }
        if (quality < -1 || quality > 100) throw new IllegalArgumentException("quality " + quality + " is not in 0-100 or -1");
    }
}
