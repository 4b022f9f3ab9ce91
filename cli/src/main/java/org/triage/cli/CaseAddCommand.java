package org.triage.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.triage.casework.CaseItem;
import org.triage.casework.EvidenceCase;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code triage case add DIR EVIDENCE... [--label TEXT]}. */
@Command(name = "add", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Add evidence items to a case (all or none), to be scanned by 'triage case run'.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:added", "2:usage error: not a case, or an item refused (missing, not evidence, already in the"
                + " case, holding the case directory); nothing is added"})
final class CaseAddCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "The case directory.")
    Path dir;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "EVIDENCE", description = "Directories, disk images (raw/dd, split"
            + " raw, E01, VMDK, VHD; an image by its content, as a scan decides) or block devices. A regular file that is not"
            + " a disk image is refused, and so is an item already in the case under any name.")
    List<String> evidence;

    @Option(names = "--label", paramLabel = "TEXT", description = "The examiner's words for these items (\"Laptop, exhibit JB/1\").")
    String label;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (EvidenceCase c = CaseCommand.open(spec.commandLine(), dir)) {
            List<CaseItem> added;
            try {
                added = c.add(evidence, label);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), TerminalText.safe(e.getMessage()) + "; nothing was added");
            } catch (IOException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), TerminalText.safe(e.getMessage()));
            }
            for (CaseItem i : added) {
                out.println("item " + i.id() + ": " + TerminalText.safe(i.describe()) + " (" + i.kind()
                        + (i.size() >= 0 ? ", " + Summaries.bytes(i.size()) : "") + ", device " + TerminalText.safe(i.device()) + ")");
            }
            return ExitCodes.CLEAN;
        }
    }
}
