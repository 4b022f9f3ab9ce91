package org.triage.store;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.triage.model.Algorithm;
import org.triage.model.SetKind;

/**
 * One set as stored (JSON) in the meta column family under {@code set/<id>}. Algorithms are keyed by
 * {@link Algorithm#id()}, the kind by {@link SetKind#label()} and the time as ISO-8601, so the record
 * reads the same in any tool and needs no Jackson modules.
 *
 * @param id           the set id, the first 4 bytes of each of this set's value records
 * @param name         the set's name
 * @param kind         {@link SetKind#label()}
 * @param entries      distinct digests, all algorithms together
 * @param byAlgorithm  distinct digests per algorithm id
 * @param byCategory   digests per category ("" for none)
 * @param categories   the set's categories as the source wrote them; category code c is element c-1
 * @param sourceFile   file name the set was imported from
 * @param sourceSize   that file's size in bytes
 * @param sourceSha256 SHA-256 of that file, lower-case hex
 * @param format       format the file was read as (vics-2.0, nsrl-rds3-sqlite, hashdeep, plain…)
 * @param importedAt   ISO-8601 instant the import finished
 * @param duplicates   digests that repeated an earlier one of the same file
 * @param linesRead    lines (rows, Media objects) in the file
 * @param kept         source entries kept whole for export (VICS Media objects)
 * @param toolVersion  the version of triage that imported it
 */
@JsonPropertyOrder({"id", "name", "kind", "entries", "byAlgorithm", "byCategory", "categories", "sourceFile",
        "sourceSize", "sourceSha256", "format", "importedAt", "duplicates", "linesRead", "kept", "toolVersion"})
record SetRecord(int id, String name, String kind, long entries, Map<String, Long> byAlgorithm,
                 Map<String, Long> byCategory, List<String> categories, String sourceFile, long sourceSize,
                 String sourceSha256, String format, String importedAt, long duplicates, long linesRead, long kept,
                 String toolVersion) {

    SetRecord {
        if (categories == null) categories = List.of();
        if (byCategory == null) byCategory = Map.of();
        if (byAlgorithm == null) byAlgorithm = Map.of();
    }

    /**
     * Reads a record from its JSON tree. Written out rather than left to Jackson's data binding,
     * whose first use (introspecting the record) took about 40 ms of every scan's start-up; the
     * JSON is the same. Absent fields read as 0 or null, unknown ones are ignored.
     */
    static SetRecord fromJson(JsonNode n) {
        return new SetRecord(n.path("id").asInt(), text(n, "name"), text(n, "kind"), n.path("entries").asLong(),
                counts(n.path("byAlgorithm")), counts(n.path("byCategory")), strings(n.path("categories")),
                text(n, "sourceFile"), n.path("sourceSize").asLong(), text(n, "sourceSha256"), text(n, "format"),
                text(n, "importedAt"), n.path("duplicates").asLong(), n.path("linesRead").asLong(), n.path("kept").asLong(),
                text(n, "toolVersion"));
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Map<String, Long> counts(JsonNode n) {
        Map<String, Long> out = new LinkedHashMap<>();
        n.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asLong()));
        return out;
    }

    private static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.forEach(v -> out.add(v.isNull() ? null : v.asText()));
        return out;
    }

    SetKind setKind() { return SetKind.parse(kind); }

    long count(Algorithm a) {
        Long n = byAlgorithm.get(a.id());
        return n == null ? 0 : n;
    }

    HashSetInfo info() {
        EnumMap<Algorithm, Long> algorithms = new EnumMap<>(Algorithm.class);
        for (Algorithm a : Algorithm.values()) {
            if (count(a) > 0) algorithms.put(a, count(a));
        }
        return new HashSetInfo(name, setKind(), entries, Collections.unmodifiableMap(algorithms),
                Collections.unmodifiableMap(new LinkedHashMap<>(byCategory)), sourceFile, sourceSha256, format,
                Instant.parse(importedAt), duplicates, sourceSize, linesRead, kept, toolVersion);
    }
}
