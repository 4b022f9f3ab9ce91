package org.triage.casework;

/**
 * A match or an unreadable entry as the case database holds it (table {@code records}).
 *
 * @param path    the entry's path in the item (archive members as {@code a.zip!/b.jpg})
 * @param size    bytes
 * @param md5     lower-case hex, or null
 * @param sha1    lower-case hex, or null
 * @param sha256  lower-case hex, or null
 * @param matches each set it is in and the entry's category there, "set:category;…" ("" when none)
 * @param error   why it could not be read, or null
 */
public record RecordedEntry(String path, long size, String md5, String sha1, String sha256, String matches, String error) {
}
