package org.triage.casework;

/**
 * A case run at one moment, for a progress line.
 *
 * @param done        items with nothing left to do (before this run or in it)
 * @param running     items being read
 * @param queued      items waiting in this run
 * @param bytes       content bytes read in this run
 * @param totalBytes  content bytes this run will read, as far as known
 * @param uncounted   items whose size is not counted yet (a directory's is known only once its
 *                    scan has counted it): {@code totalBytes} is complete when there are none
 * @param alerts      alert matches in this run so far
 * @param unreadable  entries that could not be read in this run so far
 */
public record CaseProgress(int done, int running, int queued, long bytes, long totalBytes, int uncounted,
                           long alerts, long unreadable) {

    /** Whether {@code totalBytes} is the whole run's. */
    public boolean totalsKnown() { return uncounted == 0; }
}
