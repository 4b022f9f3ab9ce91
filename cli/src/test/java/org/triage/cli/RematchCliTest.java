package org.triage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 11 item 4: {@code triage rematch LISTING... --db STORE}, an old scan's all-files listing
 * checked against a newer store without reading the evidence again. The oracle for what must be
 * found is md5sum (the new set is md5sum's own output) and a real re-scan of the evidence with the
 * new store; the listing's SHA-256 is sha256sum's. A listing that cannot prove its scan read
 * everything (interrupted, cut short, a bad line, no header) never comes out LOW.
 */
class RematchCliTest extends EvidenceFixture {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The names the new set holds: two files of the tree and a member of a ZIP in it. */
    private static final List<String> KNOWN = List.of("d1/file5.bin", "d2/file10.bin");
    private Path oldDb;
    private Path newDb;

    @BeforeEach
    void tree() throws Exception {
        Cli.randomFiles(evidence, 7, 40, 0, 50_000, i -> "d" + (i % 4));
        Path work = Files.createDirectories(tmp.resolve("work"));
        Cli.randomFiles(work, 8, 1, 1000, 20_000, i -> "pics");
        Cli.exec(work.resolve("pics"), "zip", "-q", evidence.resolve("d3/holiday.zip").toString(), "file0.bin");
        evidenceUnchanged.watch(evidence);

        // The old store knows nothing of the tree; the new one also holds md5sum's lines for the known files.
        oldDb = db;
        Path unrelated = Files.writeString(tmp.resolve("old.md5"), "0123456789abcdef0123456789abcdef  nothing\n");
        Cli.importSet(unrelated, oldDb, "caid-2026-10", "--kind", "alert", "--category", "A");
        newDb = tmp.resolve("db-new");
        Cli.importSet(unrelated, newDb, "caid-2026-10", "--kind", "alert", "--category", "A");
        StringBuilder lines = new StringBuilder();
        for (String k : KNOWN) lines.append(new String(Cli.exec(evidence, "md5sum", k), StandardCharsets.US_ASCII));
        lines.append(new String(Cli.exec(work.resolve("pics"), "md5sum", "file0.bin"), StandardCharsets.US_ASCII));
        Cli.importSet(Files.writeString(tmp.resolve("new.md5"), lines), newDb, "caid-2026-11", "--kind", "alert",
                "--category", "A");
    }

    /** The listing of a complete scan with the old store: nothing found then. */
    private Path scanWithOldStore() throws Exception {
        Path listing = tmp.resolve("ex1.jsonl");
        Cli.Result r = Cli.run("scan", evidence.toString(), "--db", oldDb.toString(), "--all-files", listing.toString(),
                "--quiet");
        assertEquals(ExitCodes.CLEAN, r.code(), r.toString());
        return listing;
    }

    /** Each alert match as source | container chain | path | md5 | set | category. */
    private static Set<String> matches(JsonNode report) {
        Set<String> out = new TreeSet<>();
        for (JsonNode m : report.get("matches")) {
            out.add(m.get("source").asText() + " | " + m.get("container") + " | " + m.get("path").asText() + " | "
                    + m.get("md5").asText() + " | " + m.get("set").asText() + " | " + m.get("category").asText());
        }
        return out;
    }

    private static Set<String> whole(JsonNode array) {
        Set<String> out = new TreeSet<>();
        for (JsonNode n : array) out.add(n.toString());
        return out;
    }

    private static JsonNode summary(JsonNode report) {
        assertEquals(1, report.get("evidence").size(), report.toString());
        return report.get("evidence").get(0).get("summary");
    }

    private static String sha256sum(Path file) throws Exception {
        return new String(Cli.exec(file.getParent(), "sha256sum", file.toString()), StandardCharsets.US_ASCII).split(" ")[0];
    }

    @Test
    void rematchFindsExactlyWhatARescanWithTheNewStoreFinds() throws Exception {
        Path listing = scanWithOldStore();
        String listingSha256 = sha256sum(listing);

        Path rematchReport = tmp.resolve("rematch.json");
        Cli.Result re = Cli.run("rematch", listing.toString(), "--db", newDb.toString(), "--report", rematchReport.toString());
        assertEquals(ExitCodes.ALERT, re.code(), re.toString());
        assertTrue(re.out().contains("ALERT: 3 files match known material"), re.out());
        assertTrue(re.out().contains("d3/holiday.zip!/file0.bin"), "the member is named by its chain: " + re.out());

        Path rescanReport = tmp.resolve("rescan.json");
        Cli.Result rescan = Cli.run("scan", evidence.toString(), "--db", newDb.toString(), "--report", rescanReport.toString());
        assertEquals(ExitCodes.ALERT, rescan.code(), rescan.toString());

        JsonNode rematched = JSON.readTree(rematchReport.toFile());
        JsonNode rescanned = JSON.readTree(rescanReport.toFile());
        Set<String> found = matches(rematched);
        assertEquals(matches(rescanned), found, "the re-match finds what a re-scan finds");
        // And what md5sum says: the set's lines are md5sum's, so each listed digest is one of them.
        Set<String> expected = new TreeSet<>();
        for (String line : Files.readAllLines(tmp.resolve("new.md5"))) {
            String md5 = line.split(" ")[0];
            String name = line.substring(line.indexOf("  ") + 2);
            String container = name.equals("file0.bin") ? "[\"d3/holiday.zip\"]" : "[]";
            expected.add(evidence + " | " + container + " | " + name + " | " + md5 + " | caid-2026-11 | A");
        }
        assertEquals(expected, found);
        // Every field of every match, where it was found included (type, inode, size, all three digests...).
        assertEquals(whole(rescanned.get("matches")), whole(rematched.get("matches")));
        for (String f : List.of("priority", "alert_files", "files", "regular_files", "unreadable", "severity")) {
            assertEquals(summary(rescanned).get(f), summary(rematched).get(f), f);
        }
        assertEquals("high", summary(rematched).get("priority").asText());

        // Marked as a re-match, with the listing's own provenance.
        JsonNode of = rematched.get("rematch").get("listings").get(0);
        assertEquals(listing.toString(), of.get("file").asText());
        assertEquals(listingSha256, of.get("sha256").asText(), "the listing's SHA-256, as sha256sum gives it");
        assertEquals(Files.size(listing), of.get("bytes").asLong());
        assertEquals(0, of.get("lines_lost").asLong());
        assertTrue(of.get("header").get("tool").asText().startsWith("triage "), of.toString());
        assertTrue(of.get("header").get("scan_started").isTextual(), of.toString());
        assertEquals("caid-2026-10", of.get("header").get("hash_store").get("sets").get(0).get("name").asText());
        assertFalse(rescanned.has("rematch"), "a scan's report is not marked as a re-match");
        assertTrue(re.out().contains(listingSha256), "the summary names the listing by its SHA-256: " + re.out());
    }

    @Test
    void aCompleteListingWithNothingKnownIsLowAndExitsZero() throws Exception {
        Path listing = scanWithOldStore();
        Path report = tmp.resolve("rematch.json");
        Cli.Result re = Cli.run("rematch", listing.toString(), "--db", oldDb.toString(), "--report", report.toString());
        assertEquals(ExitCodes.CLEAN, re.code(), re.toString());
        JsonNode s = summary(JSON.readTree(report.toFile()));
        assertEquals("low", s.get("priority").asText(), s.toString());
        assertEquals(41 + 1, s.get("files").asLong(), "40 files, the zip and its member");
    }

    @Test
    void aListingOfAnInterruptedScanIsNeverLow() throws Exception {
        // Its own folder: the guard's sha256sum of a 200 GB file would take minutes.
        Path big = Files.createDirectories(tmp.resolve("big-evidence"));
        Cli.randomFiles(big, 3, 20, 0, 10_000, i -> "d");
        try (RandomAccessFile f = new RandomAccessFile(Files.createDirectories(big.resolve("zz")).resolve("big.bin").toFile(), "rw")) {
            f.setLength(200L << 30); // far more than the test waits for
        }
        Path listing = tmp.resolve("interrupted.jsonl");
        Cli.Result scan = Cli.interruptWhenProgressShows(tmp.resolve("stdout.txt"), List.of("scan", big.toString(),
                "--db", oldDb.toString(), "--algorithms", "md5", "--all-files", listing.toString(), "--progress-interval", "0.1"));
        assertEquals(ExitCodes.INTERRUPTED, scan.code(), scan.toString());

        Path report = tmp.resolve("rematch.json");
        Cli.Result re = Cli.run("rematch", listing.toString(), "--db", oldDb.toString(), "--report", report.toString());
        assertEquals(ExitCodes.INCOMPLETE, re.code(), re.toString());
        JsonNode s = summary(JSON.readTree(report.toFile()));
        assertNotEquals("low", s.get("priority").asText(), s.toString());
        assertTrue(s.get("reason").asText().contains("interrupted"), s.toString());
        assertTrue(s.get("interrupted").asBoolean(), s.toString());
    }

    @Test
    void aCutShortListingIsReportedWithItsLineAndIsNotLow() throws Exception {
        Path listing = scanWithOldStore();
        List<String> lines = Files.readAllLines(listing);
        // A copy cut in the middle of line 6 (a killed scan writes whole lines; a copy may not).
        String cut = String.join("\n", lines.subList(0, 5)) + "\n" + lines.get(5).substring(0, lines.get(5).length() / 2);
        Path cutListing = Files.writeString(tmp.resolve("cut.jsonl"), cut);
        Path report = tmp.resolve("cut.json");
        Cli.Result re = Cli.run("rematch", cutListing.toString(), "--db", oldDb.toString(), "--report", report.toString());
        assertEquals(ExitCodes.INCOMPLETE, re.code(), re.toString());
        assertTrue(re.err().contains(cutListing + ", line 6: "), re.toString());
        JsonNode doc = JSON.readTree(report.toFile());
        assertNotEquals("low", summary(doc).get("priority").asText(), doc.toString());
        JsonNode of = doc.get("rematch").get("listings").get(0);
        assertEquals(1, of.get("lines_lost").asLong(), of.toString());
        assertEquals(6, of.get("problems").get(0).get("line").asLong(), of.toString());
        assertEquals(sha256sum(cutListing), of.get("sha256").asText());
    }

    @Test
    void aBadLineOrAMissingLineInTheMiddleIsNotLow() throws Exception {
        Path listing = scanWithOldStore();
        List<String> lines = new ArrayList<>(Files.readAllLines(listing));

        List<String> garbled = new ArrayList<>(lines);
        garbled.set(3, "{\"source\": \"" + evidence + "\", \"path\": ");
        Path bad = Files.write(tmp.resolve("bad.jsonl"), garbled);
        Cli.Result r1 = Cli.run("rematch", bad.toString(), "--db", oldDb.toString(), "--report", tmp.resolve("bad.json").toString());
        assertEquals(ExitCodes.INCOMPLETE, r1.code(), r1.toString());
        assertTrue(r1.err().contains(bad + ", line 4: "), r1.toString());
        assertNotEquals("low", summary(JSON.readTree(tmp.resolve("bad.json").toFile())).get("priority").asText());

        List<String> missing = new ArrayList<>(lines);
        missing.remove(7); // a whole entry line gone: every line left is well formed
        Path gap = Files.write(tmp.resolve("gap.jsonl"), missing);
        Cli.Result r2 = Cli.run("rematch", gap.toString(), "--db", oldDb.toString(), "--report", tmp.resolve("gap.json").toString());
        assertEquals(ExitCodes.INCOMPLETE, r2.code(), r2.toString());
        JsonNode s = summary(JSON.readTree(tmp.resolve("gap.json").toFile()));
        assertEquals("incomplete", s.get("priority").asText(), s.toString());
        assertTrue(s.get("reason").asText().contains("41 of the 42 entries"), s.toString());
    }

    @Test
    void anOlderListingWithoutHeaderIsTakenWithItsProvenanceUnknown() throws Exception {
        Path listing = scanWithOldStore();
        List<String> entries = Files.readAllLines(listing).stream().filter(l -> l.startsWith("{\"source\"")).toList();
        Path old = Files.write(tmp.resolve("old.jsonl"), entries);
        Path report = tmp.resolve("old.json");
        Cli.Result re = Cli.run("rematch", old.toString(), "--db", newDb.toString(), "--report", report.toString());
        assertEquals(ExitCodes.ALERT, re.code(), re.toString());
        assertTrue(re.out().contains("provenance unknown"), re.out());
        JsonNode doc = JSON.readTree(report.toFile());
        assertEquals(3, doc.get("matches").size(), doc.toString());
        assertTrue(doc.get("rematch").get("listings").get(0).get("header").isNull());

        // Without a match, such a listing is not LOW: nothing in it proves the scan read everything.
        Cli.Result clean = Cli.run("rematch", old.toString(), "--db", oldDb.toString(), "--report", report.toString());
        assertEquals(ExitCodes.INCOMPLETE, clean.code(), clean.toString());
        assertEquals("incomplete", summary(JSON.readTree(report.toFile())).get("priority").asText());
    }

    @Test
    void usageErrors() {
        Cli.Result none = Cli.run("rematch", "--db", newDb.toString());
        assertEquals(ExitCodes.USAGE, none.code(), none.toString());
        Cli.Result missing = Cli.run("rematch", tmp.resolve("nope.jsonl").toString(), "--db", newDb.toString());
        assertEquals(ExitCodes.USAGE, missing.code(), missing.toString());
        assertTrue(missing.err().contains("nope.jsonl"), missing.toString());
        assertTrue(Cli.run("rematch", "--help").out().contains("Exit codes:"));
    }
}
