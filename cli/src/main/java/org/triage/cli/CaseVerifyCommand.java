package org.triage.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.triage.casework.AuditTrail;
import org.triage.casework.EvidenceCase;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code triage case verify DIR}: the audit trail's chain and the recorded reports' SHA-256s. */
@Command(name = "verify", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Check the case's audit trail (each entry carries the SHA-256 of the one before) and that every report"
                + " and listing it recorded still has the SHA-256 recorded; name the first entry changed, removed or reordered.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:intact", "1:an entry, a report or a listing was changed, removed or reordered (named)",
                "2:usage error (not a case directory, the trail cannot be read)"})
final class CaseVerifyCommand implements Callable<Integer> {
    static final int CHANGED = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "The case directory.")
    Path dir;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (EvidenceCase c = CaseCommand.open(spec.commandLine(), dir)) {
            AuditTrail.AuditCheck check;
            try {
                check = AuditTrail.verify(c.layout(), c.store().auditHead());
            } catch (IOException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "cannot read the audit trail: " + TerminalText.safe(e.getMessage()));
            }
            for (String p : check.problems()) out.println("CHANGED: " + TerminalText.safe(p));
            if (check.intact()) {
                out.println("audit trail intact: " + Summaries.count(check.entries(), "entry", "entries") + ", last entry SHA-256 "
                        + check.lastSha256() + "; " + Summaries.count(check.filesChecked(), "report or listing", "reports and listings")
                        + " as recorded");
                return ExitCodes.CLEAN;
            }
            return CHANGED;
        }
    }
}
