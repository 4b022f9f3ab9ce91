package org.triage.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.triage.casework.AuditTrail;
import org.triage.casework.EvidenceCase;
import org.triage.casework.report.CaseContents;
import org.triage.casework.report.CsvMatchReport;
import org.triage.casework.report.DfxmlCaseReport;
import org.triage.casework.report.HtmlCaseReport;
import org.triage.casework.report.ItemSection;
import org.triage.casework.report.VicsCaseReport;
import org.triage.report.OutputTarget;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code triage case report DIR [--html FILE] [--dfxml FILE] [--csv FILE] [--vics FILE]}: the case's
 * reports, made from what the case directory holds (never from the evidence), each written 0600 and
 * moved into place whole, its SHA-256 recorded in the audit trail so that {@code case verify}
 * checks it later.
 */
@Command(name = "report", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Write the case's reports from what the case holds: HTML for the court bundle, DFXML, CSV of the"
                + " matches, VICS JSON. Each file is written owner-only (0600) and its SHA-256 recorded in the audit trail"
                + " ('case verify' checks it).",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every report written", "2:usage or setup error (not a case, no format asked, a report that"
                + " could not be written: the others are still written)",
                "3:written, but an item's all-files listing could not be read whole (its matches come from the case"
                        + " database; the report says which)"})
final class CaseReportCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "The case directory.")
    Path dir;

    @Option(names = "--html", paramLabel = "FILE", description = "One self-contained HTML file: no script, no external"
            + " asset, no picture.")
    Path html;

    @Option(names = "--dfxml", paramLabel = "FILE", description = "Digital Forensics XML: a fileobject per file of every item.")
    Path dfxml;

    @Option(names = "--csv", paramLabel = "FILE", description = "The alert matches as CSV (RFC 4180; formulas disarmed).")
    Path csv;

    @Option(names = "--vics", paramLabel = "FILE", description = "VICS 2.0 JSON of the whole case for CAID / Project VIC.")
    Path vics;

    private record Asked(String format, Path file, OutputTarget.Body body) {
    }

    @Override
    public Integer call() {
        CommandLine cl = spec.commandLine();
        if (html == null && dfxml == null && csv == null && vics == null) {
            throw new CommandLine.ParameterException(cl, "no report asked: give at least one of --html, --dfxml, --csv, --vics");
        }
        Set<Path> seen = new HashSet<>();
        for (Path p : new Path[] {html, dfxml, csv, vics}) {
            if (p != null && !seen.add(p.toAbsolutePath().normalize())) {
                throw new CommandLine.ParameterException(cl, TerminalText.safe(p.toString()) + " is given for two reports");
            }
        }
        PrintWriter out = cl.getOut();
        PrintWriter err = cl.getErr();
        try (EvidenceCase c = CaseCommand.open(cl, dir)) {
            CaseContents contents;
            try {
                contents = CaseContents.read(c.store(), CaseCommand.who().tool());
            } catch (IOException e) {
                throw new CommandLine.ParameterException(cl, "cannot read the case: " + TerminalText.safe(e.getMessage()));
            }
            List<Asked> asked = new ArrayList<>();
            if (html != null) asked.add(new Asked("html", html, new HtmlCaseReport(contents)::writeTo));
            if (dfxml != null) asked.add(new Asked("dfxml", dfxml, new DfxmlCaseReport(contents)::writeTo));
            if (csv != null) asked.add(new Asked("csv", csv, new CsvMatchReport(contents)::writeTo));
            if (vics != null) asked.add(new Asked("vics", vics, new VicsCaseReport(contents)::writeTo));
            int code = ExitCodes.CLEAN;
            for (Asked a : asked) {
                OutputTarget target = OutputTarget.file(a.file());
                try {
                    target.write(a.body());
                    String sha = AuditTrail.sha256(target.file());
                    c.audit().append("report", fields(c, a.format(), target.file(), sha, contents));
                    out.println(a.format() + " report " + TerminalText.safe(target.file().toString()) + " (SHA-256 " + sha + ")");
                } catch (IOException e) {
                    err.println("triage: cannot write the " + a.format() + " report " + TerminalText.safe(target.toString()) + ": "
                            + TerminalText.safe(OutputTarget.reason(e)));
                    code = ExitCodes.USAGE;
                }
            }
            for (ItemSection item : contents.items()) {
                if (item.listingNote() != null) {
                    err.println("triage: item " + item.entry().item().item().id() + ": " + TerminalText.safe(item.listingNote()));
                    if (code == ExitCodes.CLEAN) code = ExitCodes.INCOMPLETE;
                }
            }
            return code;
        }
    }

    /** The {@code report} audit entry: which format, where (relative inside the case), its SHA-256, of which runs. */
    private static Map<String, Object> fields(EvidenceCase c, String format, Path file, String sha, CaseContents contents) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("format", format);
        Path abs = file.toAbsolutePath().normalize();
        f.put("report", abs.startsWith(c.layout().dir()) ? c.layout().relative(abs) : abs.toString());
        f.put("report_sha256", sha);
        List<Map<String, Object>> items = new ArrayList<>();
        for (ItemSection i : contents.items()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("item", i.entry().item().item().id());
            m.put("run", i.entry().item().run());
            m.put("listing", i.listing());
            items.add(m);
        }
        f.put("items", items);
        return f;
    }
}
