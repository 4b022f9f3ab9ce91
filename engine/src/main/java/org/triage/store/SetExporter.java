package org.triage.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.triage.model.Algorithm;

/**
 * Writes live sets out in the {@link ExportFormat}s. Every pass over a set is a full scan of a
 * digest family (records of other sets skipped), in digest order; kept entries (VICS Media
 * objects) come from the entries family in import order.
 *
 * <p>Used by one thread, under the store's write lock when the store is writable.
 */
final class SetExporter {
    /** The OData context our VICS output declares. */
    static final String VICS_CONTEXT = "http://github.com/VICSDATAMODEL/ProjectVic/DataModels/2.0.xml/Default/$metadata#Media";
    private static final HexFormat HEX = HexFormat.of();

    private final RocksDB db;
    private final ColumnFamilyHandle[] families;
    private final ColumnFamilyHandle entries;

    SetExporter(RocksDB db, ColumnFamilyHandle[] families, ColumnFamilyHandle entries) {
        this.db = db;
        this.families = families;
        this.entries = entries;
    }

    /** Receives one digest of the set and its category ("" for none). */
    interface DigestVisitor {
        void visit(byte[] digest, String category) throws IOException;
    }

    /** Visits the set's digests of one algorithm in increasing order. */
    void digests(LiveSets.LiveSet set, Algorithm a, DigestVisitor v) throws IOException, RocksDBException {
        ColumnFamilyHandle family = families[a.ordinal()];
        if (set.record.count(a) == 0 || family == null) return;
        int id = set.record.id();
        try (ReadOptions scan = new ReadOptions().setTotalOrderSeek(true).setFillCache(false);
             RocksIterator it = db.newIterator(family, scan)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                byte[] value = it.value();
                for (int r = 0; r < value.length / ValueRecords.WIDTH; r++) {
                    if (ValueRecords.setId(value, r) != id) continue;
                    v.visit(it.key(), set.category(ValueRecords.category(value, r)));
                    break;
                }
            }
            it.status();
        }
    }

    /** The set's kept entries (JSON objects) in import order. */
    interface EntryVisitor {
        void visit(byte[] json) throws IOException;
    }

    /** Visits the kept entries; returns how many there were. */
    long entries(LiveSets.LiveSet set, EntryVisitor v) throws IOException, RocksDBException {
        if (entries == null || set.record.kept() == 0) return 0;
        byte[] from = Arrays.copyOf(MetaTable.idBytes(set.record.id()), 12);
        long n = 0;
        try (ReadOptions scan = new ReadOptions().setFillCache(false);
             RocksIterator it = db.newIterator(entries, scan)) {
            for (it.seek(from); it.isValid(); it.next()) {
                byte[] k = it.key();
                if (k.length != 12 || MetaTable.id(k, 0) != set.record.id()) break;
                v.visit(it.value());
                n++;
            }
            it.status();
        }
        return n;
    }

    void tsv(List<LiveSets.LiveSet> sets, Writer out) throws IOException, RocksDBException {
        StringBuilder line = new StringBuilder(160);
        for (LiveSets.LiveSet s : sets) {
            for (Algorithm a : Algorithm.values()) {
                digests(s, a, (d, c) -> {
                    line.setLength(0);
                    line.append(s.record.name()).append('\t').append(s.info.kind().label()).append('\t')
                            .append(a.id()).append('\t').append(HEX.formatHex(d)).append('\t').append(c).append('\n');
                    out.append(line);
                });
            }
        }
    }

    void md5(LiveSets.LiveSet s, Writer out) throws IOException, RocksDBException {
        digests(s, Algorithm.MD5, (d, c) -> out.append(HEX.formatHex(d)).append('\n'));
    }

    void vics(LiveSets.LiveSet s, Writer out) throws IOException, RocksDBException {
        out.append("{\"@odata.context\":\"").append(VICS_CONTEXT).append("\",\"value\":[");
        boolean[] first = {true};
        long kept = entries(s, json -> {
            out.append(first[0] ? "\n" : ",\n");
            first[0] = false;
            out.append(new String(json, StandardCharsets.UTF_8));
        });
        if (kept == 0) {
            for (Algorithm a : Algorithm.values()) {
                String field = switch (a) {
                    case MD5 -> "MD5";
                    case SHA1 -> "SHA1";
                    case SHA256 -> "SHA256";
                };
                digests(s, a, (d, c) -> {
                    ObjectNode o = VicsImporter.JSON.createObjectNode();
                    o.put(field, HEX.formatHex(d).toUpperCase(java.util.Locale.ROOT));
                    if (!c.isEmpty()) {
                        if (c.chars().allMatch(Character::isDigit) && c.length() < 10) o.put("Category", Integer.parseInt(c));
                        else o.put("Category", c);
                    }
                    out.append(first[0] ? "\n" : ",\n");
                    first[0] = false;
                    out.append(VicsImporter.JSON.writeValueAsString(o));
                });
            }
        }
        out.append("\n]}\n");
    }

    void hashdeep(LiveSets.LiveSet s, Writer out) throws IOException, RocksDBException {
        out.append("%%%% HASHDEEP-1.0\n%%%% size,md5,sha1,sha256,filename\n");
        out.append("## exported by triage from set ").append(s.record.name().replaceAll("\\p{Cntrl}", "?")).append('\n');
        out.append("##\n");
        long kept = entries(s, json -> {
            JsonNode m = VicsImporter.JSON.readTree(json);
            String name = "";
            JsonNode files = m.get("MediaFiles");
            if (files != null && files.isArray() && files.size() > 0 && files.get(0).hasNonNull("FileName")) {
                name = files.get(0).get("FileName").asText().replaceAll("\\p{Cntrl}", "?");
            }
            out.append(m.hasNonNull("MediaSize") ? m.get("MediaSize").asText() : "").append(',')
                    .append(lower(m, "MD5")).append(',').append(lower(m, "SHA1")).append(',')
                    .append(lower(m, "SHA256")).append(',').append(name).append('\n');
        });
        if (kept > 0) return;
        for (Algorithm a : Algorithm.values()) {
            digests(s, a, (d, c) -> {
                String hex = HEX.formatHex(d);
                out.append(',').append(a == Algorithm.MD5 ? hex : "").append(',').append(a == Algorithm.SHA1 ? hex : "")
                        .append(',').append(a == Algorithm.SHA256 ? hex : "").append(",\n");
            });
        }
    }

    private static String lower(JsonNode m, String field) {
        return m.hasNonNull(field) ? m.get(field).asText().toLowerCase(java.util.Locale.ROOT) : "";
    }
}
