package org.triage.model;

import java.time.Instant;

/**
 * A regular file that changed while it was read: its size and modification time on the open
 * descriptor before the first read and after the last. The bytes read are then of no state the
 * file ever had, so such a file is recorded unreadable, without digests.
 *
 * @param sizeBefore  st_size before the first read
 * @param mtimeBefore st_mtime before the first read
 * @param sizeAfter   st_size after the last read
 * @param mtimeAfter  st_mtime after the last read
 * @param bytesRead   bytes read in between
 */
public record ContentChange(long sizeBefore, Instant mtimeBefore, long sizeAfter, Instant mtimeAfter, long bytesRead) {

    /** "size 67108864 -> 33554432, modified 2024-…Z -> 2024-…Z; 4194304 bytes read": for the record's error. */
    public String describe() {
        return "size " + sizeBefore + " -> " + sizeAfter + ", modified " + mtimeBefore + " -> " + mtimeAfter
                + "; " + bytesRead + " bytes read";
    }
}
