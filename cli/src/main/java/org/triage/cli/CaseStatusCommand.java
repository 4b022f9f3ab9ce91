package org.triage.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.triage.casework.CaseQueue;
import org.triage.casework.EvidenceCase;
import org.triage.casework.QueueEntry;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code triage case status DIR [--json]}: the ranked queue, live while a run goes on. */
@Command(name = "status", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Print the case's items ranked for review, each with the reason in words; live while 'case run' runs"
                + " (from any process).",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:printed", "2:usage error (not a case directory)"})
final class CaseStatusCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "The case directory.")
    Path dir;

    @Option(names = "--json", description = "Print JSON for scripts (one object: the case and its items, ranked).")
    boolean json;

    @Override
    public Integer call() throws IOException {
        try (EvidenceCase c = CaseCommand.open(spec.commandLine(), dir)) {
            List<QueueEntry> queue = CaseQueue.of(c.store());
            if (json) {
                spec.commandLine().getOut().println(CaseQueueText.json(c.info(), CaseQueue.runLive(c.store()), queue));
            } else {
                CaseQueueText.print(spec.commandLine().getOut(), c.info(), queue);
            }
            return ExitCodes.CLEAN;
        }
    }
}
