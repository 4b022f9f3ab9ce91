package org.triage.casework;

import java.time.Instant;

/**
 * An item's state as the case database holds it: what the queue is ranked from.
 *
 * @param item        the item
 * @param state       "queued" (never scanned, or to be scanned again), "running" (a run holds it,
 *                    or held it when it was killed), "finished", "interrupted" (Ctrl-C) or "partial"
 *                    (stopped on purpose at its first hit, {@code --first-hit}; {@code case run --full} finishes it)
 * @param run         the run that scanned it last, 0 when none
 * @param startedAt   when that run started it, or null
 * @param finishedAt  when it ended, or null
 * @param counts      what is known of its files so far
 * @param bytesRead   content bytes read so far
 * @param totalBytes  content bytes of the item as far as counted
 * @param totalsKnown whether {@code totalBytes} is the whole item (for a percentage and an ETA)
 * @param priority    the engine's priority when the scan ended ("high", "unknown", "incomplete",
 *                    "low"), null before
 * @param reason      the engine's reason, null before
 * @param report      the report of the last run, relative to the case directory, or null
 * @param reportSha256 its SHA-256, or null
 * @param listing     the all-files listing of the last run, relative, or null
 * @param error       why the last run could not finish the item (its report could not be written), or null
 */
public record ItemState(CaseItem item, String state, long run, Instant startedAt, Instant finishedAt, ItemCounts counts,
                        long bytesRead, long totalBytes, boolean totalsKnown, String priority, String reason,
                        String report, String reportSha256, String listing, String error) {
    public static final String QUEUED = "queued";
    public static final String RUNNING = "running";
    public static final String FINISHED = "finished";
    public static final String INTERRUPTED = "interrupted";
    public static final String PARTIAL = "partial";

    /** Whether {@code case run} has nothing left to do for this item: read to the end, and opened. */
    public boolean done() {
        return FINISHED.equals(state) && !"unknown".equals(priority) && error == null;
    }

    /** Whether a first-hit run stopped it on purpose: a plain {@code case run} leaves it, {@code --full} finishes it. */
    public boolean partial() {
        return PARTIAL.equals(state) && error == null;
    }
}
