package org.triage.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.triage.casework.EvidenceCase;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code triage case create DIR --case ID --examiner NAME [--db STORE]}. */
@Command(name = "create", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Make a case directory: its database (case.db), its audit trail (audit.jsonl), reports/ and listings/.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:created", "2:usage error (the directory is not empty or already a case, a missing store)"})
final class CaseCreateCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "The case directory: new, or empty (made owner-only, 0700).")
    Path dir;

    @Option(names = "--case", required = true, paramLabel = "ID", description = "Case reference, in every report and the audit trail.")
    String caseId;

    @Option(names = "--examiner", required = true, paramLabel = "NAME", description = "Examiner's name.")
    String examiner;

    @Option(names = "--db", required = true, paramLabel = "STORE",
            description = "Known-hash store (made by 'triage hashset import') the case's scans look digests up in.")
    Path db;

    @Override
    public Integer call() {
        if (caseId.isBlank()) throw new CommandLine.ParameterException(spec.commandLine(), "--case must not be empty");
        if (examiner.isBlank()) throw new CommandLine.ParameterException(spec.commandLine(), "--examiner must not be empty");
        if (!Files.isDirectory(db)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--db: hash store " + TerminalText.safe(db.toString())
                    + " does not exist; make it with 'triage hashset import'");
        }
        try (EvidenceCase c = EvidenceCase.create(dir, caseId, examiner, db, CaseCommand.who())) {
            spec.commandLine().getOut().println("created case " + TerminalText.safe(caseId) + " in " + TerminalText.safe(c.layout().dir().toString()));
            return ExitCodes.CLEAN;
        } catch (IOException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), TerminalText.safe(e.getMessage()));
        }
    }
}
