package org.triage.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.triage.casework.EvidenceCase;
import org.triage.casework.RunIdentity;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code triage case}: a case directory of evidence items, scanned as a ranked queue with an audit
 * trail (README, "Cases"). The work is the case module's ({@code org.triage.casework}); these
 * commands parse, print and choose the exit code.
 */
@Command(name = "case", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "A case: its evidence items in one directory, scanned as a ranked queue, with an audit trail.",
        subcommands = {CaseCreateCommand.class, CaseAddCommand.class, CaseRunCommand.class, CaseStatusCommand.class,
                CaseVerifyCommand.class})
final class CaseCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a case command is required: create, add, run, status or verify");
    }

    /** Who the audit trail names for commands run here. */
    static RunIdentity who() {
        return RunIdentity.current("triage " + VersionProvider.version());
    }

    /** Opens the case in {@code dir}, or refuses the command line (exit 2) saying why. */
    static EvidenceCase open(CommandLine cl, Path dir) {
        try {
            return EvidenceCase.open(dir, who());
        } catch (IOException e) {
            throw new CommandLine.ParameterException(cl, TerminalText.safe(e.getMessage()));
        }
    }
}
