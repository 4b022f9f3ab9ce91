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
            "build hash sets from a subset, import them, scan, and check that exactly the planted files are found.",
            "It also plants re-encoded copies of known pictures (JPEG quality 70, half size, cropped by a pixel),",
            "imports the originals' PDQ hashes, and checks that PDQ finds each copy while MD5 finds none."},
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
        if (rc == 0) rc = run(cl, "hashset", "import", planted.pdqList().toString(), "--db", db.toString(),
                "--name", DemoCorpus.PDQ_SET, "--kind", "alert", "--format", "pdq");
        if (rc == 0) rc = run(cl, "hashset", "import", planted.knownGoodList().toString(), "--db", db.toString(),
                "--name", DemoCorpus.KNOWN_GOOD_SET, "--kind", "known-good", "--category", "os", "--format", "plain");
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

    /**
     * The demo's own verdict: the files matched by digest are exactly the planted ones, the files
     * matched by PDQ alone exactly the re-encoded copies (each counted, within the scan's distance),
     * and the known-good count is what was planted.
     */
    private static int check(DemoCorpus.Planted planted, Path report, PrintWriter out, PrintWriter err) throws IOException {
        JsonNode doc = new ObjectMapper().readTree(report.toFile());
        SortedSet<String> byDigest = new TreeSet<>();
        SortedSet<String> byPdq = new TreeSet<>();
        int farthest = 0;
        for (JsonNode m : doc.get("matches")) {
            String path = m.get("path").asText();
            if ("digest".equals(m.get("by").asText())) {
                byDigest.add(path);
            } else if (m.get("counted").asBoolean()) {
                byPdq.add(path);
                farthest = Math.max(farthest, m.get("distance").asInt());
            }
        }
        byPdq.removeAll(byDigest);
        long knownGood = doc.get("evidence").get(0).get("summary").get("known_good_files").asLong();
        boolean ok = byDigest.equals(planted.alertPaths()) && byPdq.equals(planted.nearCopyPaths())
                && knownGood == planted.knownGoodPaths().size();
        if (ok) {
            out.printf(Locale.ROOT, "demo: OK, found exactly the %d planted files by digest and the %d re-encoded copies by PDQ"
                    + " (MD5 found none of them; PDQ distances up to %d bits), and set aside %d known-good files%n",
                    byDigest.size(), byPdq.size(), farthest, knownGood);
            out.println("demo: report " + report);
            return 0;
        }
        err.printf("demo: MISMATCH: by digest %s; by PDQ %s; known-good %d of %d%n",
                difference(planted.alertPaths(), byDigest), difference(planted.nearCopyPaths(), byPdq), knownGood,
                planted.knownGoodPaths().size());
        return 1;
    }

    /** "missed [...], unexpected [...]". */
    private static String difference(SortedSet<String> planted, SortedSet<String> found) {
        SortedSet<String> missed = new TreeSet<>(planted);
        missed.removeAll(found);
        SortedSet<String> extra = new TreeSet<>(found);
        extra.removeAll(planted);
        return "missed " + missed + ", unexpected " + extra;
    }
}
