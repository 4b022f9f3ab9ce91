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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.triage.model.PictureHash;

/**
 * Issue 12 end to end: a real store holding the PDQ hashes of known pictures, evidence holding
 * re-encoded, resized and cropped copies of them (made by ImageMagick), and the scan finding each
 * copy by PDQ at the distance an independent oracle gives, while MD5 finds none of them.
 *
 * <p>The oracle is {@link MagickPdqOracle}: ImageMagick's pixels, the engine's hasher;
 * {@link #theOracleIsTheReference} shows it gives the C++ reference's hash of a JPEG vector.
 */
class PdqNearMatchCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PDQ_SET = "known-pictures";
    private static final String MD5_SET = "known-md5";

    @TempDir
    static Path tmp;
    static Path evidence;
    static Path flatEvidence;
    static Path db;
    /** The known pictures (photo0, photo1, photo2, flat) and the copies planted in the evidence, with a rotated one. */
    static NearCopies pictures;

    @BeforeAll
    static void evidenceAndStore() throws Exception {
        pictures = NearCopies.make(tmp, 3, 11);
        evidence = pictures.evidence;
        flatEvidence = pictures.flatEvidence;
        pictures.plant(evidence, "photo1", "Pictures/rotated.jpg", "-rotate", "90", "-quality", "90");
        // One known picture as it is: found by its digest (MD5 list from md5sum).
        Files.copy(pictures.original("photo2"), evidence.resolve("photo2_exact.png"));
        for (Map.Entry<String, PictureHash> c : pictures.copies.entrySet()) {
            assertTrue(!c.getKey().contains("flat") == c.getValue().quality() >= PictureHash.RAISING_QUALITY,
                    c.getKey() + ": a photo has quality >= 50, the flat one under it: " + c.getValue());
        }

        db = tmp.resolve("db");
        Path pdqFile = tmp.resolve("known.pdq");
        Files.writeString(pdqFile, "# known pictures: generated, hash,quality,category\n" + pictures.pdqList(),
                StandardCharsets.US_ASCII);
        Cli.importSet(pdqFile, db, PDQ_SET, "--format", "pdq", "--kind", "alert");
        Path md5File = tmp.resolve("known.md5");
        Files.write(md5File, Cli.exec(tmp.resolve("originals"), "md5sum", "photo2.png"));
        Cli.importSet(md5File, db, MD5_SET, "--kind", "alert", "--category", "A");
    }

    /** The report's matches by path. */
    private static Map<String, List<JsonNode>> matches(JsonNode report) {
        Map<String, List<JsonNode>> byPath = new TreeMap<>();
        for (JsonNode m : report.get("matches")) byPath.computeIfAbsent(m.get("path").asText(), k -> new ArrayList<>()).add(m);
        return byPath;
    }

    private static JsonNode pdqMatch(List<JsonNode> ms) {
        for (JsonNode m : ms) if ("pdq".equals(m.get("by").asText())) return m;
        return null;
    }

    @Test
    void theOracleIsTheReference() throws Exception {
        Path vectors = null;
        for (Path d = Path.of("").toAbsolutePath(); d != null && vectors == null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("shared/pdq/expected.tsv"))) vectors = d.resolve("shared/pdq");
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(vectors != null, "the PDQ reference vectors (shared/pdq) are not beside the project");
        String expected = null;
        for (String line : Files.readAllLines(vectors.resolve("expected.tsv"))) {
            if (line.startsWith("bridge-mods_aaa-orig.jpg\t")) expected = line.split("\t")[1];
        }
        PictureHash h = MagickPdqOracle.hash(vectors.resolve("images/bridge-mods_aaa-orig.jpg"), tmp);
        assertEquals(expected, h.hash().hex(), "ImageMagick's pixels hashed by the engine are the C++ reference's hash");
    }

    @Test
    void theScanFindsEveryReEncodedCopyByPdqAndNoneByMd5() throws Exception {
        Path report = tmp.resolve("default.json");
        Path listing = tmp.resolve("default.jsonl");
        Cli.Result r = Cli.run("scan", evidence.toString(), "--db", db.toString(), "--report", report.toString(),
                "--all-files", listing.toString());
        assertEquals(ExitCodes.ALERT, r.code(), r.toString());
        // No --pdq: on because the store holds PDQ hashes, and the scan says so.
        assertTrue(r.err().contains("triage: PDQ on: the hash store holds 4 PDQ hashes"), r.err());
        assertTrue(r.out().contains("1 known picture by digest, 10 more by PDQ (re-encoded copies)"), r.out());

        JsonNode doc = JSON.readTree(report.toFile());
        Map<String, List<JsonNode>> found = matches(doc);
        Map<String, String> md5 = new TreeMap<>();
        for (String line : new String(Cli.exec(evidence, "bash", "-c", "find . -type f -printf '%P\\0' | xargs -0 md5sum"),
                StandardCharsets.UTF_8).split("\n")) {
            md5.put(line.substring(34), line.substring(0, 32));
        }
        String knownMd5 = Files.readString(tmp.resolve("known.md5")).substring(0, 32);
        List<String> report12 = new ArrayList<>();
        for (String copy : pictures.copies.keySet()) {
            if (!Files.exists(evidence.resolve(copy))) continue; // the flat picture's own evidence
            report12.add(copy + " oracle distance " + pictures.distance(copy));
            assertFalse(md5.get(copy).equals(knownMd5), copy + ": md5sum says MD5 would find it");
            if (copy.equals("Pictures/rotated.jpg")) {
                assertFalse(found.containsKey(copy), "without --pdq-dihedral a rotated copy is not near: " + found.get(copy));
                continue;
            }
            List<JsonNode> ms = found.get(copy);
            assertNotNull(ms, copy + " was not found; oracle distance " + pictures.distance(copy));
            for (JsonNode m : ms) assertEquals("pdq", m.get("by").asText(), copy + ": MD5 found it: " + m);
            JsonNode m = pdqMatch(ms);
            assertEquals(PDQ_SET, m.get("set").asText(), m.toString());
            assertEquals("A", m.get("category").asText(), m.toString());
            int distance = m.get("distance").asInt();
            assertTrue(distance <= 31, m.toString());
            assertEquals(pictures.distance(copy), distance, copy + ": the scan's distance is the oracle's");
            assertEquals(pictures.originalOf(copy).hash().hex(), m.get("known_pdq").asText(), m.toString());
            assertEquals(pictures.copies.get(copy).quality(), m.get("quality").asInt(), copy + ": the picture's quality is the oracle's");
            assertTrue(m.get("counted").asBoolean(), m.toString());
        }
        System.out.println("PdqNearMatchCliTest: " + report12);
        assertTrue(found.get("photo2_exact.png").stream().anyMatch(m -> "digest".equals(m.get("by").asText())
                && MD5_SET.equals(m.get("set").asText())), found.get("photo2_exact.png").toString());
        assertEquals(new TreeSet<>(List.of("photo2_exact.png")), new TreeSet<>(found.keySet().stream()
                .filter(p -> found.get(p).stream().anyMatch(m -> "digest".equals(m.get("by").asText()))).toList()),
                "only the exact copy is known by digest");

        JsonNode summary = doc.get("evidence").get(0).get("summary");
        assertEquals("high", summary.get("priority").asText(), summary.toString());
        assertTrue(summary.get("reason").asText().contains("known material that raises priority"), summary.toString());
        assertEquals(11, summary.get("alert_files").asInt(), summary.toString());
        assertEquals(1, summary.get("pdq").get("known_by_digest").asInt(), summary.toString());
        assertEquals(10, summary.get("pdq").get("known_by_pdq_only").asInt(), summary.toString());
        assertTrue(r.out().contains(summary.get("reason").asText()), r.out());
    }

    @Test
    void aFlatPictureNearKnownMaterialIsListedButDoesNotRaisePriority() throws Exception {
        Path report = tmp.resolve("flat.json");
        Cli.Result r = Cli.run("scan", flatEvidence.toString(), "--db", db.toString(), "--report", report.toString());
        JsonNode doc = JSON.readTree(report.toFile());
        JsonNode summary = doc.get("evidence").get(0).get("summary");
        assertEquals("low", summary.get("priority").asText(), summary.toString());
        assertTrue(summary.get("reason").asText().contains("1 picture near known material by PDQ at quality under 50"),
                summary.toString());
        assertEquals(0, summary.get("alert_files").asInt(), summary.toString());
        JsonNode m = pdqMatch(matches(doc).get("flat_copy.jpg"));
        assertFalse(m.get("counted").asBoolean(), m.toString());
        assertEquals(pictures.distance("flat_copy.jpg"), m.get("distance").asInt(), m.toString());
        assertTrue(m.get("quality").asInt() < PictureHash.RAISING_QUALITY, m.toString());
        assertEquals(ExitCodes.CLEAN, r.code(), r.toString());
        assertTrue(r.out().contains("1 picture near known material at PDQ quality under 50: listed, not counted"), r.out());
    }

    @Test
    void distanceZeroFindsOnlyTheExactPdq() throws Exception {
        Path report = tmp.resolve("zero.json");
        Cli.Result r = Cli.run("scan", evidence.toString(), "--db", db.toString(), "--pdq-distance", "0", "--report",
                report.toString());
        assertEquals(ExitCodes.ALERT, r.code(), r.toString());
        TreeSet<String> expected = new TreeSet<>(List.of("photo2_exact.png"));
        for (String copy : pictures.copies.keySet()) {
            if (Files.exists(evidence.resolve(copy)) && pictures.distance(copy) == 0) expected.add(copy);
        }
        assertTrue(expected.contains("Downloads/same_pixels.bmp"), expected.toString());
        assertTrue(expected.size() < pictures.copies.size() - 2, "some copies must lie at a distance over 0: " + expected);
        assertEquals(expected, new TreeSet<>(matches(JSON.readTree(report.toFile())).keySet()));
    }

    @Test
    void dihedralFindsTheRotatedCopy() throws Exception {
        Path report = tmp.resolve("dihedral.json");
        Cli.Result r = Cli.run("scan", evidence.toString(), "--db", db.toString(), "--pdq-dihedral", "--report",
                report.toString());
        assertEquals(ExitCodes.ALERT, r.code(), r.toString());
        assertTrue(r.out().contains("1 known picture by digest, 11 more by PDQ (re-encoded copies)"), r.out());
        JsonNode m = pdqMatch(matches(JSON.readTree(report.toFile())).get("Pictures/rotated.jpg"));
        assertNotNull(m, "the rotated copy was not found with --pdq-dihedral");
        assertEquals(PDQ_SET, m.get("set").asText(), m.toString());
        assertTrue(m.get("distance").asInt() <= 31, m.toString());
    }
}
