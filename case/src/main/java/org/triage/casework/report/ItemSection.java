package org.triage.casework.report;

import org.triage.casework.QueueEntry;

/**
 * One evidence item of the case as the reports show it: its place in the ranked queue (with the
 * reason in the words {@code case status} prints) and its identity as the audit trail recorded it.
 *
 * @param entry       the item's rank, level, reason, state and counts
 * @param imageMd5    for an image or device read with {@code --verify}: the media's MD5, else null
 * @param imageSha1   likewise the SHA-1, else null
 * @param storedMd5   an EWF image's acquisition MD5, else null
 * @param listing     the listing the entries were read from (relative to the case), or null when none
 * @param listingNote why the listing could not be read (then the matches come from the case
 *                    database's records only), or null
 */
public record ItemSection(QueueEntry entry, String imageMd5, String imageSha1, String storedMd5, String listing,
                          String listingNote) {
}
