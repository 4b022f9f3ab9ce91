package org.triage.model;

/**
 * A running scan's counts at one moment, for progress displays ({@code Scan.progress()}). Counters
 * are read one after another while the scan goes on, so they agree only to within the files in
 * flight.
 *
 * @param files       entries recorded so far
 * @param bytes       content bytes read so far, counted chunk by chunk (a big file shows before it ends)
 * @param alerts      files matching an alert set so far
 * @param errors      entries that could not be read so far
 * @param members     archive members found so far (also counted in {@code files} once recorded)
 * @param expandedBytes bytes decompressed out of archives so far (not in {@code bytes}, which
 *                    counts the evidence read)
 * @param totalFiles  entries of all evidence items, as far as they have been counted
 * @param totalBytes  content bytes of all evidence items' regular files, as far as counted
 * @param totalsKnown true when the totals cover every item (the ETA can be trusted); false while
 *                    they are still being counted, or when the scan counts no totals
 * @param images      disk images found inside the evidence items (in folders, inside images) and
 *                    opened as images so far
 * @param imageEntries entries found in those images so far (also counted in {@code files} once
 *                    recorded; their bytes in {@code bytes}, since they are read from the evidence)
 * @param pictures    pictures handed to the PDQ stage so far (distinct contents; 0 with PDQ off)
 * @param picturesDone of those, pictures PDQ-hashed (or failed) so far; after an item's crypto pass
 *                    the stage drains, and this is what moves
 */
public record Progress(long files, long bytes, long alerts, long errors, long members, long expandedBytes,
                       long totalFiles, long totalBytes, boolean totalsKnown, long images, long imageEntries,
                       long pictures, long picturesDone) {

    /** Before the scan has started. */
    public static final Progress NONE = new Progress(0, 0, 0, 0, 0, 0, 0, 0, false, 0, 0, 0, 0);

    /** Share of the total bytes read, 0 to 1; NaN while the totals are not known or are zero. */
    public double fractionDone() {
        return totalsKnown && totalBytes > 0 ? Math.min(1.0, (double) bytes / totalBytes) : Double.NaN;
    }
}
