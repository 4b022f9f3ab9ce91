package org.triage.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.triage.Rematch;
import org.triage.model.ListingHeader;
import org.triage.model.ListingProvenance;
import org.triage.model.RematchResult;
import org.triage.model.ScanResult;
import org.triage.priority.CategoryTable;
import org.triage.report.JsonReportWriter;
import org.triage.report.OutputTarget;
import org.triage.report.ReportCollector;
import org.triage.report.ReportContext;
import org.triage.store.HashStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code triage rematch}: earlier scans' all-files listings looked up again in a (newer) store,
 * without reading the evidence. Same summary, report and exit codes as a scan; the report is
 * marked as a re-match and names each listing by its SHA-256.
 */
@Command(name = "rematch", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Look the digests of earlier scans up again in the hash store, from their all-files listings"
                + " (scan --all-files), without reading any evidence: for when the alert sets have grown. Pictures"
                + " listed with a PDQ hash (scan --pdq on) are asked for near matches too.",
                "An item is LOW only when its listing shows that its scan read it to the end (the listing's header, the"
                + " item's end line, no line lost); a listing of an interrupted or killed scan, a cut or damaged listing,"
                + " or one written before listings had a header gives INCOMPLETE (or UNKNOWN) with the reason."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {ExitCodes.L0, ExitCodes.L1, ExitCodes.L2_REMATCH, ExitCodes.L3_REMATCH, ExitCodes.L130})
final class RematchCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "LISTING", description = "All-files listings written by 'triage scan --all-files'."
            + " Items of several listings are ranked together.")
    List<Path> listings = new ArrayList<>();

    @Option(names = "--db", required = true, paramLabel = "DIR", description = "Known-hash store; opened read-only.")
    Path db;

    @Option(names = "--report", paramLabel = "FILE", description = "Write the JSON report here ('-': standard output,"
            + " and the summary goes to stderr); as a scan's, with a 'rematch' member naming each listing.")
    Path report;

    @CommandLine.Mixin
    CategoryOptions categories = new CategoryOptions();

    @CommandLine.Mixin
    CaseOptions labels = new CaseOptions();

    @Option(names = "--threads", paramLabel = "N", description = "Threads that parse and look up (default: one per core;"
            + " at most 4 per core).")
    Integer threads;

    @Option(names = {"-q", "--quiet"}, description = "Print nothing but errors; rely on the exit code and the report.")
    boolean quiet;

    @Option(names = "--pdq-distance", paramLabel = "N", defaultValue = "31",
            description = "Near matches of each listed picture's PDQ hash (from a scan with PDQ on) within N bits"
                    + " (0-255, default 31), asked when the store holds PDQ hashes. Rotations and flips"
                    + " (scan --pdq-dihedral) cannot be: a listing holds the picture's own hash only.")
    int pdqDistance;

    /** Lines of a listing that could not be taken, printed on stderr; the rest are counted. */
    private static final int PROBLEMS_SHOWN = 10;

    @Override
    public Integer call() throws Exception {
        int cores = Math.max(1, Runtime.getRuntime().availableProcessors());
        if (threads != null && (threads < 1 || threads > ScanCommand.THREADS_PER_CORE * cores)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--threads must be between 1 and "
                    + ScanCommand.THREADS_PER_CORE * cores + " (" + ScanCommand.THREADS_PER_CORE + " per core on this machine), was " + threads);
        }
        MatchOptions.checkPdqDistance(spec.commandLine(), pdqDistance);
        for (Path l : listings) {
            if (!Files.isRegularFile(l)) {
                throw new CommandLine.ParameterException(spec.commandLine(), (Files.exists(l) ? "not a regular file: " : "listing does not exist: ")
                        + TerminalText.safe(l.toString()));
            }
            if (!Files.isReadable(l)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "listing cannot be read (permission denied): "
                        + TerminalText.safe(l.toString()));
            }
        }
        Map<String, Path> given = new LinkedHashMap<>();
        given.put("--report", report);
        // The listings stand where a scan's evidence stands: the report may not be written over one.
        ScanOutputs outputs = ScanOutputs.check(spec.commandLine(), given, listings.stream().map(Path::toString).toList(),
                new TextOutputStream(spec.commandLine().getOut()));
        CategoryTable table = categories.table(spec.commandLine());
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        HashStore store = StoreReadiness.openForMatching(db, err);
        if (store == null) return ExitCodes.USAGE;
        try (store) {
            return rematch(store, table, outputs, out, err);
        }
    }

    private int rematch(HashStore store, CategoryTable table, ScanOutputs outputs, PrintWriter out, PrintWriter err)
            throws InterruptedException {
        ReportCollector collected = new ReportCollector();
        Rematch.Builder b = Rematch.builder().listing(listings.toArray(new Path[0])).categories(table).listener(collected);
        if (threads != null) b.threads(threads);
        b.pdqDistance(pdqDistance);
        Rematch rematch = b.build(store);
        RematchResult rematched;
        Interrupts.Registration onCtrlC = Interrupts.onInterrupt(rematch::stop);
        try {
            rematched = rematch.run();
        } finally {
            onCtrlC.close();
        }
        ScanResult result = rematched.result();
        // A listing's bad lines are errors: said even with --quiet.
        for (ListingProvenance l : rematched.listings()) printProblems(err, l);
        List<String> failed = new ArrayList<>();
        OutputTarget reportTarget = outputs.get("--report");
        if (reportTarget != null) {
            ReportContext ctx = new ReportContext("triage " + VersionProvider.version(), labels.caseId, labels.examiner,
                    db.toAbsolutePath().toString(), store.sets(), null);
            try {
                JsonReportWriter.write(reportTarget, rematched, ctx, collected);
            } catch (IOException e) {
                failed.add("cannot write report " + reportTarget + ": " + OutputTarget.reason(e));
                reportTarget = null;
            }
        }
        if (!quiet) {
            PrintWriter summary = outputs.usesStdout() ? err : out;
            for (ListingProvenance l : rematched.listings()) printProvenance(summary, l);
            Summaries.print(summary, result, table, collected, reportTarget == null ? null : reportTarget.file(), null,
                    "re-matched");
        } else {
            Summaries.printProblems(err, result, collected);
        }
        for (String f : failed) err.println("triage: " + TerminalText.safe(f));
        if (result.interrupted()) return ExitCodes.INTERRUPTED;
        if (result.anyAlert()) return ExitCodes.ALERT;
        if (!failed.isEmpty()) return ExitCodes.USAGE;
        if (result.anyUnreadable()) return ExitCodes.INCOMPLETE;
        return ExitCodes.CLEAN;
    }

    /** "listing ex1.jsonl (SHA-256 …): 48,213 lines; scan of 2026-11-25T13:01:02Z by triage 0.1.0, sets caid-2026-10". */
    private static void printProvenance(PrintWriter out, ListingProvenance l) {
        StringBuilder b = new StringBuilder("listing ").append(l.file()).append(" (SHA-256 ").append(l.sha256()).append("): ")
                .append(Summaries.count(l.lines(), "line", "lines"));
        ListingHeader h = l.header();
        if (h == null) {
            b.append("; provenance unknown: no header (written before listings had one)");
        } else {
            b.append("; scan of ").append(h.scanStarted() == null ? "an unknown time" : h.scanStarted().toString())
                    .append(" by ").append(h.tool() == null ? "an unknown tool" : h.tool());
            if (!h.sets().isEmpty()) {
                b.append(", sets then: ").append(String.join(", ", h.sets().stream().map(ListingHeader.SetSeen::name).toList()));
            }
        }
        if (l.linesLost() > 0) b.append(String.format(Locale.ROOT, "; %,d lines could not be read", l.linesLost()));
        out.println(TerminalText.safe(b.toString()));
    }

    private static void printProblems(PrintWriter err, ListingProvenance l) {
        int shown = 0;
        for (ListingProvenance.LineProblem p : l.problems()) {
            if (shown++ == PROBLEMS_SHOWN) break;
            err.println("triage: listing " + TerminalText.safe(l.file()) + ", line " + p.line() + ": " + TerminalText.safe(p.error()));
        }
        if (l.linesLost() > PROBLEMS_SHOWN) {
            err.printf(Locale.ROOT, "triage: listing %s: ... and %,d more lines that could not be read (see the report)%n",
                    TerminalText.safe(l.file()), l.linesLost() - PROBLEMS_SHOWN);
        }
    }
}
