package org.triage.store;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import org.triage.model.Algorithm;
import org.triage.model.SetKind;

/**
 * What one import of a hash list did.
 *
 * @param name         the set's name
 * @param kind         alert or known-good
 * @param byAlgorithm  distinct digests stored per algorithm (algorithms without any are absent)
 * @param duplicates   lines whose digest repeated an earlier line of the file (stored once, the first
 *                     line's category kept)
 * @param linesRead    lines in the file, blank and comment lines included
 * @param sourceSha256 SHA-256 of the file as read, lower-case hex
 * @param replaced     true when a set of the same name existed and was replaced
 * @param elapsed      wall-clock time of the whole import
 */
public record ImportSummary(String name, SetKind kind, Map<Algorithm, Long> byAlgorithm, long duplicates,
                            long linesRead, String sourceSha256, boolean replaced, Duration elapsed) {

    public ImportSummary {
        EnumMap<Algorithm, Long> copy = new EnumMap<>(Algorithm.class);
        copy.putAll(byAlgorithm);
        byAlgorithm = Collections.unmodifiableMap(copy);
    }

    /** Distinct digests stored, all algorithms together. */
    public long entries() {
        long n = 0;
        for (long c : byAlgorithm.values()) n += c;
        return n;
    }
}
