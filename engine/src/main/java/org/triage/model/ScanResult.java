package org.triage.model;

import java.time.Instant;
import java.util.List;

/**
 * The outcome of a scan.
 *
 * @param evidence      one summary per evidence item, most urgent first (rank 1)
 * @param algorithms    algorithms computed
 * @param addedForStore algorithms computed only because the store holds such digests
 * @param startedAt     start of the scan
 * @param finishedAt    end of the scan
 * @param interrupted   true when the scan was stopped before it finished: the result is partial
 * @param notes         what the examiner should know about how the scan was run (an item named twice and
 *                      scanned once), one sentence each
 * @param pdq           whether pictures were PDQ-hashed and why; null where no scan decided it (a re-match)
 */
public record ScanResult(List<EvidenceSummary> evidence, List<Algorithm> algorithms, List<Algorithm> addedForStore,
                         Instant startedAt, Instant finishedAt, boolean interrupted, List<String> notes,
                         PdqUse pdq) {

    public ScanResult {
        notes = List.copyOf(notes);
    }

    /** A result that says nothing of PDQ. */
    public ScanResult(List<EvidenceSummary> evidence, List<Algorithm> algorithms, List<Algorithm> addedForStore,
                      Instant startedAt, Instant finishedAt, boolean interrupted, List<String> notes) {
        this(evidence, algorithms, addedForStore, startedAt, finishedAt, interrupted, notes, null);
    }

    /** A result with nothing to note. */
    public ScanResult(List<EvidenceSummary> evidence, List<Algorithm> algorithms, List<Algorithm> addedForStore,
                      Instant startedAt, Instant finishedAt, boolean interrupted) {
        this(evidence, algorithms, addedForStore, startedAt, finishedAt, interrupted, List.of());
    }

    public boolean anyAlert() {
        return evidence.stream().anyMatch(e -> e.alertFiles() > 0);
    }

    /** True when something could not be read, or an item was not (fully) examined. */
    public boolean anyUnreadable() {
        return evidence.stream().anyMatch(e -> e.unreadable() > 0 || e.error() != null
                || e.priority() == Priority.UNKNOWN || e.priority() == Priority.INCOMPLETE);
    }
}
