package org.triage.model;

import java.util.List;

/**
 * One all-files listing as a re-match read it: the file, its SHA-256 (of every byte read, computed
 * in the same pass), what its header says of the scan that wrote it, and what could not be read.
 *
 * @param file       the listing as named
 * @param sha256     SHA-256 of the listing's bytes, lower-case hex
 * @param bytes      the listing's size as read
 * @param lines      lines read (an unterminated last line counts)
 * @param entries    entry lines taken
 * @param header     the listing's header, or null when it has none (a listing written before
 *                   headers: the scan's time, tool and completeness are unknown)
 * @param linesLost  lines that could not be taken (malformed, cut short)
 * @param problems   the first of them, by line number (at most {@link #PROBLEMS_KEPT})
 */
public record ListingProvenance(String file, String sha256, long bytes, long lines, long entries, ListingHeader header,
                                long linesLost, List<LineProblem> problems) {
    public static final int PROBLEMS_KEPT = 100;

    public ListingProvenance {
        problems = List.copyOf(problems);
    }

    /** A line of a listing that could not be taken, and why. */
    public record LineProblem(long line, String error) {
    }
}
