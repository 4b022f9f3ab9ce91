package org.triage.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
 * Writes and removes the digest records of set ids: bulk load by SstFileWriter and
 * ingestExternalFile, removal by rewriting the values that hold dead records. Neither touches the
 * meta column family; whether records are visible is decided there alone.
 *
 * <p>Bulk load: the buckets of a {@link DigestSpill} are key ranges in order, so consecutive
 * buckets grouped into files of about {@value #FILE_KEYS} keys give SST files that do not overlap;
 * {@value #WRITERS} threads sort buckets and write files side by side, and all files of one family
 * are ingested in one call (atomic per family; the import is made atomic by the meta commit).
 *
 * <p>Used under the store's write lock.
 */
final class DigestIngester {
    /** Temporary directories inside the store are named this plus a suffix. */
    static final String TEMP_PREFIX = "import-";
    static final int WRITERS = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));
    private static final long FILE_KEYS = 8L << 20;
    private static final int DELETE_CHUNK = 10_000;

    private final OpenStore store;
    private final Path dir;
    private final RocksDB db;
    private final StoreOptions options;
    private final ColumnFamilyHandle[] families;
    private final ColumnFamilyHandle entries;

    DigestIngester(OpenStore store) {
        this.store = store;
        this.dir = store.dir;
        this.db = store.db;
        this.options = store.options;
        this.families = store.digestFamilies;
        this.entries = store.entries;
    }

    /** What writing one family's files found; {@code conflicts}: digests repeated with different categories. */
    record Written(List<Path> files, long distinct, long[] perCategory, long conflicts) {
    }

    /**
     * Sorts the spill bucket by bucket and writes its distinct digests as merge operands
     * ({@link ValueRecords}) into SST files under {@code tmp}.
     *
     * @param categoryCount number of category codes (codes run 0..categoryCount)
     * @param rank          per category code, which wins among repeats of a digest (highest; null: the first)
     */
    Written write(int setId, Algorithm a, DigestSpill spill, int categoryCount, int[] rank, Path tmp)
            throws IOException, RocksDBException {
        // Into an empty family, plain puts: nothing can be shadowed, and a point get that finds a
        // put stops there, where a merge operand sends it on through every older level and through
        // the merge operator. Later sets merge onto these values as usual.
        return write(setId, StoreOptions.familyName(a), store.isEmpty(a), spill, categoryCount, rank, tmp);
    }

    /** As {@link #write(int, Algorithm, DigestSpill, int, int[], Path)}, for the PDQ hashes ({@link PdqFamily}). */
    Written writePdq(int setId, DigestSpill spill, int categoryCount, int[] rank, Path tmp)
            throws IOException, RocksDBException {
        return write(setId, PdqFamily.NAME, store.isEmpty(store.pdq), spill, categoryCount, rank, tmp);
    }

    private Written write(int setId, String family, boolean put, DigestSpill spill, int categoryCount, int[] rank,
                          Path tmp) throws IOException, RocksDBException {
        List<int[]> groups = new ArrayList<>();
        int start = 0;
        long keys = 0;
        for (int b = 0; b < DigestSpill.BUCKETS; b++) {
            keys += spill.bucketSize(b);
            if (keys >= FILE_KEYS || b == DigestSpill.BUCKETS - 1) {
                if (keys > 0) groups.add(new int[] {start, b + 1});
                start = b + 1;
                keys = 0;
            }
        }
        List<Path> files = new ArrayList<>();
        long[] perCategory = new long[categoryCount + 1];
        long distinct = 0;
        long conflicts = 0;
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(WRITERS, Math.max(1, groups.size())), r -> {
            Thread t = new Thread(r, "triage-sst-writer");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<long[]>> done = new ArrayList<>();
            for (int g = 0; g < groups.size(); g++) {
                int[] range = groups.get(g);
                Path sst = tmp.resolve(family + "-" + g + ".sst");
                files.add(sst);
                done.add(pool.submit(() -> writeFile(sst, setId, family, spill, range[0], range[1], categoryCount, rank, put)));
            }
            for (Future<long[]> f : done) {
                long[] counts = f.get();
                for (int c = 0; c <= categoryCount; c++) perCategory[c] += counts[c];
                distinct += counts[categoryCount + 1];
                conflicts += counts[categoryCount + 2];
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while writing SST files", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) throw io;
            if (cause instanceof RocksDBException r) throw r;
            if (cause instanceof RuntimeException r) throw r;
            throw new StoreException("writing SST files failed: " + cause, cause);
        } finally {
            pool.shutdownNow();
        }
        return new Written(files, distinct, perCategory, conflicts);
    }

    /** Writes buckets [from, to) into one file; returns counts per category code, then the total, then the conflicts. */
    private long[] writeFile(Path sst, int setId, String family, DigestSpill spill, int from, int to, int categoryCount,
                             int[] rank, boolean put) throws IOException, RocksDBException {
        long[] counts = new long[categoryCount + 3];
        int width = spill.width();
        byte[] key = new byte[width];
        // Written afresh per key: a PDQ record's code also carries the hash's quality (ValueRecords).
        byte[] value = new byte[ValueRecords.WIDTH];
        try (EnvOptions env = new EnvOptions();
             Options sstOptions = options.sstWriter(family);
             SstFileWriter writer = new SstFileWriter(env, sstOptions)) {
            writer.open(sst.toString());
            for (int b = from; b < to; b++) {
                spill.bucket(b, rank, (table, order) -> {
                    byte[] digests = table.digests();
                    try {
                        for (int idx : order) {
                            System.arraycopy(digests, idx * width, key, 0, width);
                            int code = table.category(idx);
                            ValueRecords.write(value, setId, code);
                            if (put) writer.put(key, value);
                            else writer.merge(key, value);
                            counts[ValueRecords.category(code)]++;
                        }
                    } catch (RocksDBException e) {
                        throw new StoreException("writing " + sst + ": " + e.getMessage(), e);
                    }
                    counts[categoryCount + 1] += order.length;
                    counts[categoryCount + 2] += table.conflicts();
                });
            }
            writer.finish();
        }
        return counts;
    }

    /** Ingests one family's files in one call; they are moved (hard-linked), not copied. */
    void ingest(Algorithm a, List<Path> files) throws RocksDBException {
        if (files.isEmpty()) return;
        ingest(families[a.ordinal()], files);
    }

    /** Ingests the PDQ family's files in one call. */
    void ingestPdq(List<Path> files) throws RocksDBException {
        if (!files.isEmpty()) ingest(store.pdq, files);
    }

    /** Ingests the kept entries of a set. */
    void ingestEntries(Path file) throws RocksDBException {
        ingest(entries, List.of(file));
    }

    private void ingest(ColumnFamilyHandle family, List<Path> files) throws RocksDBException {
        List<String> names = new ArrayList<>(files.size());
        for (Path p : files) names.add(p.toString());
        try (IngestExternalFileOptions ingest = new IngestExternalFileOptions().setMoveFiles(true)) {
            db.ingestExternalFile(family, names, ingest);
        }
    }

    /**
     * Removes every record of the set ids {@code ids}: a full scan of each digest family, O(store),
     * rewriting (put) each value that holds a dead record without it, or deleting the key when
     * nothing is left, in batches; and a range delete of their entries.
     */
    void purge(int[] ids) throws RocksDBException {
        if (ids.length == 0) return;
        try (ReadOptions scan = new ReadOptions().setTotalOrderSeek(true).setFillCache(false);
             WriteOptions write = new WriteOptions()) {
            List<ColumnFamilyHandle> recordFamilies = new ArrayList<>(Arrays.asList(families));
            recordFamilies.add(store.pdq);
            for (ColumnFamilyHandle family : recordFamilies) {
                if (family == null) continue;
                try (RocksIterator it = db.newIterator(family, scan);
                     WriteBatch batch = new WriteBatch()) {
                    for (it.seekToFirst(); it.isValid(); it.next()) {
                        byte[] v = it.value();
                        int n = v.length / ValueRecords.WIDTH;
                        int keep = 0;
                        for (int r = 0; r < n; r++) {
                            if (!contains(ids, ValueRecords.setId(v, r))) keep++;
                        }
                        if (keep == n) continue;
                        if (keep == 0) {
                            batch.delete(family, it.key());
                        } else {
                            byte[] out = new byte[keep * ValueRecords.WIDTH];
                            int o = 0;
                            for (int r = 0; r < n; r++) {
                                if (contains(ids, ValueRecords.setId(v, r))) continue;
                                System.arraycopy(v, r * ValueRecords.WIDTH, out, o, ValueRecords.WIDTH);
                                o += ValueRecords.WIDTH;
                            }
                            batch.put(family, it.key(), out);
                        }
                        if (batch.count() >= DELETE_CHUNK) {
                            db.write(write, batch);
                            batch.clear();
                        }
                    }
                    it.status();
                    if (batch.count() > 0) db.write(write, batch);
                }
            }
            if (entries != null) {
                for (int id : ids) {
                    byte[] from = Arrays.copyOf(MetaTable.idBytes(id), 12);
                    byte[] to = Arrays.copyOf(MetaTable.idBytes(id + 1), 12);
                    db.deleteRange(entries, write, from, to);
                }
            }
        }
    }

    /** Removes temporary directories left by an import that died. */
    void removeStaleTemporaries() throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            for (Path p : (Iterable<Path>) list::iterator) {
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
