package org.triage.store;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.triage.model.Algorithm;
import org.triage.model.SetKind;

/**
 * What one import of a hash-set file did.
 *
 * @param name         the set's name
 * @param kind         alert or known-good
 * @param byAlgorithm  distinct digests stored per algorithm (algorithms without any are absent)
 * @param duplicates   digests that repeated an earlier one of the file (stored once, the first kept)
 * @param linesRead    entries read from the file: digest-bearing lines (no header, comment or blank line), rows, Media objects
 * @param sourceSha256 SHA-256 of the file as read, lower-case hex
 * @param replaced     true when a set of the same name existed and was replaced
 * @param elapsed      wall-clock time of the whole import
 * @param format       the format read (vics-2.0, nsrl-rds3-sqlite, …)
 * @param unchanged    true when the set already held this very file (same name, same SHA-256, same
 *                     kind, format and default category): nothing was done
 * @param sameSource   other live sets imported from a file with the same SHA-256 (a second name for
 *                     the same list is allowed, but worth a word)
 * @param pdq          distinct PDQ hashes stored (not in {@code byAlgorithm}: PDQ is no digest algorithm)
 */
public record ImportSummary(String name, SetKind kind, Map<Algorithm, Long> byAlgorithm, long duplicates,
                            long linesRead, String sourceSha256, boolean replaced, Duration elapsed, String format,
                            boolean unchanged, List<String> sameSource, List<String> warnings, long pdq) {

    public ImportSummary {
        EnumMap<Algorithm, Long> copy = new EnumMap<>(Algorithm.class);
        copy.putAll(byAlgorithm);
        byAlgorithm = Collections.unmodifiableMap(copy);
        sameSource = sameSource == null ? List.of() : List.copyOf(sameSource);
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    /** Distinct digests and PDQ hashes stored, all algorithms together. */
    public long entries() {
        long n = pdq;
        for (long c : byAlgorithm.values()) n += c;
        return n;
    }
}
