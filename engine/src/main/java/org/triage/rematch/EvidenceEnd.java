package org.triage.rematch;

import org.triage.model.ImageInfo;

/**
 * An evidence item's end line in an all-files listing: what the original scan knew of the item as
 * a whole. Its presence proves the scan finished with the item; {@code files} lets the re-match
 * prove that no entry line of it went missing since.
 *
 * @param source         the evidence item as named in the scan
 * @param takenAs        "directory", "disk image", "device", "file", or null when it could not be opened
 * @param takenNote      why it was taken so, or null
 * @param files          entries the scan recorded for the item
 * @param bytes          content bytes the scan read
 * @param seconds        time the scan spent on it
 * @param interrupted    the scan was stopped before it finished the item
 * @param error          why the item could not be opened at all, or null
 * @param atimePreserved the scan's access-time verdict, null when the item was not opened
 * @param atimeNote      why access times moved, or null
 * @param priority       the priority the original scan gave (with its store), for the record only
 * @param reason         the original scan's reason, for the record only
 * @param image          the image facts, or null
 */
record EvidenceEnd(String source, String takenAs, String takenNote, long files, long bytes, double seconds,
                   boolean interrupted, String error, Boolean atimePreserved, String atimeNote, String priority,
                   String reason, ImageInfo image) {
}
