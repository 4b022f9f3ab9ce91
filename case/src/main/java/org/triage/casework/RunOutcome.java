package org.triage.casework;

import java.util.List;

/**
 * The end of a case run.
 *
 * @param run         the run's id (0 when there was nothing to run)
 * @param scanned     items read in this run
 * @param interrupted true when the run was stopped: items not started stay queued
 * @param failures    what could not be written (a report, the database), one sentence each
 */
public record RunOutcome(long run, int scanned, boolean interrupted, List<String> failures) {
    public RunOutcome {
        failures = List.copyOf(failures);
    }
}
