package org.triage.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.EnvOptions;
import org.rocksdb.IngestExternalFileOptions;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.SstFileWriter;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.triage.model.Algorithm;

/**
 * Writes and removes the digest keys of one set id: bulk load by SstFileWriter and
 * ingestExternalFile, removal by a scan with WriteBatch deletes. Neither touches the meta column
 * family; whether the keys are visible is decided there alone.
 *
 * <p>Used under the store's write lock.
 */
final class DigestIngester {
    /** Temporary directories inside the store are named this plus the set id. */
    static final String TEMP_PREFIX = "import-";
    private static final int DELETE_CHUNK = 10_000;

    private final Path dir;
    private final RocksDB db;
    private final StoreOptions options;
    private final ColumnFamilyHandle[] families;

    DigestIngester(Path dir, RocksDB db, StoreOptions options, ColumnFamilyHandle[] families) {
        this.dir = dir;
        this.db = db;
        this.options = options;
        this.families = families;
    }

    /**
     * Writes one SST file per algorithm into a temporary directory inside the store (same file
     * system, so ingestion links instead of copying) and ingests it into the algorithm's family.
     *
     * @param orders     per algorithm, indices into its table of the distinct digests, sorted
     * @param categories category UTF-8 bytes by category id (empty for none)
     */
    void ingest(int setId, Map<Algorithm, DigestTable> tables, Map<Algorithm, int[]> orders, byte[][] categories)
            throws IOException, RocksDBException {
        Path tmp = dir.resolve(TEMP_PREFIX + setId);
        deleteTree(tmp);
        Files.createDirectory(tmp);
        try {
            for (Map.Entry<Algorithm, int[]> e : orders.entrySet()) {
                if (e.getValue().length == 0) continue;
                Algorithm a = e.getKey();
                Path sst = tmp.resolve(a.id() + ".sst");
                write(sst, a, tables.get(a), e.getValue(), setId, categories);
                try (IngestExternalFileOptions ingest = new IngestExternalFileOptions().setMoveFiles(true)) {
                    db.ingestExternalFile(families[a.ordinal()], List.of(sst.toString()), ingest);
                }
            }
        } finally {
            deleteTree(tmp);
        }
    }

    private void write(Path sst, Algorithm a, DigestTable table, int[] order, int setId, byte[][] categories)
            throws RocksDBException {
        int width = table.width();
        int longest = 1;
        for (byte[] c : categories) longest = Math.max(longest, c.length);
        ByteBuffer key = ByteBuffer.allocateDirect(width + 4);
        ByteBuffer value = ByteBuffer.allocateDirect(longest);
        byte[] digests = table.digests();
        try (EnvOptions env = new EnvOptions();
             Options sstOptions = options.sstWriter(a);
             SstFileWriter writer = new SstFileWriter(env, sstOptions)) {
            writer.open(sst.toString());
            for (int idx : order) {
                key.clear();
                key.put(digests, idx * width, width).putInt(setId).flip();
                value.clear();
                value.put(categories[table.category(idx)]).flip();
                writer.put(key, value);
            }
            writer.finish();
        }
    }

    /**
     * Deletes every digest key whose set id is one of {@code ids}: a full scan of each digest
     * family, O(store), with deletes written in batches.
     */
    void purge(int[] ids) throws RocksDBException {
        if (ids.length == 0) return;
        try (ReadOptions scan = new ReadOptions().setTotalOrderSeek(true).setFillCache(false);
             WriteOptions write = new WriteOptions()) {
            for (Algorithm a : Algorithm.values()) {
                ColumnFamilyHandle family = families[a.ordinal()];
                if (family == null) continue;
                int width = a.length();
                byte[] k = new byte[width + 4];
                try (RocksIterator it = db.newIterator(family, scan);
                     WriteBatch batch = new WriteBatch()) {
                    for (it.seekToFirst(); it.isValid(); it.next()) {
                        if (it.key(k) != k.length || !contains(ids, MetaTable.id(k, width))) continue;
                        batch.delete(family, k);
                        if (batch.count() >= DELETE_CHUNK) {
                            db.write(write, batch);
                            batch.clear();
                        }
                    }
                    it.status();
                    if (batch.count() > 0) db.write(write, batch);
                }
            }
        }
    }

    /** Physical keys in one digest family, live or not (for tests and diagnostics). */
    long countKeys(Algorithm a) throws RocksDBException {
        ColumnFamilyHandle family = families[a.ordinal()];
        if (family == null) return 0;
        long n = 0;
        try (ReadOptions scan = new ReadOptions().setTotalOrderSeek(true).setFillCache(false);
             RocksIterator it = db.newIterator(family, scan)) {
            for (it.seekToFirst(); it.isValid(); it.next()) n++;
            it.status();
        }
        return n;
    }

    /** Removes temporary directories left by an import that died. */
    void removeStaleTemporaries() throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path p : (Iterable<Path>) entries::iterator) {
                if (p.getFileName().toString().startsWith(TEMP_PREFIX) && Files.isDirectory(p)) deleteTree(p);
            }
        }
    }

    private static boolean contains(int[] ids, int id) {
        for (int i : ids) {
            if (i == id) return true;
        }
        return false;
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path q : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) Files.delete(q);
        }
    }
}
