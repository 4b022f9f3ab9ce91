package org.triage.rematch;

import java.util.List;
import org.triage.model.NearMatch;
import org.triage.model.PictureHash;
import org.triage.store.HashStore;

/**
 * A listed picture's PDQ result made current: its hash as the listing recorded it, its near matches
 * asked of this store at this distance (as the scan's PDQ stage asks, for one query: the rotations
 * and flips of {@code --pdq-dihedral} are not in a listing). Used by the re-match and by a resumed
 * scan, each of which also looks the digests up anew rather than trusting the old store's answers.
 * The result is marked {@link PictureHash#reused() reused}: nothing was decoded for it in this run.
 * Stateless; safe from any thread (the store's near-match query is).
 */
public final class NearMatchLookup {
    private NearMatchLookup() {
    }

    /**
     * @param listed      the listing's PDQ result (a hash with its quality, or why there is none), or null
     * @param maxDistance near matches up to this many bits; negative: ask nothing (the store holds no PDQ hash)
     * @return null for null; a failed result as it was; a hash with this store's near matches
     */
    public static PictureHash current(PictureHash listed, HashStore store, int maxDistance) {
        if (listed == null) return null;
        if (listed.hash() == null || maxDistance < 0) return listed.reusedCopy();
        List<NearMatch> near = store.nearMatches(listed.hash(), maxDistance);
        return new PictureHash(listed.hash(), listed.quality(), null, near, true);
    }
}
