package org.triage.model;

import java.time.Instant;
import java.util.Map;

/**
 * What the store knows about one imported set: enough to say where it came from (provenance, so
 * a result can be defended).
 *
 * @param name         the set's name
 * @param kind         alert or known-good
 * @param entries      distinct digests, all algorithms together
 * @param byAlgorithm  distinct digests per algorithm
 * @param byCategory   digests per category ("" for none)
 * @param sourceFile   file name the set was imported from
 * @param sourceSha256 SHA-256 of that file, lower-case hex
 * @param format       format the file was read as (vics-2.0, vics-1.3, nsrl-rds3-sqlite, nsrl-rds2-csv, hashdeep, plain)
 * @param importedAt   when the import finished
 * @param duplicates   digests that repeated an earlier one of the same file
 * @param sourceSize   size of the source file in bytes
 * @param sourceEntries lines, rows or Media objects read from the source
 * @param kept         source entries kept whole for export (VICS Media objects), 0 for other formats
 * @param toolVersion  version of the tool that imported it
 * @param pdq          distinct PDQ hashes (perceptual, matched by distance; not counted in {@code byAlgorithm})
 */
public record HashSetInfo(String name, SetKind kind, long entries, Map<Algorithm, Long> byAlgorithm,
                          Map<String, Long> byCategory, String sourceFile, String sourceSha256,
                          String format, Instant importedAt, long duplicates, long sourceSize, long sourceEntries,
                          long kept, String toolVersion, long pdq) {
}
