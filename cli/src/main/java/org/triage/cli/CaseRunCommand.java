package org.triage.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.triage.casework.CaseQueue;
import org.triage.casework.CaseRun;
import org.triage.casework.EvidenceCase;
import org.triage.casework.ItemState;
import org.triage.casework.QueueEntry;
import org.triage.casework.QueueLevel;
import org.triage.casework.RunOutcome;
import org.triage.casework.RunSettings;
import org.triage.model.Algorithm;
import org.triage.priority.CategoryTable;
import org.triage.store.HashStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code triage case run DIR [--jobs N]}: scans every item not yet done, then prints the ranked queue. */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Scan every item of the case not yet done (never read, stopped, or not opened), items on different"
                + " physical devices at once; write each item's report and all-files listing into the case; print the ranked queue.",
        exitCodeListHeading = "%nExit codes (for the whole case after the run):%n",
        exitCodeList = {"0:every item read, no alert match",
                "1:at least one item has an alert match (takes precedence over 2 and 3)",
                "2:usage or setup error (not a case, another run holds it, a missing or unreadable store, a store without an"
                        + " alert set); also when, without an alert match, a report or listing could not be written",
                "3:no alert match, but something could not be read, or an item was not examined or not finished",
                "130:interrupted (items not started stay queued; a stopped item is read again by the next run)"},
        footer = {"%nWith --first-hit an item that matches is HIGH and PARTIAL (exit 1); a plain 'case run' leaves it so,"
                + " 'case run DIR --full' reads it to the end."})
final class CaseRunCommand implements Callable<Integer> {
    static final int MAX_JOBS = 64;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "The case directory.")
    Path dir;

    @Option(names = "--jobs", paramLabel = "N", defaultValue = "2", description = "Items read at once, at most (default"
            + " ${DEFAULT-VALUE}; never two on one physical device; at most " + MAX_JOBS + ").")
    int jobs;

    @Option(names = "--algorithms", paramLabel = "LIST", defaultValue = "md5,sha1,sha256",
            description = "Digests to compute, comma-separated (default: ${DEFAULT-VALUE}). Kinds the store holds are added.")
    String algorithms;

    @Option(names = "--categories", paramLabel = "FILE", description = "The lab's category table, added to the built-in one.")
    Path categories;

    @Option(names = "--verify", description = "For disk images and devices: also hash the whole media and compare with an"
            + " E01's stored hashes; the hashes go in the report and the audit trail.")
    boolean verify;

    @Option(names = "--spark", paramLabel = "MASTER", description = "Read the items on an Apache Spark cluster (local[N],"
            + " spark://host:7077): a large image in several tasks at once; recorded into the case as here. Needs the spark"
            + " module built (README, \"Cases on a Spark cluster\").")
    String spark;

    @Option(names = "--spark-split", paramLabel = "BYTES", description = "With --spark: cut images larger than this into"
            + " shares read at once (default 4 GiB).")
    Long sparkSplit;

    @CommandLine.Mixin
    FirstHitOptions firstHit = new FirstHitOptions();

    @Option(names = "--full", description = "Also read the PARTIAL items (stopped by --first-hit) to the end, taking what"
            + " their earlier runs read from the case instead of reading it again.")
    boolean full;

    @Option(names = {"-q", "--quiet"}, description = "Print nothing but errors.")
    boolean quiet;

    @Option(names = "--progress-interval", hidden = true, defaultValue = "5", paramLabel = "SECONDS",
            description = "Seconds between plain progress lines when stderr is not a terminal.")
    double progressInterval;

    @Override
    public Integer call() throws Exception {
        CommandLine cl = spec.commandLine();
        if (jobs < 1 || jobs > MAX_JOBS) {
            throw new CommandLine.ParameterException(cl, "--jobs must be between 1 and " + MAX_JOBS + ", was " + jobs);
        }
        Set<Algorithm> algs;
        try {
            algs = Algorithm.parseList(algorithms);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, "--algorithms: " + e.getMessage());
        }
        CategoryTable table;
        try {
            table = categories != null ? CategoryTable.load(categories) : CategoryTable.defaults();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, "--categories: " + e.getMessage());
        }
        PrintWriter out = cl.getOut();
        PrintWriter err = cl.getErr();
        try (EvidenceCase kase = CaseCommand.open(cl, dir)) {
            HashStore store = StoreReadiness.openForMatching(Path.of(kase.info().store()), err);
            if (store == null) return ExitCodes.USAGE;
            if (spark != null) {
                if (full || stopAfter(cl) > 0) {
                    throw new CommandLine.ParameterException(cl, "--spark reads every item whole: it cannot be given with "
                            + (full ? "--full" : firstHit.given()));
                }
                store.close(); // the child opens it: checked here only, to refuse a bad store as a run here does
                return onSpark(kase, out, err);
            }
            try (store) {
                return run(kase, store, new RunSettings(jobs, algs, verify, table, stopAfter(cl), full, categories), out, err);
            }
        }
    }

    /** The matches to stop each item after (0: none), checked against --full. */
    private int stopAfter(CommandLine cl) {
        int n = firstHit.matches(cl);
        if (full && n > 0) {
            throw new CommandLine.ParameterException(cl, "--full reads items to the end: it cannot be given with " + firstHit.given());
        }
        return n;
    }

    private void intro(EvidenceCase kase, PrintWriter err) throws IOException {
        List<ItemState> before = kase.store().states();
        long todo = before.stream().filter(s -> !s.done() && (full || !s.partial())).count();
        if (!quiet) {
            err.println("triage: case " + TerminalText.safe(kase.info().caseId()) + ": " + Summaries.count(todo, "item", "items")
                    + " to scan, " + (before.size() - todo) + " done before");
        }
    }

    /** The run in a child JVM with Spark ({@link SparkLaunch}); then the queue, as a run here prints it. */
    private int onSpark(EvidenceCase kase, PrintWriter out, PrintWriter err) throws IOException, InterruptedException {
        CommandLine cl = spec.commandLine();
        if (!SparkLaunch.validMaster(spark)) {
            throw new CommandLine.ParameterException(cl, "--spark: not a Spark master: '" + spark + "' (local[N] or spark://host:7077)");
        }
        if (sparkSplit != null && sparkSplit < 1) throw new CommandLine.ParameterException(cl, "--spark-split must be at least 1, was " + sparkSplit);
        java.nio.file.Path built = SparkLaunch.built();
        if (built == null) {
            err.println("triage: --spark needs the spark module built beside this triage (mvn -pl spark -am package), or"
                    + " TRIAGE_SPARK_DIR naming its target folder");
            return ExitCodes.USAGE;
        }
        intro(kase, err);
        List<String> args = new java.util.ArrayList<>(List.of(dir.toString(), "--master", spark, "--jobs", String.valueOf(jobs),
                "--algorithms", algorithms, "--tool", "triage " + VersionProvider.version(),
                "--progress-interval", String.valueOf(progressInterval)));
        if (categories != null) args.addAll(List.of("--categories", categories.toString()));
        if (verify) args.add("--verify");
        if (quiet) args.add("--quiet");
        if (sparkSplit != null) args.addAll(List.of("--split-bytes", String.valueOf(sparkSplit)));
        err.flush();
        int code = SparkLaunch.run(built, args);
        if (code == ExitCodes.USAGE && kase.store().states().stream().noneMatch(s -> s.done())) return code;
        if (!quiet) CaseQueueText.print(out, kase.info(), CaseQueue.of(kase.store()));
        return code;
    }

    private int run(EvidenceCase kase, HashStore store, RunSettings settings, PrintWriter out, PrintWriter err)
            throws IOException, InterruptedException {
        intro(kase, err);
        CaseRun run = new CaseRun(kase, store, settings);
        RunOutcome outcome;
        Interrupts.Registration onCtrlC = Interrupts.onInterrupt(run::stop);
        CaseProgressDisplay progress = quiet ? null : CaseProgressDisplay.start(run, err, progressInterval);
        try {
            outcome = run.run();
        } catch (IOException e) {
            err.println("triage: " + TerminalText.safe(e.getMessage()));
            return ExitCodes.USAGE;
        } finally {
            if (progress != null) progress.close();
            onCtrlC.close();
        }
        List<QueueEntry> queue = CaseQueue.of(kase.store());
        if (!quiet) CaseQueueText.print(out, kase.info(), queue);
        long partial = queue.stream().filter(e -> e.item().partial()).count();
        if (partial > 0 && !quiet) {
            err.println("triage: " + Summaries.count(partial, "item was", "items were") + " stopped at a first hit (PARTIAL);"
                    + " run 'triage case run " + TerminalText.safe(dir.toString()) + " --full' to read "
                    + (partial == 1 ? "it" : "them") + " to the end");
        }
        for (String f : outcome.failures()) err.println("triage: " + TerminalText.safe(f));
        if (outcome.interrupted()) return ExitCodes.INTERRUPTED;
        if (queue.stream().anyMatch(e -> e.item().counts().alertFiles() > 0)) return ExitCodes.ALERT;
        if (!outcome.failures().isEmpty()) return ExitCodes.USAGE;
        boolean unread = queue.stream().anyMatch(e -> e.level() != QueueLevel.LOW || e.item().counts().unreadable() > 0);
        return unread ? ExitCodes.INCOMPLETE : ExitCodes.CLEAN;
    }
}
