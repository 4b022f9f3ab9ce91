package org.triage.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

/**
 * Keys and values of the "meta" column family, and reading it whole.
 *
 * <pre>
 *   format              "triage-hashstore/2"        marks a triage store; written at creation ({@link #FORMAT_VALUE})
 *   next-id             int, 4 bytes big-endian      next set id; ids are never reused
 *   set/&lt;id&gt;            SetRecord as JSON            the set is live
 *   name/&lt;utf-8 name&gt;   id                           name -&gt; live id
 *   pending/&lt;id&gt;        empty                        id handed to an import not yet committed
 *   retired/&lt;id&gt;        empty                        id replaced, its digest keys not yet deleted
 * </pre>
 * A set is live when {@code set/<id>} exists and {@code name/<its name>} points to it; both change
 * in one WriteBatch. Ids are 4 bytes big-endian in keys as in the digest column families.
 * The whole layout, and what older formats are refused: {@code docs/store-layout.md}.
 */
final class MetaTable {
    static final byte[] FORMAT_KEY = ascii("format");
    static final byte[] FORMAT_VALUE = ascii("triage-hashstore/2");
    static final byte[] NEXT_ID_KEY = ascii("next-id");
    private static final byte[] SET = ascii("set/");
    private static final byte[] NAME = ascii("name/");
    private static final byte[] PENDING = ascii("pending/");
    private static final byte[] RETIRED = ascii("retired/");
    /** Only imports write set records; a scan, which only reads them, never builds an ObjectMapper. */
    private static final class Writer {
        static final ObjectMapper JSON = new ObjectMapper();
    }

    private MetaTable() {
    }

    /**
     * The meta column family as read at one moment.
     *
     * @param format  the format marker, or null when absent
     * @param nextId  next id to hand out
     * @param sets    live sets
     * @param pending ids of imports that never committed
     * @param retired ids replaced whose keys may remain
     * @param keys    number of keys in the column family
     */
    record Contents(String format, int nextId, List<SetRecord> sets, List<Integer> pending, List<Integer> retired,
                    long keys) {
    }

    static byte[] setKey(int id) { return withId(SET, id); }

    static byte[] pendingKey(int id) { return withId(PENDING, id); }

    static byte[] retiredKey(int id) { return withId(RETIRED, id); }

    static byte[] nameKey(String name) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        byte[] k = Arrays.copyOf(NAME, NAME.length + n.length);
        System.arraycopy(n, 0, k, NAME.length, n.length);
        return k;
    }

    static byte[] idBytes(int id) {
        return new byte[] {(byte) (id >>> 24), (byte) (id >>> 16), (byte) (id >>> 8), (byte) id};
    }

    static int id(byte[] b, int off) {
        return (b[off] & 0xff) << 24 | (b[off + 1] & 0xff) << 16 | (b[off + 2] & 0xff) << 8 | (b[off + 3] & 0xff);
    }

    static byte[] toJson(SetRecord record) {
        try {
            return Writer.JSON.writeValueAsBytes(record);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write set record " + record.name(), e);
        }
    }

    /** Puts a fresh store's marker and id counter into {@code batch}. */
    static void initialize(WriteBatch batch, ColumnFamilyHandle meta) throws RocksDBException {
        batch.put(meta, FORMAT_KEY, FORMAT_VALUE);
        batch.put(meta, NEXT_ID_KEY, idBytes(1));
    }

    /** Reads the whole column family (a handful of keys per set). */
    static Contents read(RocksDB db, ColumnFamilyHandle meta, String where) throws StoreException {
        String format = null;
        int nextId = 1;
        List<SetRecord> records = new ArrayList<>();
        Map<String, Integer> names = new HashMap<>();
        List<Integer> pending = new ArrayList<>();
        List<Integer> retired = new ArrayList<>();
        long keys = 0;
        try (ReadOptions ro = new ReadOptions().setTotalOrderSeek(true);
             RocksIterator it = db.newIterator(meta, ro)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                keys++;
                byte[] k = it.key();
                if (Arrays.equals(k, FORMAT_KEY)) {
                    format = new String(it.value(), StandardCharsets.UTF_8);
                } else if (Arrays.equals(k, NEXT_ID_KEY)) {
                    nextId = id(it.value(), 0);
                } else if (hasIdAfter(k, SET)) {
                    records.add(SetRecord.fromJson(it.value()));
                } else if (startsWith(k, NAME)) {
                    names.put(new String(k, NAME.length, k.length - NAME.length, StandardCharsets.UTF_8), id(it.value(), 0));
                } else if (hasIdAfter(k, PENDING)) {
                    pending.add(id(k, PENDING.length));
                } else if (hasIdAfter(k, RETIRED)) {
                    retired.add(id(k, RETIRED.length));
                }
            }
            it.status();
        } catch (RocksDBException | IOException e) {
            throw new StoreException("cannot read the set table of hash store " + where + ": " + e.getMessage(), e);
        }
        List<SetRecord> live = new ArrayList<>();
        for (SetRecord r : records) {
            Integer named = names.get(r.name());
            if (named != null && named == r.id()) live.add(r);
        }
        return new Contents(format, nextId, List.copyOf(live), List.copyOf(pending), List.copyOf(retired), keys);
    }

    private static boolean hasIdAfter(byte[] k, byte[] prefix) {
        return k.length == prefix.length + 4 && startsWith(k, prefix);
    }

    private static boolean startsWith(byte[] k, byte[] prefix) {
        return k.length >= prefix.length && Arrays.equals(k, 0, prefix.length, prefix, 0, prefix.length);
    }

    private static byte[] withId(byte[] prefix, int id) {
        byte[] k = Arrays.copyOf(prefix, prefix.length + 4);
        k[prefix.length] = (byte) (id >>> 24);
        k[prefix.length + 1] = (byte) (id >>> 16);
        k[prefix.length + 2] = (byte) (id >>> 8);
        k[prefix.length + 3] = (byte) id;
        return k;
    }

    private static byte[] ascii(String s) { return s.getBytes(StandardCharsets.US_ASCII); }
}
