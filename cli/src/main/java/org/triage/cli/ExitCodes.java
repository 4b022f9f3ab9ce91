package org.triage.cli;

/** Exit codes a script can branch on (listed in every command's --help and in the README). */
final class ExitCodes {
    /** Finished; no alert match. */
    static final int CLEAN = 0;
    /** At least one file matched an alert set (takes precedence over unreadable files). */
    static final int ALERT = 1;
    /** Usage or setup error: bad argument, missing or unreadable store, failed import. */
    static final int USAGE = 2;
    /** Finished without an alert match, but some files or evidence items could not be read. */
    static final int INCOMPLETE = 3;
    /** Interrupted (Ctrl-C): the report, if asked for, is marked partial. */
    static final int INTERRUPTED = 130;

    static final String L0 = "0:finished, no alert match";
    static final String L1 = "1:at least one alert match (takes precedence over 3)";
    static final String L2 = "2:usage or setup error (bad argument, missing or unreadable store, failed import)";
    static final String L3 = "3:finished without an alert match, but something could not be read";
    static final String L130 = "130:interrupted";

    private ExitCodes() {
    }
}
