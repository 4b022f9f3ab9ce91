package org.triage.store;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.triage.model.Algorithm;
import org.triage.model.Match;

/**
 * One thread's lookup state: direct buffers for the key and the value of a point {@code get}, so
 * that a miss (answered by the bloom filters alone, the common case) allocates nothing on the Java
 * heap and a hit only its result list; the {@link Match} objects are prebuilt per set and category.
 * A point get always sees the latest data, so unlike iterators nothing needs remaking after an import.
 *
 * <p>Used by the one thread that owns it; closed by the store, after the last lookup.
 */
final class LookupCursor implements AutoCloseable {
    private final RocksDB db;
    private final ReadOptions readOptions;
    private final ColumnFamilyHandle[] families;
    private final ByteBuffer key = ByteBuffer.allocateDirect(32);
    private ByteBuffer value = ByteBuffer.allocateDirect(64);
    private byte[] valueBytes = new byte[64];

    /** @param families digest column families by {@link Algorithm#ordinal()} (null when absent) */
    LookupCursor(RocksDB db, ReadOptions readOptions, ColumnFamilyHandle[] families) {
        this.db = db;
        this.readOptions = readOptions;
        this.families = families;
    }

    /** Every live set holding this digest, in the order the records were written; List.of() when none. */
    List<Match> lookup(LiveSets live, Algorithm algorithm, byte[] digest) throws RocksDBException {
        ColumnFamilyHandle family = families[algorithm.ordinal()];
        if (family == null) return List.of();
        key.clear();
        key.put(digest).flip();
        value.clear();
        int n = db.get(family, readOptions, key, value);
        if (n == RocksDB.NOT_FOUND) return List.of();
        if (n > value.capacity()) {
            value = ByteBuffer.allocateDirect(Integer.highestOneBit(n) << 1);
            key.rewind();
            n = db.get(family, readOptions, key, value);
            if (n == RocksDB.NOT_FOUND) return List.of();
        }
        if (n > valueBytes.length) valueBytes = new byte[value.capacity()];
        value.get(0, valueBytes, 0, n);
        Match first = null;
        List<Match> more = null;
        int records = n / ValueRecords.WIDTH;
        for (int r = 0; r < records; r++) {
            LiveSets.LiveSet set = live.get(ValueRecords.setId(valueBytes, r));
            if (set == null) continue;
            Match m = set.match(ValueRecords.category(valueBytes, r));
            if (first == null) {
                first = m;
            } else {
                if (more == null) {
                    more = new ArrayList<>(4);
                    more.add(first);
                }
                if (!more.contains(m)) more.add(m);
            }
        }
        if (first == null) return List.of();
        return more == null ? List.of(first) : Collections.unmodifiableList(more);
    }

    @Override
    public void close() {
        // Direct buffers are freed by the GC; nothing native is held.
    }
}
