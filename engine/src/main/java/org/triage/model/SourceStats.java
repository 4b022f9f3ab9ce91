package org.triage.model;

import java.time.Instant;

/**
 * How reading one evidence item went, as the pipeline measured it.
 *
 * @param source      the evidence item as given
 * @param startedAt   when reading started
 * @param finishedAt  when its last record was made
 * @param bytesRead   content bytes read and hashed (hard links once)
 * @param interrupted true when the scan was stopped before the walk finished
 * @param error       why the evidence item could not be opened or walked, or null
 */
public record SourceStats(String source, Instant startedAt, Instant finishedAt, long bytesRead,
                          boolean interrupted, String error) {

    public double seconds() {
        return Math.max(0, java.time.Duration.between(startedAt, finishedAt).toNanos() / 1e9);
    }
}
