package org.triage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
    private static final String CONVERT = MagickPdqOracle.CONVERT;
    private static final String PDQ_SET = "known-pictures";
    private static final String MD5_SET = "known-md5";

    @TempDir
    static Path tmp;
    static Path evidence;
    static Path flatEvidence;
    static Path db;
    /** Oracle hashes: of the known originals by name, of every planted copy by evidence path. */
    static final Map<String, PictureHash> known = new LinkedHashMap<>();
    static final Map<String, PictureHash> copies = new TreeMap<>();
    /** The copy's known original. */
    static final Map<String, String> originalOf = new TreeMap<>();

    @BeforeAll
    static void evidenceAndStore() throws Exception {
        Path originals = Files.createDirectories(tmp.resolve("originals"));
        evidence = Files.createDirectories(tmp.resolve("evidence"));
        flatEvidence = Files.createDirectories(tmp.resolve("flat-evidence"));
        // Photo-like pictures (fractal plasma, softened), big enough for PDQ quality >= 50.
        for (int i = 0; i < 3; i++) {
            Cli.exec(originals, CONVERT, "-size", (480 + 80 * i) + "x" + (400 + 60 * i), "-seed", Integer.toString(11 + i),
                    "plasma:fractal", "-blur", "0x1", "-depth", "8", "photo" + i + ".png");
        }
        // A flat picture: its PDQ hash means nothing (quality under 50).
        Cli.exec(originals, CONVERT, "-size", "400x400", "xc:gray50", "-depth", "8", "flat.png");
        for (String name : List.of("photo0", "photo1", "photo2", "flat")) {
            known.put(name, oracle(originals.resolve(name + ".png")));
        }
        for (int i = 0; i < 3; i++) {
            String o = originals.resolve("photo" + i + ".png").toString();
            plant(evidence, "photo" + i, "DCIM/IMG_" + i + "_q70.jpg", o, "-quality", "70");
            plant(evidence, "photo" + i, "Pictures/half_" + i + ".jpg", o, "-resize", "50%", "-quality", "90");
            plant(evidence, "photo" + i, "Downloads/crop_" + i + ".png", o, "-crop", "+1+1", "+repage");
        }
        // The same pixels in another format: a PDQ distance of 0, bytes that no digest knows.
        plant(evidence, "photo0", "Downloads/same_pixels.bmp", originals.resolve("photo0.png").toString());
        plant(evidence, "photo1", "Pictures/rotated.jpg", originals.resolve("photo1.png").toString(), "-rotate", "90",
                "-quality", "90");
        // One known picture as it is: found by its digest (MD5 list from md5sum).
        Files.copy(originals.resolve("photo2.png"), evidence.resolve("photo2_exact.png"));
        Files.writeString(evidence.resolve("notes.txt"), "not a picture\n");
        plant(flatEvidence, "flat", "flat_copy.jpg", originals.resolve("flat.png").toString(), "-quality", "70");
        for (String name : copies.keySet()) {
            assertTrue(!name.contains("flat") == copies.get(name).quality() >= PictureHash.RAISING_QUALITY,
                    name + ": a photo has quality >= 50, the flat one under it: " + copies.get(name));
        }

        db = tmp.resolve("db");
        StringBuilder pdqList = new StringBuilder("# known pictures: generated, hash,quality,category\n");
        for (PictureHash h : known.values()) {
            pdqList.append(h.hash().hex()).append(',').append(h.quality()).append(",A\n");
        }
        Path pdqFile = tmp.resolve("known.pdq");
        Files.writeString(pdqFile, pdqList, StandardCharsets.US_ASCII);
        Cli.importSet(pdqFile, db, PDQ_SET, "--format", "pdq", "--kind", "alert");
        Path md5File = tmp.resolve("known.md5");
        Files.write(md5File, Cli.exec(originals, "md5sum", "photo2.png"));
        Cli.importSet(md5File, db, MD5_SET, "--kind", "alert", "--category", "A");
    }

    /** {@code convert ORIGINAL OPTIONS... evidence/rel}, and the oracle's hash of the result. */
    private static void plant(Path root, String original, String rel, String source, String... options) throws Exception {
        Path target = root.resolve(rel);
        Files.createDirectories(target.getParent());
        List<String> cmd = new ArrayList<>(List.of(CONVERT, source));
        cmd.addAll(List.of(options));
        cmd.add(target.toString());
        Cli.exec(root, cmd.toArray(String[]::new));
        copies.put(rel, oracle(target));
        originalOf.put(rel, original);
    }

    private static PictureHash oracle(Path picture) throws IOException, InterruptedException {
        return MagickPdqOracle.hash(picture, tmp);
    }

    private static int oracleDistance(String copy) {
        return copies.get(copy).hash().distance(known.get(originalOf.get(copy)).hash());
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
        PictureHash h = oracle(vectors.resolve("images/bridge-mods_aaa-orig.jpg"));
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
        for (String copy : copies.keySet()) {
            if (!Files.exists(evidence.resolve(copy))) continue; // the flat picture's own evidence
            report12.add(copy + " oracle distance " + oracleDistance(copy));
            assertFalse(md5.get(copy).equals(knownMd5), copy + ": md5sum says MD5 would find it");
            if (copy.equals("Pictures/rotated.jpg")) {
                assertFalse(found.containsKey(copy), "without --pdq-dihedral a rotated copy is not near: " + found.get(copy));
                continue;
            }
            List<JsonNode> ms = found.get(copy);
            assertNotNull(ms, copy + " was not found; oracle distance " + oracleDistance(copy));
            for (JsonNode m : ms) assertEquals("pdq", m.get("by").asText(), copy + ": MD5 found it: " + m);
            JsonNode m = pdqMatch(ms);
            assertEquals(PDQ_SET, m.get("set").asText(), m.toString());
            assertEquals("A", m.get("category").asText(), m.toString());
            int distance = m.get("distance").asInt();
            assertTrue(distance <= 31, m.toString());
            assertEquals(oracleDistance(copy), distance, copy + ": the scan's distance is the oracle's");
            assertEquals(known.get(originalOf.get(copy)).hash().hex(), m.get("known_pdq").asText(), m.toString());
            assertEquals(copies.get(copy).quality(), m.get("quality").asInt(), copy + ": the picture's quality is the oracle's");
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
        assertEquals(oracleDistance("flat_copy.jpg"), m.get("distance").asInt(), m.toString());
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
        for (String copy : copies.keySet()) {
            if (Files.exists(evidence.resolve(copy)) && oracleDistance(copy) == 0) expected.add(copy);
        }
        assertTrue(expected.contains("Downloads/same_pixels.bmp"), expected.toString());
        assertTrue(expected.size() < copies.size() - 2, "some copies must lie at a distance over 0: " + expected);
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
