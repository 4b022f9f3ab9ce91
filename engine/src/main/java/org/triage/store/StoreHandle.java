package org.triage.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.triage.model.Algorithm;
import org.triage.model.HashSetInfo;
import org.triage.model.Match;
import org.triage.model.NearMatch;
import org.triage.model.PdqHash;

/**
 * What both handles on a store do, read-only ({@link RocksHashStore}) and admin
 * ({@link HashStoreAdmin}): lookups, the sets, export. Package-private so that the public types are
 * the two handles alone, each saying by its methods what it can do; the work is {@link OpenStore}'s.
 *
 * <p>Threading: {@link #lookup} from any number of threads; exports are serialised with the
 * admin's changes and with {@link #close()}, which waits for a running one.
 */
abstract class StoreHandle implements HashStore {
    final OpenStore store;

    StoreHandle(OpenStore store) {
        this.store = store;
    }

    /** The directory the store lives in. */
    public Path directory() { return store.dir; }

    @Override
    public Set<Algorithm> algorithms() {
        return store.live().algorithms();
    }

    @Override
    public List<HashSetInfo> sets() {
        return store.live().infos();
    }

    /**
     * {@inheritDoc}
     *
     * <p>Matches come in import order of their sets, one per set (a set stores a digest once).
     *
     * @throws IllegalArgumentException when the digest's length is not the algorithm's
     * @throws IllegalStateException    after {@link #close()}
     * @throws UncheckedIOException     when RocksDB fails to read (a damaged or vanished file)
     */
    @Override
    public List<Match> lookup(Algorithm algorithm, byte[] digest) {
        return store.lookup(algorithm, digest);
    }

    @Override
    public long pdqCount() {
        return store.live().pdqCount();
    }

    /**
     * {@inheritDoc}
     *
     * <p>Exact: the same hashes a comparison with every stored hash would give, for any distance
     * (see {@link PdqIndex}). The first call builds the index in memory (seconds and about 100 bytes
     * per stored hash for millions of them; {@code docs/store-layout.md}); a call after an import
     * through the admin handle builds it again.
     *
     * @throws IllegalArgumentException when {@code maxDistance} is not in 0-256, or the query is null
     * @throws IllegalStateException    after {@link #close()}, or when the index would not fit the
     *                                  heap (the message says how much it needs)
     * @throws UncheckedIOException     when RocksDB fails to read the hashes
     */
    @Override
    public List<NearMatch> nearMatches(PdqHash query, int maxDistance) {
        return store.nearMatches(query, maxDistance);
    }

    /**
     * Writes the live entries of one set (or of all sets, for null), one line each:
     * {@code set<TAB>kind<TAB>algorithm<TAB>hexdigest<TAB>category}, sorted by set name, then
     * algorithm (md5, sha1, sha256), then digest, so that two stores holding the same sets export
     * the same text. Each (set, algorithm) pair is a full scan of that algorithm's family, so an
     * export of every set costs O(sets x store).
     *
     * @throws StoreException when there is no set of that name, or RocksDB fails
     */
    public void export(String setName, Writer out) throws IOException {
        export(setName, ExportFormat.TSV, out);
    }

    /**
     * Writes one set (every set, for {@link ExportFormat#TSV} with a null name) in {@code format}.
     * VICS gives back the Media objects as imported (unknown fields such as PhotoDNA included) for
     * sets imported from VICS, else one Media object per digest. Returns what the format could not
     * hold and was left out (hashdeep: see {@link SetExporter#hashdeep}), one sentence each; else empty.
     *
     * @throws StoreException when there is no set of that name, or RocksDB fails
     */
    public List<String> export(String setName, ExportFormat format, Writer out) throws IOException {
        // Under the lock: an admin's import or removal changes the live sets and purges records, and
        // a close frees the native objects an export is reading.
        synchronized (store.writeLock) {
            return store.export(setName, format, out);
        }
    }

    /** Physical keys in one digest family, live or not; for tests. */
    long countKeys(Algorithm a) throws StoreException {
        return store.countKeys(a);
    }

    /** Closes every cursor, handle and option, and the database; waits for a running export, import or removal. */
    @Override
    public void close() {
        store.close();
    }
}
