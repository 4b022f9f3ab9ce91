package org.triage.cli;

import picocli.CommandLine.Option;

/**
 * Who the work is for and by whom: one picocli mixin for {@code triage scan}, {@code triage rematch}
 * and {@code triage acquire}, so that the three name the case and the examiner with the same words.
 * Both go into the report; an acquisition also writes them into the image's header and its log.
 */
final class CaseOptions {
    @Option(names = "--case", paramLabel = "ID", description = "Case reference, written into the report (and by acquire into"
            + " the image's header and its log).")
    String caseId;

    @Option(names = "--examiner", paramLabel = "NAME", description = "Examiner's name, written into the report (and by acquire"
            + " into the image's header and its log).")
    String examiner;
}
