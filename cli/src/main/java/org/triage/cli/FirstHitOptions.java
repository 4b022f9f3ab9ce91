package org.triage.cli;

import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code --first-hit} and {@code --stop-after N}, the same on {@code triage scan} and {@code triage
 * case run}: stop each item at its first (N-th) file matching known material of a category that
 * raises priority. A picocli mixin; read once the command line is parsed.
 */
final class FirstHitOptions {
    @Option(names = "--first-hit", description = "Stop each item at its first file matching known material of a category"
            + " that raises priority (likely pictures and videos are read first): the item is HIGH at once and partial,"
            + " said in its reason; the scan goes on to the next item.")
    boolean firstHit;

    @Option(names = "--stop-after", paramLabel = "N", description = "As --first-hit, at the N-th such file.")
    Integer stopAfter;

    /** 1 for --first-hit, N for --stop-after N, 0 for neither. */
    int matches(CommandLine cl) {
        if (firstHit && stopAfter != null) {
            throw new CommandLine.ParameterException(cl, "--first-hit is --stop-after 1: give one of them");
        }
        if (stopAfter != null && stopAfter < 1) {
            throw new CommandLine.ParameterException(cl, "--stop-after must be at least 1, was " + stopAfter);
        }
        return firstHit ? 1 : stopAfter == null ? 0 : stopAfter;
    }

    /** The option as given, for a message. */
    String given() { return firstHit ? "--first-hit" : "--stop-after"; }
}
