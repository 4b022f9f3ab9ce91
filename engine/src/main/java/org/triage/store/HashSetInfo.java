package org.triage.store;

import java.time.Instant;
import java.util.Map;
import org.triage.model.Algorithm;
import org.triage.model.SetKind;

/**
 * What the store knows about one imported set: enough to say where it came from.
 *
 * @param name         the set's name
 * @param kind         alert or known-good
 * @param entries      distinct entries, all algorithms together
 * @param byAlgorithm  distinct entries per algorithm
 * @param byCategory   entries per category ("" for none)
 * @param sourceFile   file name the set was imported from
 * @param sourceSha256 SHA-256 of that file, lower-case hex
 * @param format       format the file was read as
 * @param importedAt   when the import finished
 * @param duplicates   lines whose digest repeated an earlier line of the same file
 */
public record HashSetInfo(String name, SetKind kind, long entries, Map<Algorithm, Long> byAlgorithm,
                          Map<String, Long> byCategory, String sourceFile, String sourceSha256,
                          String format, Instant importedAt, long duplicates) {
}
