package org.triage.store;

import java.util.List;
import java.util.Set;
import org.triage.model.Algorithm;
import org.triage.model.HashSetInfo;
import org.triage.model.Match;

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

    @Override
    void close();
}
