package org.triage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 leftover: {@code triage rematch} re-queries near matches from the listing's {@code pdq}
 * values, so a store that gained PDQ hashes after the scan finds the re-encoded copies the scan
 * could not. The scan ran with {@code --pdq on} against a store with no PDQ hash (its listing holds
 * every picture's {@code pdq}, no near match); the PDQ set is imported afterwards. Oracles: the
 * distance between ImageMagick's decode of the copy and of the original, hashed
 * ({@link MagickPdqOracle}); and a re-scan against the new store, whose matches the re-match must
 * give field for field.
 */
class RematchPdqCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;
    static Path evidence;
    static Path flatEvidence;
    static Path oldDb;
    static Path newDb;
    static Path listing;
    /** The known pictures (photo0, photo1, flat) and the copies planted in the evidence. */
    static NearCopies pictures;

    @BeforeAll
    static void scanBeforeThePdqSetExisted() throws Exception {
        pictures = NearCopies.make(tmp, 2, 21);
        evidence = pictures.evidence;
        flatEvidence = pictures.flatEvidence;

        // The old store: an MD5 alert list of something else (a scan needs an alert set), no PDQ hash.
        Path other = tmp.resolve("other.bin");
        Files.writeString(other, "some other known file\n");
        oldDb = tmp.resolve("old-db");
        Path md5 = tmp.resolve("old.md5");
        Files.write(md5, Cli.exec(tmp, "md5sum", "other.bin"));
        Cli.importSet(md5, oldDb, "old", "--category", "A");
        listing = tmp.resolve("scan.jsonl");
        Cli.Result r = Cli.run("scan", evidence.toString(), flatEvidence.toString(), "--db", oldDb.toString(), "--pdq", "on",
                "--all-files", listing.toString(), "--quiet");
        assertEquals(ExitCodes.CLEAN, r.code(), r.toString());
        assertTrue(Files.readString(listing).contains("\"pdq\":\""), "the listing holds the pictures' PDQ hashes");

        // The new store: the same MD5 set, and now the known pictures' PDQ hashes (the oracle's).
        newDb = tmp.resolve("new-db");
        Cli.importSet(md5, newDb, "old", "--category", "A");
        Path pdqList = tmp.resolve("known.pdq");
        Files.writeString(pdqList, pictures.pdqList(), StandardCharsets.US_ASCII);
        Cli.importSet(pdqList, newDb, "known-pictures", "--format", "pdq");
    }

    private static Map<String, JsonNode> pdqMatches(JsonNode report) {
        Map<String, JsonNode> byPath = new TreeMap<>();
        for (JsonNode m : report.get("matches")) {
            if ("pdq".equals(m.get("by").asText())) byPath.put(m.get("path").asText(), m);
        }
        return byPath;
    }

    private static Set<String> whole(JsonNode array) {
        Set<String> out = new TreeSet<>();
        for (JsonNode n : array) out.add(n.toString());
        return out;
    }

    private static JsonNode item(JsonNode report, Path source) {
        for (JsonNode e : report.get("evidence")) {
            if (e.get("source").asText().equals(source.toString())) return e.get("summary");
        }
        throw new AssertionError("no item " + source + " in " + report);
    }

    @Test
    void theRematchFindsTheReEncodedCopiesAtTheOraclesDistance() throws Exception {
        Path report = tmp.resolve("rematch.json");
        Cli.Result re = Cli.run("rematch", listing.toString(), "--db", newDb.toString(), "--report", report.toString());
        assertEquals(ExitCodes.ALERT, re.code(), re.toString());
        JsonNode doc = JSON.readTree(report.toFile());
        Map<String, JsonNode> found = pdqMatches(doc);
        for (String copy : pictures.copies.keySet()) {
            JsonNode m = found.get(copy);
            assertNotNull(m, copy + " was not found by PDQ; oracle distance " + pictures.distance(copy) + "; found " + found.keySet());
            assertEquals("known-pictures", m.get("set").asText(), m.toString());
            assertEquals("A", m.get("category").asText(), m.toString());
            assertEquals(pictures.distance(copy), m.get("distance").asInt(), copy + ": the distance is the oracle's");
            assertEquals(pictures.originalOf(copy).hash().hex(), m.get("known_pdq").asText(), m.toString());
            assertEquals(pictures.copies.get(copy).quality(), m.get("quality").asInt(), copy + ": the picture's quality is the oracle's");
        }
        assertFalse(found.containsKey("notes.txt"));
        // Quality rule: the flat copy (quality under 50) is listed, never counted, and leaves its item LOW.
        assertFalse(found.get("flat_copy.jpg").get("counted").asBoolean(), found.get("flat_copy.jpg").toString());
        assertTrue(found.get("DCIM/IMG_0_q70.jpg").get("counted").asBoolean(), found.get("DCIM/IMG_0_q70.jpg").toString());
        assertEquals("high", item(doc, evidence).get("priority").asText());
        assertEquals("low", item(doc, flatEvidence).get("priority").asText(), item(doc, flatEvidence).toString());
        assertEquals(pictures.copies.size() - 1, item(doc, evidence).get("alert_files").asInt(), item(doc, evidence).toString());

        // What a re-scan against the new store finds, field for field, and the same summary counts.
        Path rescan = tmp.resolve("rescan.json");
        Cli.Result r = Cli.run("scan", evidence.toString(), flatEvidence.toString(), "--db", newDb.toString(), "--report",
                rescan.toString());
        assertEquals(ExitCodes.ALERT, r.code(), r.toString());
        JsonNode rescanned = JSON.readTree(rescan.toFile());
        assertEquals(whole(rescanned.get("matches")), whole(doc.get("matches")));
        for (Path item : List.of(evidence, flatEvidence)) {
            for (String f : List.of("priority", "alert_files", "reason")) {
                assertEquals(item(rescanned, item).get(f), item(doc, item).get(f), item + " " + f);
            }
        }
    }

    @Test
    void pdqDistanceBoundsTheNearMatches() throws Exception {
        Path report = tmp.resolve("zero.json");
        Cli.Result re = Cli.run("rematch", listing.toString(), "--db", newDb.toString(), "--pdq-distance", "0",
                "--report", report.toString());
        assertEquals(ExitCodes.ALERT, re.code(), re.toString());
        Set<String> expected = new TreeSet<>();
        for (String copy : pictures.copies.keySet()) if (pictures.distance(copy) == 0) expected.add(copy);
        assertTrue(expected.contains("Downloads/same_pixels.bmp"), expected.toString());
        assertTrue(expected.size() < pictures.copies.size() - 1, "some copies must lie over distance 0: " + expected);
        assertEquals(expected, pdqMatches(JSON.readTree(report.toFile())).keySet());

        Cli.Result bad = Cli.run("rematch", listing.toString(), "--db", newDb.toString(), "--pdq-distance", "256");
        assertEquals(ExitCodes.USAGE, bad.code(), bad.toString());
        assertTrue(bad.err().contains("--pdq-distance"), bad.err());
    }

    @Test
    void theOldStoreFindsNothingByPdq() throws Exception {
        Path report = tmp.resolve("old.json");
        Cli.Result re = Cli.run("rematch", listing.toString(), "--db", oldDb.toString(), "--report", report.toString());
        assertEquals(ExitCodes.CLEAN, re.code(), re.toString());
        assertTrue(pdqMatches(JSON.readTree(report.toFile())).isEmpty());
    }

    @Test
    void anItemNamedAlikeInTwoListingsKeepsItsNearMatches() throws Exception {
        // The second listing's items are renamed ("... (listing b.jsonl)"): their pictures keep their PDQ.
        Path again = tmp.resolve("again.jsonl");
        Files.copy(listing, again, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Path report = tmp.resolve("two.json");
        Cli.Result re = Cli.run("rematch", listing.toString(), again.toString(), "--db", newDb.toString(), "--report",
                report.toString());
        assertEquals(ExitCodes.ALERT, re.code(), re.toString());
        JsonNode doc = JSON.readTree(report.toFile());
        Map<String, Integer> perSource = new TreeMap<>();
        for (JsonNode m : doc.get("matches")) {
            if ("pdq".equals(m.get("by").asText())) perSource.merge(m.get("source").asText(), 1, Integer::sum);
        }
        assertEquals(4, perSource.size(), "both items of both listings: " + perSource);
        assertEquals(2 * pictures.copies.size(), perSource.values().stream().mapToInt(Integer::intValue).sum(), perSource.toString());
    }
}
