package org.triage.store;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The known-hash store, a RocksDB database in one directory, opened for reading: lookups, the sets,
 * export. Also where a store is opened in either mode: {@link #openReadOnly} gives this type, which
 * has no way to change the store; {@link #openWritable} gives a {@link HashStoreAdmin}, which
 * imports, replaces and removes sets and recovers what a failed import left. The type of a handle
 * says what it can do, so a scan, which gets this type (or its {@link HashStore} interface), cannot
 * write to the store whatever its code does.
 *
 * <h2>Layout</h2>
 * <pre>
 *   column family  key                                value
 *   "md5"          16-byte digest                     one 8-byte record per set holding it:
 *   "sha1"         20-byte digest                       set id (4 bytes BE) || category code (4 bytes BE)
 *   "sha256"       32-byte digest                     ({@link ValueRecords}); written as merge operands
 *                                                      (puts when the family was empty)
 *   "entries"      set id (4) || sequence (8, BE)     a source entry kept whole (VICS Media object, JSON)
 *   "meta"         set records (JSON: provenance, categories), name -&gt; id, id counter, pending and
 *                  retired ids ({@link MetaTable})
 *   "default"      unused (RocksDB always has it)
 * </pre>
 * Keys are binary digests, never hex, and exactly the digest: a lookup is one point {@code get}
 * that a whole-key bloom filter can answer. Each import adds its records as merge operands (the
 * string-append operator with an empty delimiter; records are fixed-width, so no byte needs
 * escaping), so a new set never rewrites another set's keys. A digest in three sets has one key
 * whose value holds three records; all three are reported. The first set imported into an empty
 * family is written as plain puts instead: nothing can be shadowed, and a get that finds a put stops
 * there, where a merge operand sends it on through every older level and the merge operator. Category code 0 is none; code c is the
 * set's c-th category, stored exactly as the source wrote it ("1", "A", "Category B").
 *
 * <h2>Settings, and why</h2>
 * <ul>
 * <li>Bloom filter, {@value StoreOptions#BLOOM_BITS_PER_KEY} bits per key (about 1% false
 *     positives), on whole keys; no prefix extractor. A miss, the common case, costs one filter
 *     probe per sorted run and no data block read. Reads and SST writes use the very same
 *     {@link StoreOptions} objects: with a different filter policy on the read side RocksDB would
 *     ignore the filter.</li>
 * <li>{@code cache_index_and_filter_blocks = false}: index and filter blocks are held by each open
 *     table, outside any cache. With them in a block cache, the filter of 100 million keys (about
 *     125 MB) does not fit one cache shard and lookups collapsed.</li>
 * <li>{@code allow_mmap_reads} and no block cache on the digest families: data blocks are read
 *     straight from the page cache through the mapping, with no copy and no anonymous memory, so a
 *     hit costs a few microseconds and the process's RssAnon stays near the filters' size; the
 *     store's pages show as RssFile (page cache) instead. A 512 MB block cache reached only
 *     42-127 k hits/s here, mmap 220 k/s per thread.</li>
 * <li>4 KiB data blocks and {@code kDataBlockBinaryAndHash}: a hit reads one small block and finds
 *     the key through the block's hash index instead of a binary search.</li>
 * <li>No compression on digest families: digests are random bytes; LZ4 would save about 17% of
 *     the disk for a decompression on every hit. The entries family (JSON) uses LZ4.</li>
 * <li>{@code max_open_files = -1}: every table is opened, with its index and filter in memory, when
 *     the store opens, so no lookup waits for a table open; and a read-only process keeps its files
 *     open even if a writing process's compaction deletes them meanwhile.</li>
 * <li>Point {@code get(ReadOptions, key, valueBuffer)} one key at a time with direct buffers
 *     ({@link LookupCursor}): batched {@code multiGet} was slower while the data is in memory.</li>
 * <li>RocksDB's info log goes to {@link System.Logger} ({@link StoreLogger}), warnings and worse only,
 *     so there is no LOG file: opening read-only leaves the directory exactly as it was.</li>
 * <li>Scans (export, purge) use {@code total_order_seek} and do not fill caches.</li>
 * <li>The process should run with {@code MALLOC_ARENA_MAX=2} (the {@code triage} launcher sets it):
 *     otherwise glibc's per-thread arenas let RocksDB's resident memory grow to three times its
 *     need.</li>
 * </ul>
 *
 * <h2>Visibility, atomicity, removal</h2>
 * Lookups, {@link #sets()} and {@link #export} see only sets that are live in the meta family
 * ({@link MetaTable}); records of any other id are skipped. An import ({@link ImportJob}) writes
 * its records under an id that is not live and makes the set live in one synced WriteBatch; what a
 * failure or a crash at each of its phases leaves, and who removes it, is in that class's comment.
 * With replace, the commit batch points the name at the new id and retires the old one;
 * {@link HashStoreAdmin#remove} retires an id in one batch. Retired records are purged afterwards
 * by a scan of each digest family that rewrites (put) each value holding one, or deletes the key
 * when nothing is left: O(store), not O(set).
 *
 * <h2>Threading and ownership</h2>
 * {@link #lookup} may be called from any number of threads; each thread keeps its own buffers
 * ({@link LookupCursor}). Several threads or processes may open the same directory read-only at
 * once, also while one process has it open for writing; a read-only store sees the store as it was
 * when opened. Only one process may open it for writing. The store owns its native objects and
 * frees them in {@link #close()}, which must come after the last lookup has returned.
 *
 * <p>Open and export failures throw {@link StoreException}; a lookup that RocksDB cannot complete
 * throws an {@link UncheckedIOException} wrapping a StoreException.
 */
public final class RocksHashStore extends StoreHandle {
    private RocksHashStore(OpenStore store) {
        super(store);
    }

    /**
     * Opens an existing store for lookups only. Never writes to the directory.
     *
     * @throws StoreException when {@code dir} holds no triage hash store, is damaged (which file) or
     *                        cannot be read (permission denied), or RocksDB cannot open it
     */
    public static RocksHashStore openReadOnly(Path dir) throws StoreException {
        return new RocksHashStore(OpenStore.readOnly(dir));
    }

    /**
     * Opens a store for import and removal, creating it (and the directory) if missing, and
     * finishes what a process that died while changing it left (see {@link HashStoreAdmin}).
     *
     * @throws StoreException when {@code dir} is not empty and holds no triage store, or another
     *                        process has the store open for writing
     */
    public static HashStoreAdmin openWritable(Path dir) throws StoreException {
        return HashStoreAdmin.open(dir, ImportObserver.NONE);
    }

    /** As {@link #openWritable(Path)}, with {@code observer} told of each import's phases (for tests). */
    static HashStoreAdmin openWritable(Path dir, ImportObserver observer) throws StoreException {
        return HashStoreAdmin.open(dir, Objects.requireNonNull(observer, "observer"));
    }
}
