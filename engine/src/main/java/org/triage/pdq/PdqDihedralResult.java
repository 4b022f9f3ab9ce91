package org.triage.pdq;

import org.triage.model.PdqHash;
import java.util.List;

/**
 * The hashes of a picture's eight rotations and flips, all from one DCT, and the picture's quality
 * (the same for all eight).
 *
 * @param hashes  indexed by {@link Dihedral#ordinal()}; exactly eight
 * @param quality 0-100, as in {@link PdqResult}
 */
public record PdqDihedralResult(List<PdqHash> hashes, int quality) {
    public PdqDihedralResult {
        hashes = List.copyOf(hashes);
        if (hashes.size() != Dihedral.values().length) {
            throw new IllegalArgumentException(Dihedral.values().length + " hashes expected, got " + hashes.size());
        }
        if (quality < 0 || quality > 100) throw new IllegalArgumentException("quality " + quality + " is not in 0-100");
    }

    public PdqHash hash(Dihedral d) {
        return hashes.get(d.ordinal());
    }
}
