package org.triage.casework;

/**
 * How one item's scan in a run ended, as the database and the audit trail keep it.
 *
 * @param state         {@link ItemState#FINISHED} or {@link ItemState#INTERRUPTED}
 * @param priority      the engine's priority label
 * @param reason        the engine's reason in words
 * @param report        the report, relative to the case directory; null when it could not be written
 * @param reportSha256  its SHA-256, or null
 * @param listingSha256 the all-files listing's SHA-256, or null
 * @param error         why the report could not be written, or null
 */
public record ItemOutcome(String state, String priority, String reason, String report, String reportSha256,
                          String listingSha256, String error) {
}
