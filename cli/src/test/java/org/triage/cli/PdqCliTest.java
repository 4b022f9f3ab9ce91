package org.triage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 items 3 and 5 on the command line: {@code --pdq off|on}, {@code --pdq-distance},
 * {@code --pdq-dihedral}; what the scan says, the listing's PDQ keys, the report's {@code pdq}
 * member, the summary, and {@code triage rematch} reading a listing written with PDQ.
 */
class PdqCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;
    static Path evidence;
    static Path db;

    @BeforeAll
    static void evidence() throws Exception {
        evidence = Files.createDirectories(tmp.resolve("evidence"));
        Cli.exec(evidence, "/usr/bin/convert", "-size", "320x240", "-seed", "1", "plasma:fractal", "-seed", "2",
                "plasma:fractal", "-depth", "8", "+adjoin", "photo%d.jpg");
        Files.copy(evidence.resolve("photo0.jpg"), evidence.resolve("photo0-copy.jpg"));
        byte[] corrupt = new byte[3000];
        new Random(3).nextBytes(corrupt);
        corrupt[0] = (byte) 0xFF;
        corrupt[1] = (byte) 0xD8;
        corrupt[2] = (byte) 0xFF;
        corrupt[3] = (byte) 0xE0;
        Files.write(evidence.resolve("corrupt.jpg"), corrupt);
        Files.writeString(evidence.resolve("notes.txt"), "not a picture");
        db = tmp.resolve("db");
        Path list = tmp.resolve("known.md5");
        Files.write(list, Cli.exec(evidence, "md5sum", "photo1.jpg"));
        Cli.importSet(list, db, "alerts", "--kind", "alert", "--category", "1");
    }

    private static Map<String, JsonNode> entries(Path listing) throws Exception {
        Map<String, JsonNode> byPath = new HashMap<>();
        for (String line : Files.readAllLines(listing)) {
            JsonNode n = JSON.readTree(line);
            if (n.has("path")) byPath.put(n.get("path").asText(), n);
        }
        return byPath;
    }

    @Test
    void pdqOnHashesEveryPictureAndSaysSo() throws Exception {
        Path listing = tmp.resolve("on.jsonl");
        Path report = tmp.resolve("on.json");
        Cli.Result r = Cli.run("scan", evidence.toString(), "--db", db.toString(), "--pdq", "on", "--all-files",
                listing.toString(), "--report", report.toString());
        // The digest match exits 1; the corrupt JPEG's pdq_error does not make the scan's exit 3.
        assertEquals(ExitCodes.ALERT, r.code(), r.toString());
        assertTrue(r.err().contains("triage: PDQ on: --pdq on"), r.err());
        assertTrue(r.out().contains("1 known picture by digest, 0 more by PDQ (re-encoded copies)"), r.out());
        assertTrue(r.out().contains("PDQ: 3 pictures hashed, 1 could not be decoded (3 distinct contents decoded, copies reused)"), r.out());

        Map<String, JsonNode> e = entries(listing);
        for (String p : List.of("photo0.jpg", "photo1.jpg", "photo0-copy.jpg")) {
            assertTrue(e.get(p).get("pdq").asText().matches("[0-9a-f]{64}"), e.get(p).toString());
            assertTrue(e.get(p).get("pdq_error").isNull(), e.get(p).toString());
        }
        assertEquals(e.get("photo0.jpg").get("pdq"), e.get("photo0-copy.jpg").get("pdq"));
        assertFalse(e.get("corrupt.jpg").get("pdq_error").isNull(), e.get("corrupt.jpg").toString());
        assertTrue(e.get("corrupt.jpg").get("error").isNull(), "the corrupt picture was still read and hashed");
        assertFalse(e.get("notes.txt").has("pdq"), e.get("notes.txt").toString());
        assertEquals(0, e.get("photo1.jpg").get("match").get(0).get("distance").asInt(), e.get("photo1.jpg").toString());

        JsonNode rep = JSON.readTree(report.toFile());
        assertTrue(rep.get("pdq").get("on").asBoolean(), rep.get("pdq").toString());
        assertEquals(31, rep.get("pdq").get("max_distance").asInt());
        assertEquals(1, rep.get("evidence").get(0).get("summary").get("pdq").get("known_by_digest").asInt());

        // A listing written with PDQ is still a listing triage rematch reads, every entry of it.
        Cli.Result re = Cli.run("rematch", listing.toString(), "--db", db.toString());
        assertEquals(ExitCodes.ALERT, re.code(), re.toString());
        assertTrue(re.out().contains("5 files"), re.out());
    }

    @Test
    void byDefaultAStoreWithoutPdqHashesLeavesPdqOff() throws Exception {
        Path listing = tmp.resolve("auto.jsonl");
        Cli.Result r = Cli.run("scan", evidence.toString(), "--db", db.toString(), "--all-files", listing.toString());
        assertEquals(ExitCodes.ALERT, r.code(), r.toString());
        assertTrue(r.err().contains("triage: PDQ off: the hash store holds no PDQ hashes"), r.err());
        for (JsonNode n : entries(listing).values()) assertFalse(n.has("pdq"), n.toString());
        assertFalse(r.out().contains("PDQ:"), r.out());
    }

    @Test
    void distanceAndDihedralReachTheReport() throws Exception {
        Path report = tmp.resolve("dihedral.json");
        Cli.Result r = Cli.run("scan", evidence.toString(), "--db", db.toString(), "--pdq", "on", "--pdq-distance", "10",
                "--pdq-dihedral", "--report", report.toString());
        assertEquals(ExitCodes.ALERT, r.code(), r.toString());
        JsonNode pdq = JSON.readTree(report.toFile()).get("pdq");
        assertEquals(10, pdq.get("max_distance").asInt(), pdq.toString());
        assertTrue(pdq.get("dihedral").asBoolean(), pdq.toString());
        Cli.Result off = Cli.run("scan", evidence.toString(), "--db", db.toString(), "--pdq", "off", "--report",
                tmp.resolve("off.json").toString());
        assertTrue(off.err().contains("triage: PDQ off: --pdq off"), off.err());
    }

    @Test
    void badPdqOptionsAreUsageErrorsNamingTheValue() {
        Cli.Result mode = Cli.run("scan", evidence.toString(), "--db", db.toString(), "--pdq", "maybe");
        assertEquals(ExitCodes.USAGE, mode.code(), mode.toString());
        assertTrue(mode.err().contains("--pdq must be 'on' or 'off', was 'maybe'"), mode.err());
        Cli.Result distance = Cli.run("scan", evidence.toString(), "--db", db.toString(), "--pdq-distance", "300");
        assertEquals(ExitCodes.USAGE, distance.code(), distance.toString());
        assertTrue(distance.err().contains("--pdq-distance must be between 0 and 255, was 300"), distance.err());
        assertTrue(Cli.run("scan", "--help").out().contains("--pdq-dihedral"));
    }
}
