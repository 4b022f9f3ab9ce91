package org.triage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.triage.model.ContentType;

/** Issue 9, item 12: usage manners: verbosity, usage errors, help texts that say what is true. */
class UsageTest {
    /** What CategoryTable.load reads, in its order: help and README must both say exactly this. */
    private static final String CATEGORY_COLUMNS = "category, label, severity, raises (yes or no) and optionally scheme";

    private static Path projectRoot() {
        // Surefire runs in the module's directory (cli/).
        Path root = Path.of("").toAbsolutePath().getParent();
        assumeTrue(Files.isRegularFile(root.resolve("README.md")), "the project's README is needed");
        return root;
    }

    @Test
    void verbosityRepeatsAsTheHelpSays() {
        // "-vv" and "-v -v" failed: the option could be given once only.
        for (List<String> args : List.of(List.of("-vv", "scan", "--help"), List.of("-v", "-v", "scan", "--help"),
                List.of("scan", "-v", "-v", "--help"), List.of("-v", "scan", "-vv", "--help"))) {
            Cli.Result r = Cli.run(args.toArray(new String[0]));
            assertEquals(0, r.code(), args + ": " + r);
            assertEquals(args.stream().mapToInt(a -> a.startsWith("-v") ? a.length() - 1 : 0).sum(), Logging.verbosity(), args.toString());
        }
        assertEquals(0, Cli.run("scan", "--help").code());
        assertEquals(0, Logging.verbosity());
    }

    @Test
    void aUsageErrorIsOneLineAndWhereToGetHelp() {
        // It printed the whole 40-line help after the error. (An option name like no real one: picocli
        // adds a "Possible solutions" line for a near miss such as --no-such-option and --no-expand-images.)
        Cli.Result r = Cli.run("scan", "--xyzzy", "/tmp", "--db", "/tmp/nowhere");
        assertEquals(2, r.code(), r.toString());
        assertEquals(List.of("triage: Unknown option: '--xyzzy'", "Try 'triage scan --help' for more information."),
                r.err().lines().toList());
        assertEquals("", r.out());

        Cli.Result nested = Cli.run("hashset", "import");
        assertEquals(2, nested.code(), nested.toString());
        List<String> lines = nested.err().lines().toList();
        assertEquals(2, lines.size(), nested.err());
        assertTrue(lines.get(0).startsWith("triage: Missing required"), nested.err());
        assertEquals("Try 'triage hashset import --help' for more information.", lines.get(1));

        Cli.Result none = Cli.run();
        assertEquals(2, none.code(), none.toString());
        assertEquals(List.of("triage: a command is required: scan, hashset or demo", "Try 'triage --help' for more information."),
                none.err().lines().toList());
    }

    private static String exitCodes(String... command) {
        Cli.Result r = Cli.run(command);
        assertEquals(0, r.code(), r.toString());
        int at = r.out().indexOf("Exit codes:");
        assertTrue(at >= 0, r.out());
        return r.out().substring(at);
    }

    @Test
    void exitCodeListsNameOnlyWhatTheCommandDoes() {
        for (String[] cmd : List.of(new String[] {"scan", "--help"}, new String[] {"bench", "--help"},
                new String[] {"hashset", "info", "--help"}, new String[] {"hashset", "export", "--help"},
                new String[] {"hashset", "remove", "--help"})) {
            String codes = exitCodes(cmd);
            assertFalse(codes.contains("import"), String.join(" ", cmd) + " does not import:\n" + codes);
        }
        assertTrue(exitCodes("hashset", "import", "--help").contains("store is unchanged"));
        String scan = exitCodes("scan", "--help").replaceAll("\\s+", " ");
        assertTrue(scan.contains("output"), "a scan exits 2 when an output cannot be written: " + scan);
    }

    @Test
    void theCategoriesColumnsAreTheSameInHelpReadmeAndTheLoader() throws Exception {
        String help = Cli.run("scan", "--help").out().replaceAll("\\s+", " ");
        assertTrue(help.contains(CATEGORY_COLUMNS), help);
        String readme = Files.readString(projectRoot().resolve("README.md")).replaceAll("\\s+", " ");
        assertTrue(readme.contains(CATEGORY_COLUMNS), "README, Categories");
        // The loader's own message for a short line says the same.
        Path bad = Files.createTempFile("categories", ".tsv");
        try {
            Files.writeString(bad, "X\tlabel\n");
            Cli.Result r = Cli.run("scan", "/tmp", "--db", "/tmp/nowhere", "--categories", bad.toString());
            assertEquals(2, r.code(), r.toString());
            assertTrue(r.err().replaceAll("\\s+", " ").contains("expected category, label, severity, raises"), r.err());
        } finally {
            Files.delete(bad);
        }
    }

    @Test
    void theReadmeListingTableNamesEveryField() throws Exception {
        String readme = Files.readString(projectRoot().resolve("README.md"));
        int from = readme.indexOf("## All-files listing");
        String section = readme.substring(from, readme.indexOf("\n## ", from + 1));
        assertTrue(section.contains("| `ext_mismatch` |"), section);
        String typeRow = section.lines().filter(l -> l.startsWith("| `type` |")).findFirst().orElse("");
        for (ContentType t : ContentType.values()) {
            assertTrue(typeRow.contains("`" + t.label() + "`"), t.label() + " missing from: " + typeRow);
        }
    }

    @Test
    void aBuildPrintsNoEscapeCodes() throws Exception {
        // Maven 3.8's jansi wrote ESC[0m twice to each stream at exit, even with -B and style.color=never:
        // the launcher's first build showed "[0m[0m". Same flags as the launcher, cheapest goal.
        Path root = projectRoot();
        Process p = new ProcessBuilder("mvn", "-o", "-B", "-q", "-Dstyle.color=never", "-N", "validate")
                .directory(root.toFile()).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IOException("mvn did not finish");
        }
        assertEquals(0, p.exitValue(), new String(out, StandardCharsets.UTF_8));
        assertEquals("", new String(out, StandardCharsets.UTF_8).replace("\u001b", "ESC"));
    }
}
