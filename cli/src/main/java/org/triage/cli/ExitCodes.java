package org.triage.cli;

/** Exit codes a script can branch on (listed in every command's --help and in the README). */
final class ExitCodes {
    /** Finished; no alert match. */
    static final int CLEAN = 0;
    /** At least one file matched an alert set (takes precedence over unreadable files and unwritten outputs). */
    static final int ALERT = 1;
    /**
     * Usage or setup error: bad argument, missing or unreadable store, failed import, an output that
     * cannot be written (refused at start), or, for a scan without an alert match, an output (report,
     * listing, VICS file) that could not be written at the end: what was asked for is missing.
     */
    static final int USAGE = 2;
    /** Finished without an alert match, but some files or evidence items could not be read. */
    static final int INCOMPLETE = 3;
    /** Interrupted (Ctrl-C): the report, if asked for, is marked partial. */
    static final int INTERRUPTED = 130;

    // Each command lists only the failures it can have: a scan never imports, info never writes.
    static final String L0 = "0:finished, no alert match";
    static final String L1 = "1:at least one alert match (takes precedence over 2 and 3)";
    /** For the commands that import (hashset, demo). */
    static final String L2 = "2:usage or setup error (bad argument, missing or unreadable store, failed import)";
    /** For the umbrella command: any of its commands' failures. */
    static final String L2_ALL = "2:usage or setup error (bad argument, missing or unreadable store, failed import,"
            + " an output that cannot be written)";
    static final String L2_SCAN = "2:usage or setup error (bad argument, missing, damaged or unreadable store, a store"
            + " without an alert set, an output that"
            + " cannot be written); also when, without an alert match, the report, listing or VICS file could not be"
            + " written at the end";
    /** For commands that read a store and change nothing: hashset info, export. */
    static final String L2_STORE = "2:usage error, or a missing or unreadable store";
    /** hashset remove. */
    static final String L2_REMOVE = "2:usage error, no such set, or a missing or unreadable store";
    /** bench: it builds its own corpus and store. */
    static final String L2_BENCH = "2:usage or setup error (bad argument, a corpus or store that cannot be made)";
    static final String L3 = "3:finished without an alert match, but something could not be read";
    /** rematch: it reads listings, not evidence. */
    static final String L2_REMATCH = "2:usage or setup error (bad argument, a listing that does not exist, missing, damaged"
            + " or unreadable store, a store without an alert set, a report that cannot be written)";
    static final String L3_REMATCH = "3:finished without an alert match, but an item is not known to have been read whole"
            + " (its scan could not read something, was interrupted or killed; the listing is cut, damaged or has no header)";
    static final String L130 = "130:interrupted";

    /**
     * The one precedence every triage (scan, acquire --db) exits by: interrupted (the result is
     * partial, whatever it holds), then an alert match (what the examiner must act on, even when
     * something is missing), then an output that could not be written (what was asked for is
     * missing), then something unreadable (a file, an item, or for acquire a bad sector), else clean.
     */
    static int of(boolean interrupted, boolean alert, boolean outputFailed, boolean unreadable) {
        if (interrupted) return INTERRUPTED;
        if (alert) return ALERT;
        if (outputFailed) return USAGE;
        if (unreadable) return INCOMPLETE;
        return CLEAN;
    }

    private ExitCodes() {
    }
}
