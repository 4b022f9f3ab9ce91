package org.triage.store;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.triage.model.Algorithm;
import org.triage.model.SetKind;

/**
 * One set as stored (JSON) in the meta column family under {@code set/<id>}. Algorithms are keyed by
 * {@link Algorithm#id()}, the kind by {@link SetKind#label()} and the time as ISO-8601, so the record
 * reads the same in any tool and needs no Jackson modules.
 *
 * @param id           the set id, the 4 bytes after the digest in every key of this set
 * @param name         the set's name
 * @param kind         {@link SetKind#label()}
 * @param entries      distinct entries, all algorithms together
 * @param byAlgorithm  distinct entries per algorithm id
 * @param byCategory   entries per category ("" for none)
 * @param sourceFile   file name the set was imported from
 * @param sourceSha256 SHA-256 of that file, lower-case hex
 * @param format       format the file was read as
 * @param importedAt   ISO-8601 instant the import finished
 * @param duplicates   lines whose digest repeated an earlier line
 * @param linesRead    lines in the file
 */
@JsonPropertyOrder({"id", "name", "kind", "entries", "byAlgorithm", "byCategory", "sourceFile", "sourceSha256",
        "format", "importedAt", "duplicates", "linesRead"})
record SetRecord(int id, String name, String kind, long entries, Map<String, Long> byAlgorithm,
                 Map<String, Long> byCategory, String sourceFile, String sourceSha256, String format,
                 String importedAt, long duplicates, long linesRead) {

    static final String FORMAT_HASH_LIST = "hash-list";

    /**
     * The record of a set about to be committed.
     *
     * @param orders per algorithm, the indices of the distinct digests in the list's tables
     */
    static SetRecord of(int id, String name, SetKind kind, Path file, HashListImporter.HashList list,
                        Map<Algorithm, int[]> orders, long duplicates, Instant importedAt) {
        Map<String, Long> byAlgorithm = new TreeMap<>();
        long[] perCategory = new long[list.categories().size()];
        long entries = 0;
        for (Map.Entry<Algorithm, int[]> e : orders.entrySet()) {
            int[] order = e.getValue();
            if (order.length == 0) continue;
            byAlgorithm.put(e.getKey().id(), (long) order.length);
            entries += order.length;
            DigestTable table = list.tables().get(e.getKey());
            for (int idx : order) perCategory[table.category(idx)]++;
        }
        Map<String, Long> byCategory = new TreeMap<>();
        for (int c = 0; c < perCategory.length; c++) {
            if (perCategory[c] > 0) byCategory.put(list.categories().get(c), perCategory[c]);
        }
        Path fileName = file.getFileName();
        return new SetRecord(id, name, kind.label(), entries, byAlgorithm, byCategory,
                fileName == null ? file.toString() : fileName.toString(), list.sha256(), FORMAT_HASH_LIST,
                importedAt.toString(), duplicates, list.lines());
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
                Instant.parse(importedAt), duplicates);
    }
}
