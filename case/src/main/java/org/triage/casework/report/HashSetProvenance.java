package org.triage.casework.report;

/**
 * Where a hash set the case was matched against came from, as a run's {@code run-started} audit
 * entry recorded it: what makes a match defensible months later.
 *
 * @param name         the set's name
 * @param kind         alert or known-good
 * @param entries      distinct digests
 * @param sourceFile   the file it was imported from
 * @param sourceSha256 that file's SHA-256
 * @param sourceSize   its size in bytes, -1 when not recorded
 * @param format       the format it was read as
 * @param importedAt   when the import finished, ISO-8601, or null
 * @param importedBy   the tool and version that imported it, or null
 * @param runs         the case's runs that matched against this import of the set, e.g. "1, 2"
 */
public record HashSetProvenance(String name, String kind, long entries, String sourceFile, String sourceSha256,
                                long sourceSize, String format, String importedAt, String importedBy, String runs) {
}
