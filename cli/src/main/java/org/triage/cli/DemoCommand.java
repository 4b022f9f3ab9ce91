package org.triage.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code triage demo}: generates a synthetic evidence folder and hash sets made from it, imports
 * them into a fresh store, runs a real scan and checks that exactly the planted files were found.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Generate a synthetic evidence folder (generated pictures and other files; no real material),",
            "build hash sets from a subset, import them, scan, and check that exactly the planted files are found."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the scan found exactly the planted files", "1:it did not (a bug: please report it)",
            ExitCodes.L2})
final class DemoCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--dir", paramLabel = "DIR", description = "Where to put the demo (default: a new temporary directory).")
    Path dir;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "20261125", description = "Seed of the generated corpus (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--images", paramLabel = "N", defaultValue = "300", description = "Number of generated pictures (default: ${DEFAULT-VALUE}).")
    int images;

    @Override
    public Integer call() throws Exception {
        if (images < 12) throw new CommandLine.ParameterException(spec.commandLine(), "--images must be at least 12, was " + images);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path root = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("triage-demo-");
        if (dir != null && Files.exists(root.resolve("evidence"))) {
            err.println("triage: " + root + " already holds a demo; give an empty or new --dir");
            return ExitCodes.USAGE;
        }
        DemoCorpus.Planted planted = DemoCorpus.generate(root, seed, images);
        out.printf(Locale.ROOT, "demo: generated %d files (%d pictures) in %s%n", planted.files(), planted.images(), planted.evidence());
        Path db = root.resolve("db");
        Path report = root.resolve("report.json");
        Path allFiles = root.resolve("all-files.jsonl");
        CommandLine cl = TriageCommand.commandLine(out, err);
        int rc = run(cl, "hashset", "import", planted.alertList().toString(), "--db", db.toString(),
                "--name", DemoCorpus.ALERT_SET, "--kind", "alert");
        if (rc == 0) rc = run(cl, "hashset", "import", planted.knownGoodList().toString(), "--db", db.toString(),
                "--name", DemoCorpus.KNOWN_GOOD_SET, "--kind", "known-good", "--category", "os");
        if (rc != 0) return ExitCodes.USAGE;
        int scanRc = run(cl, "scan", planted.evidence().toString(), "--db", db.toString(), "--report", report.toString(),
                "--all-files", allFiles.toString(), "--case", "DEMO-" + seed, "--examiner", "demo");
        if (scanRc != ExitCodes.ALERT) {
            err.println("demo: the scan exited " + scanRc + ", expected " + ExitCodes.ALERT + " (alert matches)");
            return 1;
        }
        return check(planted, report, out, err);
    }

    private static int run(CommandLine cl, String... args) {
        return cl.execute(args);
    }

    private static int check(DemoCorpus.Planted planted, Path report, PrintWriter out, PrintWriter err) throws IOException {
        JsonNode doc = new ObjectMapper().readTree(report.toFile());
        SortedSet<String> found = new TreeSet<>();
        for (JsonNode m : doc.get("matches")) found.add(m.get("path").asText());
        long knownGood = doc.get("evidence").get(0).get("summary").get("known_good_files").asLong();
        boolean ok = found.equals(planted.alertPaths()) && knownGood == planted.knownGoodPaths().size();
        if (ok) {
            out.printf(Locale.ROOT, "demo: OK, found exactly the %d planted files and set aside %d known-good files%n",
                    found.size(), knownGood);
            out.println("demo: report " + report);
            return 0;
        }
        SortedSet<String> missed = new TreeSet<>(planted.alertPaths());
        missed.removeAll(found);
        SortedSet<String> extra = new TreeSet<>(found);
        extra.removeAll(planted.alertPaths());
        err.printf("demo: MISMATCH: missed %s, unexpected %s, known-good %d of %d%n", missed, extra, knownGood,
                planted.knownGoodPaths().size());
        return 1;
    }
}
