package org.triage.casework;

import java.nio.file.Path;

/**
 * Where each part of a case lives inside its directory (docs/case-layout.md). Only paths: nothing
 * here touches the file system.
 *
 * @param dir the case directory
 */
public record CaseLayout(Path dir) {
    public CaseLayout {
        dir = dir.toAbsolutePath().normalize();
    }

    /** The case's state: SQLite. */
    public Path database() { return dir.resolve("case.db"); }

    /** The append-only audit trail, one JSON object per line. */
    public Path audit() { return dir.resolve("audit.jsonl"); }

    /** Held (fcntl lock) by the one process that runs the case's scans. */
    public Path runLock() { return dir.resolve("run.lock"); }

    /** Per item and run: the JSON report. */
    public Path reports() { return dir.resolve("reports"); }

    /** Per item and run: the all-files listing, written as the scan goes. */
    public Path listings() { return dir.resolve("listings"); }

    /** The report of one item's run, e.g. {@code reports/item-3-run-2.json}. */
    public Path report(long item, long run) { return reports().resolve("item-" + item + "-run-" + run + ".json"); }

    /** The listing of one item's run. */
    public Path listing(long item, long run) { return listings().resolve("item-" + item + "-run-" + run + ".jsonl"); }

    /** A path inside the case as the audit trail and the database name it: relative, '/'-separated. */
    public String relative(Path p) {
        return dir.relativize(p.toAbsolutePath().normalize()).toString();
    }
}
