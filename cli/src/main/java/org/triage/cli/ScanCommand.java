package org.triage.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.triage.Scan;
import org.triage.ScanConfig;
import org.triage.Triage;
import org.triage.model.Algorithm;
import org.triage.model.ScanResult;
import org.triage.priority.CategoryTable;
import org.triage.report.ReportContext;
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

    @CommandLine.Mixin
    MatchOptions match = new MatchOptions();

    @CommandLine.Mixin
    CaseOptions labels = new CaseOptions();

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
    @Option(names = "--verify", description = "For disk images and devices: also hash the whole media (MD5, SHA-1) in the same"
            + " run and compare with the acquisition hashes an E01 stores; the result goes in the report (a mismatch exits 3).")
    boolean verify;

    @Option(names = {"-q", "--quiet"}, description = "Print nothing but errors; rely on the exit code and the report.")
    boolean quiet;

    @CommandLine.Mixin
    FirstHitOptions firstHit = new FirstHitOptions();

    @Override
    public Integer call() throws Exception {
        Set<Algorithm> algs = match.check(spec.commandLine());
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
        CategoryTable table = match.table(spec.commandLine());
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
        return ScanOutputs.check(spec.commandLine(), match.outputs(), paths, new TextOutputStream(spec.commandLine().getOut()));
    }

    /**
     * The launcher runs scans with the JVM's quick compiler only when libcrypto is installed. If it
     * is there but cannot be used (an OpenSSL configuration that refuses MD5, say), the JVM hashes
     * without the CPU's MD5/SHA instructions, several times slower: correct, but the examiner
     * should know why and how to avoid it. Printed even with --quiet: it explains a slow scan.
     */
    static void warnIfHashingIsCrippled(PrintWriter err) {
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
        ScanWriters writers;
        try {
            writers = ScanWriters.open(outputs, table);
        } catch (IOException e) {
            err.println("triage: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        ScanConfig.Builder cfg = match.configure(ScanConfig.builder(), algs, table, spec.commandLine())
                .source(paths.toArray(new String[0]))
                .readers(readers)
                .prewalk(!quiet)
                .verify(verify)
                .stopAfter(firstHit.matches(spec.commandLine()))
                .listener(writers.listener());
        if (threads != null) cfg.hashThreads(threads);
        ScanResult result;
        try (Scan scan = Triage.newScan(cfg.build(), store)) {
            warnIfHashingIsCrippled(err);
            if (!quiet) ScanWriters.announce(scan.notes(), scan.pdq(), scan.addedForStore(), err);
            writers.header(labels.caseId, labels.examiner, scan.evidence(), scan.algorithms(), db, store, scan.notes(), scan.pdq());
            Interrupts.Registration onCtrlC = Interrupts.onInterrupt(scan::stop);
            ProgressDisplay progress = quiet ? null : ProgressDisplay.start(scan, err, progressInterval);
            try {
                result = scan.run();
            } finally {
                if (progress != null) progress.close();
                onCtrlC.close();
                writers.closeListing();
            }
        }
        ReportContext ctx = new ReportContext("triage " + VersionProvider.version(), labels.caseId, labels.examiner,
                db.toAbsolutePath().toString(), store.sets(), Triage.digestLibrary());
        boolean written = writers.finish(result, ctx, null, table, quiet, "scanned", out, err);
        long partial = result.evidence().stream().filter(e -> e.partial() != null).count();
        if (partial > 0 && !quiet) {
            err.println("triage: " + Summaries.count(partial, "item was", "items were") + " stopped at a first hit (partial):"
                    + " scan again without --first-hit/--stop-after to read " + (partial == 1 ? "it" : "them") + " whole");
        }
        if (statsFile != null) ResourceStats.write(statsFile);
        return ExitCodes.of(result.interrupted(), result.anyAlert(), !written, result.anyUnreadable());
    }
}
