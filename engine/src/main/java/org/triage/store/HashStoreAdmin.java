package org.triage.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.rocksdb.RocksDBException;
import org.rocksdb.TableProperties;
import org.triage.model.Algorithm;
import org.triage.model.SetKind;

/**
 * A hash store opened for writing ({@link RocksHashStore#openWritable}): what an administrator of
 * the store does, and a scan never may. It imports sets (from a file, standard input or a plain
 * list), replaces and removes them, and, as it opens, recovers what a process that died while
 * changing the store left (temporary files, records of imports that never committed, records of
 * replaced sets not yet purged). It reads too (lookups, sets, export), as one store can be open for
 * writing only once at a time. Named an admin handle rather than a "writable store" because it does
 * more than write: it decides what is live, and cleans up after others.
 *
 * <p>Each import is an {@link ImportJob}: all or nothing, whatever fails or dies when; the store's
 * layout and settings are in {@link RocksHashStore}'s class comment.
 *
 * <p>Threading: {@link #lookup} from any number of threads; imports, removals and exports are
 * serialised; {@link #close()} waits for a running one. Only one process may have a store open
 * for writing (RocksDB's lock); read-only handles may be open meanwhile, in this process or others.
 * Owns its native objects and frees them in {@link #close()}.
 *
 * <p>Failures throw {@link StoreException} (a bad hash-list entry: {@link ImportException}); a
 * lookup that RocksDB cannot complete throws an {@link UncheckedIOException} wrapping one.
 */
public final class HashStoreAdmin extends StoreHandle {
    /** The source name recorded for a set read from standard input. */
    public static final String STDIN = "(standard input)";

    private final DigestIngester ingester;
    private final MetaLedger ledger;
    private final ImportObserver observer;

    private HashStoreAdmin(OpenStore store, ImportObserver observer) {
        super(store);
        this.ingester = new DigestIngester(store);
        this.ledger = new MetaLedger(store, ingester);
        this.observer = observer;
    }

    /** Opens the store for writing and recovers what a dead process left; see {@link RocksHashStore#openWritable}. */
    static HashStoreAdmin open(Path dir, ImportObserver observer) throws StoreException {
        OpenStore store = OpenStore.writable(dir);
        HashStoreAdmin admin = new HashStoreAdmin(store, observer);
        try {
            admin.ledger.recover();
            store.reload();
            return admin;
        } catch (RocksDBException e) {
            admin.close();
            throw OpenStore.openFailure(dir, true, e);
        } catch (StoreException | RuntimeException | Error e) {
            admin.close();
            throw e;
        }
    }

    /**
     * True when this open made a new, empty store here (the directory was missing or empty): a
     * mistyped path makes one too, so a command should say so.
     */
    public boolean created() { return store.created(); }

    /** Imports a plain hash list ({@link HashListImporter}); see {@link #importSet}. */
    public ImportSummary importHashList(Path file, String name, SetKind kind, String category, boolean replace)
            throws IOException {
        return importSet(new ImportRequest(file, name, kind, ImportFormat.PLAIN, category, replace, null));
    }

    /**
     * Imports a hash-set file as one set, all or nothing ({@link ImportJob}): the set appears to
     * lookups all at once, or not at all. Re-importing the file a set of that name was made from
     * (same SHA-256, kind and format) changes nothing. Heap: a few MiB of buffers plus one sorted
     * bucket per writer thread, whatever the file's size.
     *
     * @throws ImportException on a bad entry (file:line or JSON path in the message); the store is unchanged
     * @throws StoreException  when the name exists and {@code replace} is false, or RocksDB fails
     * @throws IllegalArgumentException when the name is blank, too long or holds a control character
     */
    public ImportSummary importSet(ImportRequest request) throws IOException {
        return run(new ImportJob(store, ingester, ledger, observer, request, null, null));
    }

    /**
     * Imports what {@code in} gives (standard input) as {@link #importSet} imports a file: the bytes
     * are first copied to a temporary file inside the store (so the import stays all or nothing, and
     * a file read twice, to parse and to hash, is still one input), then imported from there. The
     * set's source is {@value #STDIN}, with the size and SHA-256 of the bytes read; errors name
     * {@code request.file()} (say "-") and the line.
     *
     * @throws StoreException when standard input cannot be read or copied; else as {@link #importSet}
     */
    public ImportSummary importStream(ImportRequest request, InputStream in) throws IOException {
        Path spool = store.dir.resolve(DigestIngester.TEMP_PREFIX + "stdin-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        try {
            Files.createDirectory(spool);
            Path copy = spool.resolve("stdin");
            SourceFingerprint read;
            try (OutputStream out = Files.newOutputStream(copy)) {
                read = SourceFingerprint.copy(in, out);
            } catch (IOException e) {
                throw new StoreException("cannot read the hash list from standard input into " + spool + ": " + e.getMessage(), e);
            }
            return run(new ImportJob(store, ingester, ledger, observer, request.withFile(copy), STDIN, read));
        } catch (ImportException e) {
            throw e.shownAs(request.file());
        } finally {
            DigestIngester.deleteTree(spool);
        }
    }

    private ImportSummary run(ImportJob job) throws IOException {
        synchronized (store.writeLock) {
            return job.run();
        }
    }

    /**
     * Removes a set: one synced WriteBatch makes it disappear (its id retired), then its records are
     * purged from the digest families (O(store)); a crash in between leaves them invisible, purged on
     * the next writable open.
     *
     * @throws StoreException when there is no set of that name, or RocksDB fails
     */
    public void remove(String name) throws IOException {
        synchronized (store.writeLock) {
            store.ensureOpen();
            LiveSets.LiveSet old = store.named(store.live(), name);
            try {
                ledger.retire(old);
            } catch (RocksDBException e) {
                throw new StoreException("removing set '" + name + "' from hash store " + store.dir + " failed: "
                        + e.getMessage(), e);
            }
            ledger.flush();
            store.reload();
            ledger.purgeRetired(old.record.id(), name);
        }
    }

    /** Properties of the tables of one digest family; for tests that check the filter settings. */
    Map<String, TableProperties> tableProperties(Algorithm a) throws RocksDBException {
        return store.tableProperties(a);
    }

    /** Physical keys in the PDQ family, live or not; for tests. */
    long pdqKeys() throws StoreException {
        return store.countKeys(store.pdq);
    }

    /** Waits for a running import or removal, then closes the database and every native object. */
    @Override
    public void close() {
        synchronized (store.writeLock) {
            store.close();
            ledger.close();
        }
    }
}
