package org.triage.store;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.triage.model.Algorithm;
import org.triage.model.HashSetInfo;
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
 * @param linesRead    entries read from the file: digest-bearing lines (no header, comment or blank line), rows, Media objects
 * @param kept         source entries kept whole for export (VICS Media objects)
 * @param toolVersion  the version of triage that imported it
 * @param defaultCategory the category given for entries that carry none, or null; part of what
 *                     makes a re-import "the same" (absent in records written before it existed: null)
 * @param keepTrivial  whether trivial digests were kept ({@code --keep-trivial}); null in records
 *                     written before trivial digests were left out (such a set is not "the same" as a new import)
 * @param categoryColumn what a plain list's second column was taken as ({@link CategoryColumn#label()}); null
 *                     in older records
 */
@JsonPropertyOrder({"id", "name", "kind", "entries", "byAlgorithm", "byCategory", "categories", "sourceFile",
        "sourceSize", "sourceSha256", "format", "importedAt", "duplicates", "linesRead", "kept", "toolVersion",
        "defaultCategory", "keepTrivial", "categoryColumn"})
record SetRecord(int id, String name, String kind, long entries, Map<String, Long> byAlgorithm,
                 Map<String, Long> byCategory, List<String> categories, String sourceFile, long sourceSize,
                 String sourceSha256, String format, String importedAt, long duplicates, long linesRead, long kept,
                 String toolVersion, String defaultCategory, Boolean keepTrivial, String categoryColumn) {

    SetRecord {
        if (categories == null) categories = List.of();
        if (byCategory == null) byCategory = Map.of();
        if (byAlgorithm == null) byAlgorithm = Map.of();
    }

    private static final JsonFactory JSON = new JsonFactory();
    /** The key of the PDQ count in {@code byAlgorithm}. */
    static final String PDQ = "pdq";

    /**
     * Reads a record from its JSON with jackson-core's streaming parser. Written out rather than
     * left to Jackson's data binding, whose first use (an ObjectMapper, introspecting the record)
     * took 40-50 ms of every scan's start-up; the JSON is the same. Absent fields read as 0 or null,
     * unknown ones are skipped.
     */
    static SetRecord fromJson(byte[] json) throws IOException {
        int id = 0;
        long entries = 0, sourceSize = 0, duplicates = 0, linesRead = 0, kept = 0;
        String name = null, kind = null, sourceFile = null, sourceSha256 = null, format = null, importedAt = null,
                toolVersion = null, defaultCategory = null, categoryColumn = null;
        Boolean keepTrivial = null;
        Map<String, Long> byAlgorithm = null, byCategory = null;
        List<String> categories = null;
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw new IOException("a set record is not a JSON object");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                switch (field) {
                    case "id" -> id = p.getValueAsInt();
                    case "name" -> name = p.getValueAsString();
                    case "kind" -> kind = p.getValueAsString();
                    case "entries" -> entries = p.getValueAsLong();
                    case "byAlgorithm" -> byAlgorithm = counts(p, t);
                    case "byCategory" -> byCategory = counts(p, t);
                    case "categories" -> categories = strings(p, t);
                    case "sourceFile" -> sourceFile = p.getValueAsString();
                    case "sourceSize" -> sourceSize = p.getValueAsLong();
                    case "sourceSha256" -> sourceSha256 = p.getValueAsString();
                    case "format" -> format = p.getValueAsString();
                    case "importedAt" -> importedAt = p.getValueAsString();
                    case "duplicates" -> duplicates = p.getValueAsLong();
                    case "linesRead" -> linesRead = p.getValueAsLong();
                    case "kept" -> kept = p.getValueAsLong();
                    case "toolVersion" -> toolVersion = p.getValueAsString();
                    case "defaultCategory" -> defaultCategory = t == JsonToken.VALUE_NULL ? null : p.getValueAsString();
                    case "keepTrivial" -> keepTrivial = t == JsonToken.VALUE_NULL ? null : p.getValueAsBoolean();
                    case "categoryColumn" -> categoryColumn = t == JsonToken.VALUE_NULL ? null : p.getValueAsString();
                    default -> p.skipChildren();
                }
            }
        }
        return new SetRecord(id, name, kind, entries, byAlgorithm, byCategory, categories, sourceFile, sourceSize,
                sourceSha256, format, importedAt, duplicates, linesRead, kept, toolVersion, defaultCategory, keepTrivial,
                categoryColumn);
    }

    private static Map<String, Long> counts(JsonParser p, JsonToken t) throws IOException {
        if (t != JsonToken.START_OBJECT) {
            p.skipChildren();
            return null;
        }
        Map<String, Long> out = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            p.nextToken();
            out.put(key, p.getValueAsLong());
        }
        return out;
    }

    private static List<String> strings(JsonParser p, JsonToken t) throws IOException {
        if (t != JsonToken.START_ARRAY) {
            p.skipChildren();
            return null;
        }
        List<String> out = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) out.add(p.getValueAsString());
        return out;
    }

    SetKind setKind() { return SetKind.parse(kind); }

    long count(Algorithm a) {
        Long n = byAlgorithm.get(a.id());
        return n == null ? 0 : n;
    }

    /** Distinct PDQ hashes, kept in {@code byAlgorithm} under {@value #PDQ} (no {@link Algorithm} is PDQ). */
    long pdqCount() {
        Long n = byAlgorithm.get(PDQ);
        return n == null ? 0 : n;
    }

    HashSetInfo info() {
        EnumMap<Algorithm, Long> algorithms = new EnumMap<>(Algorithm.class);
        for (Algorithm a : Algorithm.values()) {
            if (count(a) > 0) algorithms.put(a, count(a));
        }
        return new HashSetInfo(name, setKind(), entries, Collections.unmodifiableMap(algorithms),
                Collections.unmodifiableMap(new LinkedHashMap<>(byCategory)), sourceFile, sourceSha256, format,
                Instant.parse(importedAt), duplicates, sourceSize, linesRead, kept, toolVersion, pdqCount());
    }
}
