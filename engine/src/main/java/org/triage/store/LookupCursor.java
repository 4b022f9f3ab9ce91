package org.triage.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.triage.model.Algorithm;
import org.triage.model.Match;

/**
 * One thread's lookup state: an iterator per algorithm, kept across lookups (making a RocksIterator
 * costs more than the seek itself, about three times a filtered miss), and direct buffers for the
 * seek target, key and value, so that a miss allocates nothing on the Java heap and a hit only its
 * result list (and a String when the entry has a category).
 *
 * <p>An iterator sees the database as it was when the iterator was made. The iterators are
 * therefore remade whenever the store's {@link LiveSets} instance changes (after an import); a
 * read-only store never changes, so there they are made once per thread.
 *
 * <p>Used by the one thread that owns it; closed by the store, after the last lookup.
 */
final class LookupCursor implements AutoCloseable {
    private final RocksDB db;
    private final ReadOptions readOptions;
    private final ColumnFamilyHandle[] families;
    private final RocksIterator[] iterators;
    private final ByteBuffer target = ByteBuffer.allocateDirect(32);
    private final ByteBuffer key = ByteBuffer.allocateDirect(64);
    private ByteBuffer value = ByteBuffer.allocateDirect(256);
    private byte[] valueBytes = new byte[256];
    private LiveSets madeFor;

    /** @param families digest column families by {@link Algorithm#ordinal()} (null when absent) */
    LookupCursor(RocksDB db, ReadOptions readOptions, ColumnFamilyHandle[] families) {
        this.db = db;
        this.readOptions = readOptions;
        this.families = families;
        this.iterators = new RocksIterator[families.length];
    }

    /** Every live set holding this digest, in set id (import) order; List.of() when none. */
    List<Match> lookup(LiveSets live, Algorithm algorithm, byte[] digest) throws RocksDBException {
        if (live != madeFor) {
            closeIterators();
            madeFor = live;
        }
        RocksIterator it = iterators[algorithm.ordinal()];
        if (it == null) {
            ColumnFamilyHandle family = families[algorithm.ordinal()];
            if (family == null) return List.of();
            it = db.newIterator(family, readOptions);
            iterators[algorithm.ordinal()] = it;
        }
        int len = digest.length;
        target.clear();
        target.put(digest).flip();
        it.seek(target);
        Match first = null;
        List<Match> more = null;
        for (; it.isValid(); it.next()) {
            key.clear();
            int n = it.key(key);
            if (n < len || !startsWith(digest)) break;
            if (n != len + 4) continue;
            LiveSets.LiveSet set = live.get(key.getInt(len));
            if (set == null) continue;
            Match m = set.match(category(it));
            if (first == null) {
                first = m;
            } else {
                if (more == null) {
                    more = new ArrayList<>(4);
                    more.add(first);
                }
                more.add(m);
            }
        }
        if (!it.isValid()) it.status();
        if (first == null) return List.of();
        return more == null ? List.of(first) : Collections.unmodifiableList(more);
    }

    private boolean startsWith(byte[] digest) {
        for (int i = 0; i < digest.length; i++) {
            if (key.get(i) != digest[i]) return false;
        }
        return true;
    }

    /** The current entry's category, or null for none. Allocates only on a hit with a category. */
    private String category(RocksIterator it) {
        value.clear();
        int n = it.value(value);
        if (n == 0) return null;
        if (n > value.capacity()) {
            value = ByteBuffer.allocateDirect(Integer.highestOneBit(n) << 1);
            n = it.value(value);
        }
        if (n > valueBytes.length) valueBytes = new byte[value.capacity()];
        value.get(0, valueBytes, 0, n);
        return new String(valueBytes, 0, n, StandardCharsets.UTF_8);
    }

    private void closeIterators() {
        for (int i = 0; i < iterators.length; i++) {
            if (iterators[i] != null) {
                iterators[i].close();
                iterators[i] = null;
            }
        }
    }

    @Override
    public void close() {
        closeIterators();
    }
}
