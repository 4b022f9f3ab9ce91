package org.triage.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.triage.PdqMode;
import org.triage.Scan;
import org.triage.ScanConfig;
import org.triage.Triage;
import org.triage.model.Algorithm;
import org.triage.model.ListingHeader;
import org.triage.model.RecordListener;
import org.triage.model.ScanResult;
import org.triage.priority.CategoryTable;
import org.triage.report.AllFilesWriter;
import org.triage.report.JsonReportWriter;
import org.triage.report.OutputTarget;
import org.triage.report.ReportCollector;
import org.triage.report.ReportContext;
import org.triage.report.VicsWriter;
import org.triage.store.HashStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** {@code triage scan}: hash every file of each evidence item and look the digests up. */
@Command(name = "scan", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Hash every file of each evidence item (read-only) and look the digests up in the hash store.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {ExitCodes.L0, ExitCodes.L1, ExitCodes.L2_SCAN, ExitCodes.L3, ExitCodes.L130})
final class ScanCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "PATH", description = "Evidence items: directories (a mounted drive, an export folder), disk images"
            + " (raw/dd, split raw .000/.001, EWF .E01, VMDK, VHD), block devices (/dev/sdX), or single files (a picture),"
            + " all read-only. A regular file is a disk image only when its content says so (an image format, a partition"
            + " table or a filesystem), never by its name alone; any other file is hashed and matched as one file.")
    List<String> paths = new ArrayList<>();

    @Option(names = "--from", paramLabel = "FILE", description = "Also scan the evidence items listed in FILE ('-': standard"
            + " input), one path per line; empty lines are skipped. A listed path that does not exist refuses the whole scan"
            + " (exit 2), naming the list and the line.")
    String from;

    @Option(names = {"-0", "--null"}, description = "With --from: the paths are separated by NUL bytes (find -print0), so a"
            + " name may hold a newline.")
    boolean nul;

    @Option(names = "--db", required = true, paramLabel = "DIR", description = "Known-hash store (made by 'triage hashset import'); opened read-only.")
    Path db;

    @Option(names = "--algorithms", paramLabel = "LIST", defaultValue = "md5,sha1,sha256",
            description = "Digests to compute, comma-separated: md5, sha1, sha256 (default: ${DEFAULT-VALUE}). Kinds the store holds are added.")
    String algorithms;

    @Option(names = "--report", paramLabel = "FILE", description = "Write the JSON report here ('-': standard output,"
            + " and the summary goes to stderr). Output files are created owner-only (0600) and replace only a regular file.")
    Path report;

    @Option(names = "--all-files", paramLabel = "FILE", description = "Write one JSON line per entry here, as the scan goes ('-': standard output), after a header"
            + " line naming the scan and before each item's end line: what 'triage rematch' reads.")
    Path allFiles;

    @Option(names = "--vics", paramLabel = "FILE",
            description = "Write every picture and video seen here as VICS JSON (MD5, SHA1, size, category of a match,"
                    + " where each copy was found; '-': standard output).")
    Path vics;

    @Option(names = "--categories", paramLabel = "FILE", description = "The lab's category table, added to the built-in one:"
            + " one row per line, tab-separated columns category, label, severity, raises (yes or no) and optionally scheme.")
    Path categories;

    @Option(names = "--case", paramLabel = "ID", description = "Case reference, written into the report.")
    String caseId;

    @Option(names = "--examiner", paramLabel = "NAME", description = "Examiner's name, written into the report.")
    String examiner;

    @Option(names = "--threads", paramLabel = "N", description = "Hashing threads (default: one per core; at most 4 per core).")
    Integer threads;

    @Option(names = "--readers", paramLabel = "N", defaultValue = "1",
            description = "Reader threads per evidence item (default 1: parallel reads make a spinning disk seek; at most "
                    + ScanCommand.MAX_READERS + ").")
    int readers;

    /**
     * More hashers than cores only queue for them, and each costs a thread and its share of the
     * buffers (10,000 took a minute to start for two tiny files): 4 per core leaves room to measure
     * oversubscription, no more. Readers wait on the disk, not on a core, so their bound is fixed:
     * 64 requests in flight is more than a spinning disk or a USB bridge gains from.
     */
    static final int THREADS_PER_CORE = 4;
    static final int MAX_READERS = 64;

    @Option(names = "--stats-file", hidden = true, paramLabel = "FILE", description = "Write peak heap and RSS here (for triage bench).")
    Path statsFile;

    @Option(names = "--progress-interval", hidden = true, defaultValue = "5", paramLabel = "SECONDS",
            description = "Seconds between plain progress lines when stderr is not a terminal (default: ${DEFAULT-VALUE}).")
    double progressInterval;
    @Option(names = "--archive-depth", paramLabel = "N", defaultValue = "4",
            description = "Expand archives (ZIP, 7z, TAR, gzip, bzip2, xz) nested up to N deep and match their members"
                    + " like files (default ${DEFAULT-VALUE}; 0: take archives as files only; at most 32).")
    int archiveDepth;

    @Option(names = "--no-expand-images", negatable = false,
            description = "Hash disk images found inside a folder or inside another image (E01, VMDK, VHD, raw) as files,"
                    + " instead of examining the files in them (the default).")
    boolean noExpandImages;

    @Option(names = "--verify", description = "For disk images and devices: also hash the whole media (MD5, SHA-1) in the same"
            + " run and compare with the acquisition hashes an E01 stores; the result goes in the report (a mismatch exits 3).")
    boolean verify;

    @Option(names = {"-q", "--quiet"}, description = "Print nothing but errors; rely on the exit code and the report.")
    boolean quiet;

    @Option(names = "--pdq", paramLabel = "off|on",
            description = "PDQ-hash every picture (JPEG, PNG, GIF, BMP, TIFF, ...) and match it against the store's PDQ hashes,"
                    + " to find resized and re-encoded copies that digests miss (default: on when the store holds PDQ hashes,"
                    + " else off; the scan says which).")
    String pdq;

    @Option(names = "--pdq-distance", paramLabel = "N", defaultValue = "31",
            description = "A picture whose PDQ hash differs from a known one in at most N of 256 bits is a near match"
                    + " (default ${DEFAULT-VALUE}, PDQ's authors' choice; 0-255).")
    int pdqDistance;

    @Option(names = "--pdq-dihedral", description = "Also match the seven rotations and flips of every picture.")
    boolean pdqDihedral;

    @CommandLine.Mixin
    FirstHitOptions firstHit = new FirstHitOptions();

    private PdqMode pdqMode() {
        if (pdq == null) return PdqMode.AUTO;
        return switch (pdq) {
            case "on" -> PdqMode.ON;
            case "off" -> PdqMode.OFF;
            default -> throw new CommandLine.ParameterException(spec.commandLine(),
                    "--pdq must be 'on' or 'off', was '" + TerminalText.safe(pdq) + "'");
        };
    }

    @Override
    public Integer call() throws Exception {
        Set<Algorithm> algs;
        try {
            algs = Algorithm.parseList(algorithms);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--algorithms: " + e.getMessage());
        }
        if (threads != null && threads < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--threads must be at least 1, was " + threads);
        }
        int cores = Math.max(1, Runtime.getRuntime().availableProcessors());
        if (threads != null && threads > THREADS_PER_CORE * cores) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--threads must be at most " + THREADS_PER_CORE * cores
                    + " (" + THREADS_PER_CORE + " per core on this machine), was " + threads);
        }
        if (readers < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--readers must be at least 1, was " + readers);
        }
        if (archiveDepth < 0 || archiveDepth > 32) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--archive-depth must be between 0 and 32, was " + archiveDepth);
        }
        if (pdqDistance < 0 || pdqDistance > 255) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--pdq-distance must be between 0 and 255, was "
                    + pdqDistance);
        }
        pdqMode(); // a bad --pdq is a usage error before the store is opened
        firstHit.matches(spec.commandLine());
        if (readers > MAX_READERS) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--readers must be at most " + MAX_READERS
                    + ", was " + readers);
        }
        for (String p : paths) {
            // Refuse a mistyped path now rather than after hours of scanning the others.
            if (!java.nio.file.Files.exists(Path.of(p), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "evidence path does not exist: " + TerminalText.safe(p));
            }
        }
        if (nul && from == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "-0 (--null) applies to a --from list: give --from FILE");
        }
        if (from != null) {
            List<String> listed = EvidenceList.read(spec.commandLine(), from, nul, System.in);
            if (listed.isEmpty() && paths.isEmpty()) {
                throw new CommandLine.ParameterException(spec.commandLine(), "no evidence to scan: the --from list "
                        + TerminalText.safe(from.equals(EvidenceList.STDIN) ? "on standard input" : from) + " names none");
            }
            paths.addAll(listed); // an item both given and listed is scanned once (the scan says so)
        }
        if (paths.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "no evidence to scan: give a PATH or --from FILE");
        }
        ScanOutputs outputs = checkOutputs();
        // The table goes to the scan, the VICS writer and the summary: never through a system
        // property, so that scans in one JVM (tests, an embedding service) do not share it.
        CategoryTable table;
        try {
            table = categories != null ? CategoryTable.load(categories) : CategoryTable.defaults();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    (categories != null ? "--categories: " : "category table: ") + e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        HashStore store = StoreReadiness.openForMatching(db, err);
        if (store == null) return ExitCodes.USAGE;
        try (store) {
            return scan(store, algs, table, outputs, out, err);
        }
    }

    /** Every output, checked before the store is opened or any evidence read. */
    private ScanOutputs checkOutputs() {
        Map<String, Path> given = new LinkedHashMap<>();
        given.put("--report", report);
        given.put("--all-files", allFiles);
        given.put("--vics", vics);
        return ScanOutputs.check(spec.commandLine(), given, paths, new TextOutputStream(spec.commandLine().getOut()));
    }

    /**
     * The launcher runs scans with the JVM's quick compiler only when libcrypto is installed. If it
     * is there but cannot be used (an OpenSSL configuration that refuses MD5, say), the JVM hashes
     * without the CPU's MD5/SHA instructions, several times slower: correct, but the examiner
     * should know why and how to avoid it. Printed even with --quiet: it explains a slow scan.
     */
    private static void warnIfHashingIsCrippled(PrintWriter err) {
        if (!Triage.digestLibrary().equals("jvm")) return;
        try {
            var vm = java.lang.management.ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            if (!"1".equals(vm.getVMOption("TieredStopAtLevel").getValue())) return;
        } catch (RuntimeException | LinkageError e) {
            return; // not HotSpot: nothing to say
        }
        err.println("triage: warning: OpenSSL's libcrypto could not be used for the digests (see -v), and this JVM runs"
                + " without its optimising compiler, so hashing will be several times slower than it can be;"
                + " run with TRIAGE_JAVA_OPTS=-XX:TieredStopAtLevel=4 or make libcrypto.so.3 (package libssl3) usable");
    }

    private int scan(HashStore store, Set<Algorithm> algs, CategoryTable table, ScanOutputs outputs, PrintWriter out,
                     PrintWriter err) throws Exception {
        ReportCollector collected = new ReportCollector();
        AllFilesWriter listing = null;
        OutputTarget listingTarget = outputs.get("--all-files");
        try {
            if (listingTarget != null) listing = new AllFilesWriter(listingTarget);
        } catch (IOException e) {
            err.println("triage: cannot write all-files listing " + listingTarget + ": " + OutputTarget.reason(e));
            return ExitCodes.USAGE;
        }
        List<RecordListener> listeners = new ArrayList<>();
        listeners.add(collected);
        if (listing != null) listeners.add(listing);
        OutputTarget vicsTarget = outputs.get("--vics");
        VicsWriter vicsOut = vicsTarget == null ? null : new VicsWriter(vicsTarget, table);
        if (vicsOut != null) listeners.add(vicsOut);
        ScanConfig.Builder cfg = ScanConfig.builder()
                .source(paths.toArray(new String[0]))
                .algorithms(algs)
                .readers(readers)
                .prewalk(!quiet)
                .verify(verify)
                .archiveDepth(archiveDepth)
                .expandImages(!noExpandImages)
                .pdq(pdqMode())
                .pdqDistance(pdqDistance)
                .pdqDihedral(pdqDihedral)
                .categories(table)
                .stopAfter(firstHit.matches(spec.commandLine()))
                .listener(RecordListener.all(listeners));
        if (threads != null) cfg.hashThreads(threads);
        ScanResult result;
        try (Scan scan = Triage.newScan(cfg.build(), store)) {
            warnIfHashingIsCrippled(err);
            // The same item named twice is scanned once; said now, before a long scan, and in the report.
            if (!quiet) for (String note : scan.notes()) err.println("triage: " + TerminalText.safe(note));
            // Whether re-encoded copies can be found at all: said before a long scan, and in the report.
            if (!quiet) err.println("triage: " + scan.pdq().describe());
            if (!scan.addedForStore().isEmpty() && !quiet) {
                err.println("triage: also computing " + Summaries.ids(scan.addedForStore())
                        + ": the hash store holds such digests");
            }
            if (listing != null) {
                // First line: what the listing is, so that it can be re-matched later on its own (triage rematch).
                listing.header(new ListingHeader("triage " + VersionProvider.version(), java.time.Instant.now(), caseId,
                        examiner, scan.evidence(), scan.algorithms(), db.toAbsolutePath().toString(),
                        store.sets().stream().map(ListingHeader.SetSeen::of).toList(), listingNotes(scan)));
            }
            Interrupts.Registration onCtrlC = Interrupts.onInterrupt(scan::stop);
            ProgressDisplay progress = quiet ? null : ProgressDisplay.start(scan, err, progressInterval);
            try {
                result = scan.run();
            } finally {
                if (progress != null) progress.close();
                onCtrlC.close();
                if (listing != null) listing.close();
            }
        }
        // What was found is not lost to an output that cannot be written: each failure is said once,
        // after the summary, and the others are still written.
        List<String> failed = new ArrayList<>();
        if (listing != null && listing.failure() != null) {
            failed.add("cannot write all-files listing " + listingTarget + ": " + OutputTarget.reason(listing.failure()));
        }
        OutputTarget reportTarget = outputs.get("--report");
        if (reportTarget != null) {
            ReportContext ctx = new ReportContext("triage " + VersionProvider.version(), caseId, examiner,
                    db.toAbsolutePath().toString(), store.sets(), Triage.digestLibrary());
            try {
                JsonReportWriter.write(reportTarget, result, ctx, collected);
            } catch (IOException e) {
                failed.add("cannot write report " + reportTarget + ": " + OutputTarget.reason(e));
                reportTarget = null;
            }
        }
        if (vicsOut != null) {
            for (org.triage.model.EvidenceSummary s : result.evidence()) vicsOut.taken(s.source(), s.taken());
            try {
                vicsOut.close();
            } catch (IOException e) {
                failed.add("cannot write VICS file " + vicsTarget + ": " + OutputTarget.reason(e));
            }
        }
        if (!quiet) {
            // With an output on standard output, the human summary must not mix into it.
            Summaries.print(outputs.usesStdout() ? err : out, result, table, collected, reportTarget == null ? null : reportTarget.file(),
                    listingTarget == null || listing.failure() != null ? null : listingTarget.file());
        } else {
            Summaries.printProblems(err, result, collected); // --quiet silences progress and the summary, never an error
        }
        for (String f : failed) err.println("triage: " + TerminalText.safe(f));
        long partial = result.evidence().stream().filter(e -> e.partial() != null).count();
        if (partial > 0 && !quiet) {
            err.println("triage: " + Summaries.count(partial, "item was", "items were") + " stopped at a first hit (partial):"
                    + " scan again without --first-hit/--stop-after to read " + (partial == 1 ? "it" : "them") + " whole");
        }
        if (statsFile != null) ResourceStats.write(statsFile);
        if (result.interrupted()) return ExitCodes.INTERRUPTED;
        if (result.anyAlert()) return ExitCodes.ALERT;
        if (!failed.isEmpty()) return ExitCodes.USAGE;
        if (result.anyUnreadable()) return ExitCodes.INCOMPLETE;
        return ExitCodes.CLEAN;
    }

    /** The scan's notes, and with PDQ on, that the listing's pictures carry PDQ hashes (and within what distance). */
    private static List<String> listingNotes(Scan scan) {
        if (!scan.pdq().on()) return scan.notes();
        List<String> notes = new ArrayList<>(scan.notes());
        notes.add(scan.pdq().describe());
        return notes;
    }
}
