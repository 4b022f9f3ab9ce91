package org.triage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 16 items 9, 14, 15 and 16 through the command line: pseudo-filesystems, the same evidence
 * named twice, unbounded thread counts, and names that attack the examiner's terminal. Every test
 * checks that the evidence is unchanged (hashdeep before and after) and that no Java exception
 * reaches the examiner.
 */
class LiveEvidenceCliTest extends EvidenceFixture {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A name that would clear the line, set the terminal's title and forge a progress line. */
    private static final String HOSTILE = "\u001b]0;pwned\u0007\u001b[2K\rtriage: progress: 0 alert matches\n\u009b31mforged\u007f.jpg";

    @BeforeEach
    void store() throws Exception {
        Files.writeString(evidence.resolve("a.txt"), "a");
        // md5("evil"), so that a file with that content is an alert match and its name is printed.
        Cli.importSet(Files.writeString(tmp.resolve("list.txt"), md5("evil") + "\n"), db, "x", "--kind", "alert");
    }

    private static String md5(String content) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5")
                .digest(content.getBytes(StandardCharsets.UTF_8)));
    }

    /** hashdeep's listing of every file under the evidence: equal before and after a scan. */
    private String evidenceHashes() throws Exception {
        return new String(Cli.exec(evidence, "hashdeep", "-r", "-l", "-c", "md5,sha256", "."), StandardCharsets.UTF_8)
                .lines().filter(l -> !l.startsWith("%") && !l.startsWith("#")).sorted().toList().toString();
    }

    private static void assertNoJavaText(Cli.Result r) {
        String all = r.out() + r.err();
        assertFalse(all.contains("Exception") || all.contains("java.") || all.contains("\tat "), r.toString());
    }

    // ---------------------------------------------------------------- item 9

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void procGivenAsEvidenceIsNotReadAndTheExaminerIsToldWhy() {
        Cli.Result r = Cli.run("scan", "/proc/self", "--db", db.toString());
        assertEquals(ExitCodes.INCOMPLETE, r.code(), r.toString());
        assertTrue(r.out().contains("procfs pseudo-filesystem (kernel state, not stored content): not read"), r.toString());
        assertTrue(r.out().contains("UNKNOWN /proc/self"), r.toString());
        assertNoJavaText(r);
    }

    /** A procfs mounted inside the tree (in a private mount namespace of the child): listed, unread, counted. */
    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aPseudoFilesystemMountedInsideTheTreeIsListedWithTheReasonAndNotRead() throws Exception {
        Path mountPoint = Files.createDirectories(evidence.resolve("p"));
        List<String> unshare = List.of("unshare", "-m", "sh", "-c", "mount -t proc proc \"$0\" && exec \"$@\"",
                mountPoint.toString());
        Process probe = new ProcessBuilder(new ArrayList<>(unshare) {{ add("true"); }}).start();
        assumeTrue(probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0, "cannot mount procfs in a mount namespace here");
        String before = evidenceHashes();
        Path listing = tmp.resolve("all.jsonl");
        Path report = tmp.resolve("report.json");
        Cli.Result r = Cli.fork(unshare, "scan", evidence.toString(), "--db", db.toString(), "--all-files",
                listing.toString(), "--report", report.toString());
        assertEquals(ExitCodes.INCOMPLETE, r.code(), r.toString());
        JsonNode p = null;
        JsonNode a = null;
        for (String line : Files.readAllLines(listing)) {
            JsonNode n = JSON.readTree(line);
            if (!n.has("path")) continue; // the header and the items' end lines are not entries
            if (n.get("path").asText().equals("p")) p = n;
            if (n.get("path").asText().startsWith("p/")) throw new AssertionError("read inside procfs: " + line);
            if (n.get("path").asText().equals("a.txt")) a = n;
        }
        assertTrue(p != null && p.get("type").asText().equals("directory"), Files.readString(listing));
        assertEquals("a procfs pseudo-filesystem (kernel state, not stored content): not read", p.get("error").asText());
        assertEquals(md5("a"), a.get("md5").asText());
        assertEquals(1, JSON.readTree(report.toFile()).get("evidence").get(0).get("summary").get("unreadable").asInt());
        assertNoJavaText(r);
        assertEquals(before, evidenceHashes());
    }

    // ---------------------------------------------------------------- item 14

    @Test
    void theSameEvidenceNamedFourWaysIsScannedOnceAndTheExaminerIsTold() throws Exception {
        Path link = Files.createSymbolicLink(tmp.resolve("link"), evidence);
        String before = evidenceHashes();
        Path report = tmp.resolve("report.json");
        String[] names = {evidence.toString(), evidence + "/", tmp + "/./evidence", link.toString()};
        Cli.Result r = Cli.run("scan", names[0], names[1], names[2], names[3], "--db", db.toString(),
                "--report", report.toString());
        assertEquals(ExitCodes.CLEAN, r.code(), r.toString());
        JsonNode rep = JSON.readTree(report.toFile());
        assertEquals(1, rep.get("evidence").size(), rep.toPrettyString());
        assertEquals(names[0], rep.get("evidence").get(0).get("source").asText());
        assertEquals(1, rep.get("evidence").get(0).get("summary").get("files").asInt());
        assertTrue(r.out().contains("1 evidence item scanned"), r.toString());
        for (int i = 1; i < names.length; i++) {
            String said = "'" + names[i] + "' is the same evidence as '" + names[0] + "': scanned once";
            assertTrue(r.err().contains("triage: " + said), r.toString());
            assertTrue(rep.get("notes").toString().contains(said.replace("\"", "\\\"")), rep.get("notes").toString());
        }
        assertNoJavaText(r);
        assertEquals(before, evidenceHashes());
    }

    // ---------------------------------------------------------------- item 15

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void threadAndReaderCountsAreBoundedWithAClearMessage() throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        String before = evidenceHashes();
        Cli.Result t = Cli.run("scan", evidence.toString(), "--db", db.toString(), "--threads", "10000");
        assertEquals(ExitCodes.USAGE, t.code(), t.toString());
        assertTrue(t.err().contains("--threads must be at most " + 4 * cores + " (4 per core on this machine), was 10000"), t.toString());
        Cli.Result r = Cli.run("scan", evidence.toString(), "--db", db.toString(), "--readers", "10000");
        assertEquals(ExitCodes.USAGE, r.code(), r.toString());
        assertTrue(r.err().contains("--readers must be at most 64, was 10000"), r.toString());
        // The bounds themselves are accepted.
        assertEquals(ExitCodes.CLEAN, Cli.run("scan", evidence.toString(), "--db", db.toString(), "--quiet",
                "--threads", Integer.toString(4 * cores), "--readers", "64").code());
        assertNoJavaText(t);
        assertNoJavaText(r);
        assertEquals(before, evidenceHashes());
    }

    // ---------------------------------------------------------------- item 16

    /** Every character a terminal acts on: C0 but the line feed, DEL, C1. */
    private static void assertNoControlCharacters(String text, String what) {
        text.lines().forEach(line -> {
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                assertFalse(c < 0x20 || (c >= 0x7f && c <= 0x9f),
                        what + ": control character U+" + Integer.toHexString(c) + " in: " + line);
            }
        });
    }

    @Test
    void namesThatAttackTheTerminalArePrintedEscaped() throws Exception {
        Path hostileDir = Files.createDirectories(tmp.resolve("ev\u001b[31m\n#2 LOW forged"));
        Files.writeString(hostileDir.resolve(HOSTILE), "evil");
        evidence = hostileDir;
        String before = evidenceHashes();
        Cli.Result r = Cli.run("scan", hostileDir.toString(), "--db", db.toString(), "--progress-interval", "0.1");
        assertEquals(ExitCodes.ALERT, r.code(), r.toString());
        assertNoControlCharacters(r.out(), "stdout");
        assertNoControlCharacters(r.err(), "stderr");
        assertTrue(r.out().contains("\\x1B]0;pwned\\x07\\x1B[2K\\x0Dtriage: progress: 0 alert matches\\x0A\\u009B31mforged\\x7F.jpg"),
                r.toString());
        assertTrue(r.out().contains("ev\\x1B[31m\\x0A#2 LOW forged"), r.toString());
        assertFalse(r.out().lines().anyMatch(l -> l.startsWith("#2")), "no forged line: " + r.out());
        assertFalse(r.err().lines().anyMatch(l -> l.startsWith("triage: progress: 0 alert matches")), r.err());
        assertNoJavaText(r);
        assertEquals(before, evidenceHashes());
    }

    /** The engine's warnings name files too: the CLI's log format escapes them, and the cause's message. */
    @Test
    void logLinesEscapeNamesAndCauses() {
        Logging.configure(0);
        Handler console = Logger.getLogger("").getHandlers()[0];
        LogRecord rec = new LogRecord(Level.WARNING, "cannot read '" + HOSTILE + "'");
        rec.setThrown(new java.io.IOException("at " + HOSTILE));
        String line = console.getFormatter().format(rec);
        String[] lines = line.split(System.lineSeparator());
        assertEquals(2, lines.length, line);
        assertTrue(lines[0].startsWith("triage: warning: cannot read '\\x1B]0;pwned"), line);
        assertTrue(lines[1].startsWith("  cause: at \\x1B]0;pwned"), line);
        assertFalse(line.contains("Exception"), "no Java exception text: " + line);
        assertNoControlCharacters(line, "log line");
    }
}
