package org.triage.spark;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.triage.casework.CaseQueue;
import org.triage.casework.CaseRun;
import org.triage.casework.EvidenceCase;
import org.triage.casework.QueueEntry;
import org.triage.casework.QueueLevel;
import org.triage.casework.RunIdentity;
import org.triage.casework.RunOutcome;
import org.triage.casework.RunSettings;
import org.triage.model.Algorithm;
import org.triage.priority.CategoryTable;
import org.triage.store.HashStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The driver of {@code triage case run DIR --spark MASTER}, and the entry point a lab gives
 * {@code spark-submit}: runs a case's items not yet done on a Spark cluster ({@link SparkShares}),
 * records each into the case as one machine would ({@link CaseRun} with the shares' listings), and
 * shows the cluster's progress on stderr ({@link ClusterProgress}). The ranked queue is printed by
 * the {@code triage} command that started this JVM (or by {@code triage case status}).
 *
 * <p>Exit codes are {@code triage case run}'s: 0 clean, 1 an alert match, 2 usage or setup error,
 * 3 something unreadable or not examined, 130 interrupted.
 */
@Command(name = "triage-spark", mixinStandardHelpOptions = true,
        description = "Run a case's items not yet done on an Apache Spark cluster and record them into the case.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every item read, no alert match", "1:an alert match", "2:usage or setup error",
                "3:something unreadable, or an item not examined", "130:interrupted"})
public final class CaseOnSpark implements Callable<Integer> {
    /** One case run on one machine at most: an image larger than this is cut into shares (4 GiB). */
    static final long DEFAULT_SPLIT = 4L << 30;

    @Parameters(index = "0", paramLabel = "DIR", description = "The case directory.")
    Path dir;

    @Option(names = "--master", paramLabel = "MASTER", description = "local[N] or spark://host:7077; default: spark-submit's.")
    String master;

    @Option(names = "--jobs", paramLabel = "N", defaultValue = "2", description = "Items recorded at once on the driver.")
    int jobs;

    @Option(names = "--algorithms", paramLabel = "LIST", defaultValue = "md5,sha1,sha256", description = "Digests to compute.")
    String algorithms;

    @Option(names = "--categories", paramLabel = "FILE", description = "The lab's category table.")
    Path categories;

    @Option(names = "--verify", description = "Also hash whole images (on the driver) and compare with an E01's stored hashes.")
    boolean verify;

    @Option(names = "--split-bytes", paramLabel = "BYTES", description = "Cut images larger than this into shares (default 4 GiB).")
    long splitBytes = DEFAULT_SPLIT;

    @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "A Spark setting (repeatable).")
    List<String> conf = new ArrayList<>();

    @Option(names = "--tool", hidden = true, description = "The tool and version the audit trail names.")
    String tool = "triage " + org.triage.Triage.version();

    @Option(names = {"-q", "--quiet"}, description = "No progress lines.")
    boolean quiet;

    @Option(names = "--progress-interval", paramLabel = "SECONDS", defaultValue = "5", description = "Seconds between progress lines.")
    double progressInterval;

    public static void main(String[] args) {
        System.exit(new CommandLine(new CaseOnSpark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        PrintStream err = System.err;
        if (splitBytes < 1) throw new CommandLine.ParameterException(new CommandLine(this), "--split-bytes must be at least 1, was " + splitBytes);
        Set<Algorithm> algs = Algorithm.parseList(algorithms);
        CategoryTable table = categories != null ? CategoryTable.load(categories) : CategoryTable.defaults();
        RunSettings settings = new RunSettings(jobs, algs, verify, table, 0, false, categories);
        try (EvidenceCase kase = EvidenceCase.open(dir, RunIdentity.current(tool))) {
            String storePath = kase.info().store();
            SparkConf sparkConf = sparkConf(kase.info().caseId());
            // The Spark context starts (its classes, endpoints, block manager: about a second) while
            // this thread opens the store (a second or two for 100 M digests): the two overlap.
            FutureTask<JavaSparkContext> starting = new FutureTask<>(() -> new JavaSparkContext(sparkConf));
            Thread starter = new Thread(starting, "triage-spark-start");
            starter.setDaemon(true);
            starter.start();
            HashStore store;
            try {
                store = ExecutorStore.open(Path.of(storePath));
            } catch (IOException | RuntimeException e) {
                stopWhenStarted(starting);
                throw e;
            }
            try (JavaSparkContext sc = started(starting)) {
                ClusterProgress progress = new ClusterProgress();
                sc.sc().addSparkListener(progress);
                SparkShares shares = new SparkShares(sc, kase.layout(), progress, splitBytes, storePath, ShareScan.ids(algs),
                        kase.info().caseId(), kase.info().examiner(), tool);
                CaseRun run = new CaseRun(kase, store, settings, shares);
                Stops stops = Stops.on(run::stop);
                Thread ticker = quiet ? null : ticker(progress, run, shares, err);
                RunOutcome outcome;
                try {
                    outcome = run.run();
                } finally {
                    if (ticker != null) ticker.interrupt();
                    stops.close();
                }
                if (!quiet) err.println("triage: " + progress.line(run.progress().done(), shares.items()));
                for (String f : outcome.failures()) err.println("triage: " + f);
                return exitCode(kase, outcome);
            }
        } catch (IOException e) {
            err.println("triage: " + e.getMessage());
            return 2;
        }
    }

    /** The context the starter made; its failure as this thread's. */
    private static JavaSparkContext started(FutureTask<JavaSparkContext> starting) throws Exception {
        try {
            return starting.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception x) throw x;
            if (e.getCause() instanceof Error x) throw x;
            throw e;
        }
    }

    /** A run that cannot start (no store) leaves no Spark context behind. */
    private static void stopWhenStarted(FutureTask<JavaSparkContext> starting) {
        try {
            started(starting).close();
        } catch (Exception e) {
            // it did not start: nothing to stop
        }
    }

    private SparkConf sparkConf(String caseId) {
        SparkConf c = new SparkConf();
        if (master != null) c.setMaster(master);
        c.setIfMissing("spark.app.name", "triage case " + caseId);
        // Results are written to the case as they come: their total is the case's listings, not a memory bound.
        c.setIfMissing("spark.driver.maxResultSize", "0");
        // Heartbeats carry the tasks' byte counts: the driver's progress is this fresh.
        c.setIfMissing("spark.executor.heartbeatInterval", "2s");
        c.setIfMissing("spark.ui.enabled", "false");
        if (c.get("spark.master", "local").startsWith("local")) {
            // One JVM: the driver's endpoints need no name lookup nor any interface but loopback.
            c.setIfMissing("spark.driver.host", "127.0.0.1");
            c.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
        }
        // Executors run this triage from the same path on every machine (shared storage): the driver's class path.
        if (!c.get("spark.master", "local").startsWith("local")) {
            c.setIfMissing("spark.executor.extraClassPath", System.getProperty("java.class.path"));
        }
        String opens = System.getProperty("triage.spark.opens");
        if (opens != null) c.setIfMissing("spark.executor.extraJavaOptions", opens);
        for (String kv : conf) {
            int eq = kv.indexOf('=');
            if (eq < 1) throw new CommandLine.ParameterException(new CommandLine(this), "--conf wants KEY=VALUE, was '" + kv + "'");
            c.set(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return c;
    }

    private Thread ticker(ClusterProgress progress, CaseRun run, SparkShares shares, PrintStream err) {
        long millis = Math.max(100, (long) (progressInterval * 1000));
        Thread t = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(millis);
                } catch (InterruptedException e) {
                    return;
                }
                err.println("triage: " + progress.line(run.progress().done(), shares.items()));
            }
        }, "triage-cluster-progress");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** {@code triage case run}'s rule, from the case as the run left it. */
    private static int exitCode(EvidenceCase kase, RunOutcome outcome) throws IOException {
        if (outcome.interrupted()) return 130;
        List<QueueEntry> queue = CaseQueue.of(kase.store());
        if (queue.stream().anyMatch(e -> e.item().counts().alertFiles() > 0)) return 1;
        if (!outcome.failures().isEmpty()) return 2;
        boolean unread = queue.stream().anyMatch(e -> e.level() != QueueLevel.LOW || e.item().counts().unreadable() > 0);
        return unread ? 3 : 0;
    }
}
