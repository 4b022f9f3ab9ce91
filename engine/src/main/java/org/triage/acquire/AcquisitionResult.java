package org.triage.acquire;

import java.util.List;

/**
 * How an acquisition ended.
 *
 * @param size       bytes on the source
 * @param bytesRead  bytes passed to the sinks (the source's size when complete, else where it stopped)
 * @param complete   whether every byte was passed (false when stopped)
 * @param unreadable the sector ranges that were written as zeros, in source order
 */
public record AcquisitionResult(long size, long bytesRead, boolean complete, List<BadRange> unreadable) {
    public AcquisitionResult {
        unreadable = List.copyOf(unreadable);
    }
}
