package org.triage.cli;

import java.nio.file.Path;
import org.triage.priority.CategoryTable;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The lab's category table ({@code --categories}), which decides what raises an item's priority:
 * one picocli mixin for the commands that rank (through {@link MatchOptions}: scan and acquire; and
 * rematch).
 */
final class CategoryOptions {
    @Option(names = "--categories", paramLabel = "FILE", description = "The lab's category table, added to the built-in one:"
            + " one row per line, tab-separated columns category, label, severity, raises (yes or no) and optionally scheme.")
    Path categories;

    /**
     * The category table: the lab's, added to the built-in one. It goes to the scan, the VICS
     * writer and the summary, never through a system property, so that scans in one JVM (tests, an
     * embedding service) do not share it.
     *
     * @throws CommandLine.ParameterException naming the table and what is wrong in it
     */
    CategoryTable table(CommandLine cl) {
        try {
            return categories != null ? CategoryTable.load(categories) : CategoryTable.defaults();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, (categories != null ? "--categories: " : "category table: ") + e.getMessage());
        }
    }
}
