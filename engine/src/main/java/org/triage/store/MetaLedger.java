package org.triage.store;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.FlushOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The writes that move a set id through its life in the meta column family ({@link MetaTable}),
 * each one synced WriteBatch: pending (an import took the id) → live (committed: the set record and
 * its name) → retired (replaced or removed) → gone (its digest records purged, the mark deleted).
 * Whether a digest record is visible is decided by these keys alone; {@link DigestIngester} writes
 * and purges the records themselves. Ids are never handed out twice.
 *
 * <p>Owned by the admin handle and used under the store's write lock; owns its WriteOptions.
 */
final class MetaLedger implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(MetaLedger.class.getName());

    private final OpenStore store;
    private final DigestIngester ingester;
    private final WriteOptions sync = new WriteOptions().setSync(true);

    MetaLedger(OpenStore store, DigestIngester ingester) {
        this.store = store;
        this.ingester = ingester;
    }

    /** Takes the next id and records it as pending, durably, before any of its records exist. */
    int reserve() throws RocksDBException {
        byte[] next = store.db.get(store.meta, MetaTable.NEXT_ID_KEY);
        int id = next == null ? 1 : MetaTable.id(next, 0);
        try (WriteBatch batch = new WriteBatch()) {
            batch.put(store.meta, MetaTable.NEXT_ID_KEY, MetaTable.idBytes(id + 1));
            batch.put(store.meta, MetaTable.pendingKey(id), new byte[0]);
            store.db.write(sync, batch);
        }
        return id;
    }

    /** Makes the set live in one synced batch; with {@code old}, retires it in the same batch. */
    void commit(SetRecord record, LiveSets.LiveSet old) throws RocksDBException {
        try (WriteBatch batch = new WriteBatch()) {
            batch.put(store.meta, MetaTable.setKey(record.id()), MetaTable.toJson(record));
            batch.put(store.meta, MetaTable.nameKey(record.name()), MetaTable.idBytes(record.id()));
            batch.delete(store.meta, MetaTable.pendingKey(record.id()));
            if (old != null) retire(batch, old.record.id());
            store.db.write(sync, batch);
        }
    }

    /** Makes a live set disappear in one synced batch: its record and name go, its id is retired. */
    void retire(LiveSets.LiveSet set) throws RocksDBException {
        try (WriteBatch batch = new WriteBatch()) {
            batch.delete(store.meta, MetaTable.nameKey(set.record.name()));
            retire(batch, set.record.id());
            store.db.write(sync, batch);
        }
    }

    private void retire(WriteBatch batch, int id) throws RocksDBException {
        batch.delete(store.meta, MetaTable.setKey(id));
        batch.put(store.meta, MetaTable.retiredKey(id), new byte[0]);
    }

    /**
     * Purges the records of a retired id, then its mark. A failure is only logged: the change is
     * committed, the records are invisible and still marked, and the next writable open purges them.
     */
    void purgeRetired(int id, String name) {
        try {
            ingester.purge(new int[] {id});
            deleteMarks(List.of(), List.of(id));
        } catch (RocksDBException e) {
            LOG.log(System.Logger.Level.WARNING, "hash store " + store.dir + ": deleting the records of the old set "
                    + name + " failed; they are invisible and will be deleted when the store is next opened"
                    + " for writing", e);
        }
    }

    /**
     * Best-effort removal of a failed import's records and pending mark; what remains is invisible
     * and purged on the next writable open. Its own failures are added to {@code failure}.
     *
     * @param ingested whether records of the id may be in the digest families
     */
    void discard(int id, boolean ingested, IOException failure) {
        try {
            if (ingested) ingester.purge(new int[] {id});
            deleteMarks(List.of(id), List.of());
        } catch (RocksDBException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    /**
     * Finishes what a dead process left, when the store is opened for writing: temporary import
     * directories, records of imports that never committed and of sets retired before their
     * records were gone.
     */
    void recover() throws StoreException, RocksDBException {
        try {
            ingester.removeStaleTemporaries();
        } catch (IOException e) {
            throw new StoreException("cannot remove temporary import files in " + store.dir + ": " + e, e);
        }
        MetaTable.Contents contents = store.readMeta();
        List<Integer> ids = new ArrayList<>(contents.pending());
        ids.addAll(contents.retired());
        if (ids.isEmpty()) return;
        LOG.log(System.Logger.Level.INFO, "hash store {0}: deleting keys of unfinished imports and replaced sets {1}",
                store.dir, ids);
        ingester.purge(ids.stream().mapToInt(Integer::intValue).toArray());
        deleteMarks(contents.pending(), contents.retired());
    }

    private void deleteMarks(List<Integer> pending, List<Integer> retired) throws RocksDBException {
        try (WriteBatch batch = new WriteBatch()) {
            for (int id : pending) batch.delete(store.meta, MetaTable.pendingKey(id));
            for (int id : retired) batch.delete(store.meta, MetaTable.retiredKey(id));
            store.db.write(sync, batch);
        }
    }

    /**
     * Moves the committed meta records from the WAL into an SST, so that readers opening later
     * need not replay the WAL. The commit is durable without it: a failure is only logged.
     */
    void flush() {
        try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
            store.db.flush(flush, store.meta);
        } catch (RocksDBException e) {
            LOG.log(System.Logger.Level.WARNING, "hash store " + store.dir + ": flushing the set table failed", e);
        }
    }

    @Override
    public void close() {
        sync.close();
    }
}
