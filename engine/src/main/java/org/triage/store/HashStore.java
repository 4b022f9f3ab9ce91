package org.triage.store;

import java.util.List;
import java.util.Set;
import org.triage.model.Algorithm;
import org.triage.model.HashSetInfo;
import org.triage.model.Match;
import org.triage.model.NearMatch;
import org.triage.model.PdqHash;

/**
 * Known-hash sets, looked up by binary digest.
 *
 * <p>Threading: {@link #lookup} is safe from any number of threads. Close the store after the
 * last lookup has returned.
 */
public interface HashStore extends AutoCloseable {

    /** The digest algorithms the store holds at least one entry for. */
    Set<Algorithm> algorithms();

    /** The sets in the store, by name. */
    List<HashSetInfo> sets();

    /**
     * Every live set holding this digest, one match per set (a set stores a digest once, with one
     * category); an empty list when none.
     *
     * @param digest binary digest of {@code algorithm}'s length
     */
    List<Match> lookup(Algorithm algorithm, byte[] digest);

    /** How many PDQ hashes the live sets hold; 0 when the store holds none (a scan then skips PDQ by default). */
    default long pdqCount() {
        return 0;
    }

    /**
     * Every live set's PDQ hashes within {@code maxDistance} bits of {@code query}, nearest first; an
     * empty list when none. Safe from any number of threads, like {@link #lookup}.
     *
     * @param maxDistance 0 to 255; the scan's default is 31, the distance PDQ's authors recommend
     */
    default List<NearMatch> nearMatches(PdqHash query, int maxDistance) {
        return List.of();
    }

    @Override
    void close();
}
