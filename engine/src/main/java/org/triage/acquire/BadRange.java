package org.triage.acquire;

/**
 * Bytes of the source that could not be read after the retries, down to single sectors: written
 * as zeros, recorded in the image's error list and in the acquisition's log.
 *
 * @param offset first unreadable byte on the source
 * @param length unreadable bytes, whole sectors
 */
public record BadRange(long offset, long length) {
    public BadRange {
        if (offset < 0 || length <= 0) throw new IllegalArgumentException("bad range " + offset + "+" + length);
    }

    public long end() { return offset + length; }
}
