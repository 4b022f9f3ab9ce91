package org.triage.pdq;

import org.triage.model.PdqHash;

/**
 * A picture's PDQ hash and its quality.
 *
 * @param hash    the 256-bit hash
 * @param quality 0-100, the reference's gradient measure: below 50 the picture is too flat for its
 *                hash to mean much (a blank or nearly uniform image hashes to noise)
 */
public record PdqResult(PdqHash hash, int quality) {
    public PdqResult {
        if (hash == null) throw new IllegalArgumentException("hash is null");
        if (quality < 0 || quality > 100) throw new IllegalArgumentException("quality " + quality + " is not in 0-100");
    }
}
