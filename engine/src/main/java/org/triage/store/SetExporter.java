package org.triage.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
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
 * <p>Used by one thread, under the store's write lock (which a close also takes).
 */
final class SetExporter {
    /** The OData context our VICS output declares. */
    static final String VICS_CONTEXT = "http://github.com/VICSDATAMODEL/ProjectVic/DataModels/2.0.xml/Default/$metadata#Media";
    private static final HexFormat HEX = HexFormat.of();

    private final RocksDB db;
    private final ColumnFamilyHandle[] families;
    private final ColumnFamilyHandle entries;
    private final ColumnFamilyHandle pdq;

    /** @param pdq the PDQ family, or null when the store has none */
    SetExporter(RocksDB db, ColumnFamilyHandle[] families, ColumnFamilyHandle entries, ColumnFamilyHandle pdq) {
        this.db = db;
        this.families = families;
        this.entries = entries;
        this.pdq = pdq;
    }

    /** Receives one digest of the set and its category ("" for none). */
    interface DigestVisitor {
        void visit(byte[] digest, String category) throws IOException;
    }

    /** Visits the set's digests of one algorithm in increasing order. */
    void digests(LiveSets.LiveSet set, Algorithm a, DigestVisitor v) throws IOException, RocksDBException {
        if (set.record.count(a) > 0) visit(set, families[a.ordinal()], v);
    }

    /** Visits the set's PDQ hashes in increasing order (their quality is not visited). */
    void pdqHashes(LiveSets.LiveSet set, DigestVisitor v) throws IOException, RocksDBException {
        if (set.record.pdqCount() > 0) visit(set, pdq, v);
    }

    private void visit(LiveSets.LiveSet set, ColumnFamilyHandle family, DigestVisitor v) throws IOException, RocksDBException {
        if (family == null) return;
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
                digests(s, a, (d, c) -> tsvLine(line, s, a.id(), d, c, out));
            }
            pdqHashes(s, (d, c) -> tsvLine(line, s, SetRecord.PDQ, d, c, out));
        }
    }

    private static void tsvLine(StringBuilder line, LiveSets.LiveSet s, String algorithm, byte[] d, String c, Writer out)
            throws IOException {
        line.setLength(0);
        line.append(s.record.name()).append('\t').append(s.info.kind().label()).append('\t')
                .append(algorithm).append('\t').append(HEX.formatHex(d)).append('\t').append(c).append('\n');
        out.append(line);
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
            // One Media per digest, typed as our scan's --vics output is: Category only as a VICS
            // number, any other category in the annotation our importer reads back; SHA-256 as an
            // alternative hash, VICS 2.0 having no property of its own for it.
            for (Algorithm a : Algorithm.values()) {
                digests(s, a, (d, c) -> {
                    ObjectNode o = VicsImporter.JSON.createObjectNode();
                    if (!c.isEmpty()) {
                        if (c.chars().allMatch(Character::isDigit) && c.length() < 10) o.put("Category", Integer.parseInt(c));
                        else o.put(VicsImporter.TRIAGE_CATEGORY, c);
                    }
                    String hex = HEX.formatHex(d).toUpperCase(Locale.ROOT);
                    switch (a) {
                        case MD5 -> o.put("MD5", hex);
                        case SHA1 -> o.put("SHA1", hex);
                        case SHA256 -> o.putArray("AlternativeHashes").addObject().put("HashName", "SHA256").put("HashValue", hex);
                    }
                    out.append(first[0] ? "\n" : ",\n");
                    first[0] = false;
                    out.append(VicsImporter.JSON.writeValueAsString(o));
                });
            }
        }
        out.append("\n]}\n");
    }

    /**
     * hashdeep's known-file format, which hashdeep itself reads ({@code hashdeep -m -k FILE}) only
     * when every line fills every column its one header names. So the columns are size plus the
     * digests every line has: for kept VICS Media, the algorithms all of them carry (else the one
     * most carry, the others' Media left out); for a set of bare digests, which links no digest to
     * another, one algorithm (the one with most digests) and an empty size. Returns what was left out
     * and why, one sentence each, for the command to show.
     */
    List<String> hashdeep(LiveSets.LiveSet s, Writer out) throws IOException, RocksDBException {
        List<String> notes = new ArrayList<>();
        String comment = "## exported by triage from set " + ControlCharacters.scrubbed(s.record.name()) + "\n##\n";
        if (s.record.kept() > 0) {
            long[] has = new long[Algorithm.values().length];
            long[] counts = new long[2]; // Media, Media with a MediaSize
            entries(s, json -> {
                JsonNode m = VicsImporter.JSON.readTree(json);
                counts[0]++;
                if (m.hasNonNull("MediaSize")) counts[1]++;
                for (Algorithm a : Algorithm.values()) {
                    if (digestOf(m, a) != null) has[a.ordinal()]++;
                }
            });
            List<Algorithm> columns = new ArrayList<>();
            for (Algorithm a : Algorithm.values()) {
                if (has[a.ordinal()] == counts[0]) columns.add(a);
            }
            if (columns.isEmpty()) {
                Algorithm most = Algorithm.MD5;
                for (Algorithm a : Algorithm.values()) if (has[a.ordinal()] > has[most.ordinal()]) most = a;
                columns.add(most);
                notes.add(String.format(Locale.ROOT, "%,d of %,d Media left out: they have no %s digest, and hashdeep"
                        + " needs every column on every line", counts[0] - has[most.ordinal()], counts[0], most.id()));
            }
            for (Algorithm a : Algorithm.values()) {
                if (!columns.contains(a) && has[a.ordinal()] > 0) {
                    notes.add(String.format(Locale.ROOT, "%,d %s digest%s left out: not every Media has one, and hashdeep"
                            + " needs every column on every line", has[a.ordinal()], a.id(), has[a.ordinal()] == 1 ? "" : "s"));
                }
            }
            out.append("%%%% HASHDEEP-1.0\n%%%% size,");
            for (Algorithm a : columns) out.append(a.id()).append(',');
            out.append("filename\n").append(comment);
            long[] unsized = {0};
            entries(s, json -> {
                JsonNode m = VicsImporter.JSON.readTree(json);
                StringBuilder line = new StringBuilder(160);
                if (m.hasNonNull("MediaSize") && m.get("MediaSize").canConvertToLong()) line.append(m.get("MediaSize").asLong());
                else unsized[0]++;
                for (Algorithm a : columns) {
                    String d = digestOf(m, a);
                    if (d == null) return;
                    line.append(',').append(d.toLowerCase(Locale.ROOT));
                }
                String name = "";
                JsonNode files = m.get("MediaFiles");
                if (files != null && files.isArray() && files.size() > 0 && files.get(0).hasNonNull("FileName")) {
                    name = ControlCharacters.scrubbed(files.get(0).get("FileName").asText());
                }
                out.append(line).append(',').append(name).append('\n');
            });
            if (unsized[0] > 0) {
                notes.add(String.format(Locale.ROOT, "%,d Media have no MediaSize: their size is left empty, and"
                        + " hashdeep -m reports a file with their digest as a hash collision rather than a match", unsized[0]));
            }
            return notes;
        }
        Algorithm column = Algorithm.MD5;
        for (Algorithm a : Algorithm.values()) if (s.record.count(a) > s.record.count(column)) column = a;
        for (Algorithm a : Algorithm.values()) {
            long n = s.record.count(a);
            if (a != column && n > 0) {
                notes.add(String.format(Locale.ROOT, "%,d %s digest%s left out: this set links no digest to another or to"
                        + " a size, and hashdeep needs every column on every line (the %s digests are written)",
                        n, a.id(), n == 1 ? "" : "s", column.id()));
            }
        }
        if (s.record.count(column) > 0) {
            notes.add("the set has no file sizes: hashdeep -m reports a file with one of these digests as a hash"
                    + " collision rather than a match");
        }
        out.append("%%%% HASHDEEP-1.0\n%%%% size,").append(column.id()).append(",filename\n").append(comment);
        digests(s, column, (d, c) -> out.append(',').append(HEX.formatHex(d)).append(",\n"));
        return notes;
    }

    /** A kept Media's digest of one algorithm (its own property, or an AlternativeHashes element), or null. */
    private static String digestOf(JsonNode m, Algorithm a) {
        String field = switch (a) {
            case MD5 -> "MD5";
            case SHA1 -> "SHA1";
            case SHA256 -> "SHA256";
        };
        JsonNode d = m.get(field);
        if ((d == null || d.isNull()) && m instanceof ObjectNode o) d = VicsImporter.alternative(o, field);
        return d == null || !d.isTextual() || d.asText().isEmpty() ? null : d.asText();
    }

    private static String lower(JsonNode m, String field) {
        return m.hasNonNull(field) ? m.get(field).asText().toLowerCase(java.util.Locale.ROOT) : "";
    }
}
