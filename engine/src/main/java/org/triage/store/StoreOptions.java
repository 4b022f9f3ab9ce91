package org.triage.store;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.DataBlockIndexType;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.StringAppendOperator;
import org.triage.model.Algorithm;

/**
 * The native option objects of one open store, made together and closed together, after the
 * database that uses them (RocksJava requires options to outlive the DB). The reasons for each
 * setting are in {@link RocksHashStore}'s class comment; reads and writes (SstFileWriter) use the
 * very same objects, so the filter policy and merge operator always agree.
 *
 * <p>Not thread-safe to build or close; read-only once built.
 */
final class StoreOptions implements AutoCloseable {
    static final String META = "meta";
    static final String ENTRIES = "entries";
    static final int BLOOM_BITS_PER_KEY = 10;
    static final long BLOCK_SIZE = 4096;
    static final long META_CACHE_BYTES = 8L << 20;
    static final long PDQ_BLOCK_SIZE = 64 << 10;

    static {
        RocksDB.loadLibrary();
    }

    private final Deque<AutoCloseable> owned = new ArrayDeque<>();
    private final Map<Algorithm, ColumnFamilyOptions> digestFamilies = new EnumMap<>(Algorithm.class);
    private DBOptions db;
    private ColumnFamilyOptions plainFamily;
    private ColumnFamilyOptions entriesFamily;
    private ColumnFamilyOptions pdqFamily;

    private StoreOptions() {
    }

    /** Options for a store opened read-only ({@code writable} false) or for writing (creating it if missing). */
    static StoreOptions create(boolean writable) {
        StoreOptions o = new StoreOptions();
        try {
            o.build(writable);
            return o;
        } catch (RuntimeException | Error e) {
            o.close();
            throw e;
        }
    }

    private void build(boolean writable) {
        StoreLogger logger = own(new StoreLogger());
        LRUCache metaCache = own(new LRUCache(META_CACHE_BYTES));
        BloomFilter bloom = own(new BloomFilter(BLOOM_BITS_PER_KEY, false));
        // Empty delimiter: operands are fixed-width records (ValueRecords), so they are simply concatenated.
        StringAppendOperator append = own(new StringAppendOperator(""));
        db = own(new DBOptions())
                .setLogger(logger)
                .setInfoLogLevel(InfoLogLevel.WARN_LEVEL)
                .setMaxOpenFiles(-1)
                .setAllowMmapReads(true)
                .setStatsDumpPeriodSec(0)
                .setCreateIfMissing(writable)
                .setCreateMissingColumnFamilies(writable);
        for (Algorithm a : Algorithm.values()) {
            BlockBasedTableConfig table = new BlockBasedTableConfig()
                    .setFilterPolicy(bloom)
                    .setWholeKeyFiltering(true)
                    .setCacheIndexAndFilterBlocks(false)
                    .setBlockSize(BLOCK_SIZE)
                    .setDataBlockIndexType(DataBlockIndexType.kDataBlockBinaryAndHash)
                    .setNoBlockCache(true);
            digestFamilies.put(a, own(new ColumnFamilyOptions())
                    .setMergeOperator(append)
                    .setCompressionType(CompressionType.NO_COMPRESSION)
                    .setTableFormatConfig(table));
        }
        // Only ever read whole, in key order, to build the near-match index: no filter, no cache,
        // large blocks. Random hashes do not compress. The merge operator as for digests.
        pdqFamily = own(new ColumnFamilyOptions())
                .setMergeOperator(append)
                .setCompressionType(CompressionType.NO_COMPRESSION)
                .setTableFormatConfig(new BlockBasedTableConfig().setBlockSize(PDQ_BLOCK_SIZE).setNoBlockCache(true));
        plainFamily = own(new ColumnFamilyOptions())
                .setTableFormatConfig(new BlockBasedTableConfig().setBlockCache(metaCache));
        entriesFamily = own(new ColumnFamilyOptions())
                .setCompressionType(CompressionType.LZ4_COMPRESSION)
                .setTableFormatConfig(new BlockBasedTableConfig().setBlockCache(metaCache));
    }

    private <T extends AutoCloseable> T own(T resource) {
        owned.push(resource);
        return resource;
    }

    DBOptions db() { return db; }

    /** The column family holding one algorithm's digests. */
    static String familyName(Algorithm a) { return a.id(); }

    /** Options for a column family by name. */
    ColumnFamilyOptions family(String name) {
        for (Algorithm a : Algorithm.values()) {
            if (familyName(a).equals(name)) return digestFamilies.get(a);
        }
        if (name.equals(PdqFamily.NAME)) return pdqFamily;
        return name.equals(ENTRIES) ? entriesFamily : plainFamily;
    }

    List<ColumnFamilyDescriptor> descriptors(List<String> names) {
        List<ColumnFamilyDescriptor> out = new ArrayList<>(names.size());
        for (String n : names) out.add(new ColumnFamilyDescriptor(n.getBytes(StandardCharsets.UTF_8), family(n)));
        return out;
    }

    /**
     * Options for an SstFileWriter building a file of the named family: the same table factory
     * (filter policy, block size, block index) and merge operator, so an ingested file is read
     * exactly as a flushed one would be. The caller closes it.
     */
    Options sstWriter(String familyName) {
        return new Options(db, family(familyName));
    }

    /** Closes every option object, last made first. */
    @Override
    public void close() {
        RuntimeException failure = null;
        while (!owned.isEmpty()) {
            try {
                owned.pop().close();
            } catch (Exception e) {
                if (failure == null) failure = new IllegalStateException("closing RocksDB options", e);
                else failure.addSuppressed(e);
            }
        }
        if (failure != null) throw failure;
    }
}
