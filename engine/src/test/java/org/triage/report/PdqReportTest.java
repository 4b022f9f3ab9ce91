package org.triage.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.triage.model.Algorithm;
import org.triage.model.ContentType;
import org.triage.model.Digests;
import org.triage.model.EntryType;
import org.triage.model.EvidenceSummary;
import org.triage.model.FileRecord;
import org.triage.model.Match;
import org.triage.model.NearMatch;
import org.triage.model.PdqHash;
import org.triage.model.PdqUse;
import org.triage.model.PictureCounts;
import org.triage.model.PictureHash;
import org.triage.model.Priority;
import org.triage.model.RawPath;
import org.triage.model.ScanResult;
import org.triage.model.SetKind;

/**
 * Issue 12 items 3 and 5 in the outputs: the listing's {@code pdq}, {@code pdq_quality},
 * {@code pdq_error}, the {@code distance} of every match entry, near matches in the report with
 * distance, quality, set and category, and whether PDQ was on. Checked by parsing the JSON.
 */
class PdqReportTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final PdqHash KNOWN = PdqHash.parse("a".repeat(64));
    private static final PdqHash SEEN = PdqHash.parse("b" + "a".repeat(63));
    private static final Match CAM = new Match("lab", SetKind.ALERT, "1");
    private static final Match DIGEST = new Match("nsrl", SetKind.KNOWN_GOOD, null);

    private static FileRecord record(String name, ContentType type, List<Match> matches, PictureHash pdq) {
        return new FileRecord("/evidence", RawPath.of(name), EntryType.FILE, 10, Digests.NONE, matches, null, null, type,
                false, null, null, List.of(), null, pdq);
    }

    private static final FileRecord NEAR = record("copy.jpg", ContentType.JPEG, List.of(DIGEST),
            PictureHash.hashed(SEEN, 77, List.of(new NearMatch(CAM, KNOWN, 1, 90))));
    private static final FileRecord BROKEN = record("broken.jpg", ContentType.JPEG, List.of(),
            PictureHash.failed("Unsupported JPEG process"));
    private static final FileRecord TEXT = record("notes.txt", ContentType.OTHER, List.of(), null);

    private static List<JsonNode> listing(FileRecord... records) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (AllFilesWriter w = new AllFilesWriter(out, "memory")) {
            for (FileRecord r : records) w.onRecord(r);
        }
        List<JsonNode> lines = new java.util.ArrayList<>();
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) lines.add(JSON.readTree(line));
        return lines;
    }

    @Test
    void theListingCarriesPdqAndEveryMatchItsDistance() throws Exception {
        List<JsonNode> lines = listing(NEAR, BROKEN, TEXT);
        JsonNode near = lines.get(0);
        assertEquals(SEEN.hex(), near.get("pdq").asText());
        assertEquals(77, near.get("pdq_quality").asInt());
        assertTrue(near.get("pdq_error").isNull());
        JsonNode digest = near.get("match").get(0);
        assertEquals("nsrl", digest.get("set").asText());
        assertEquals(0, digest.get("distance").asInt(), "an exact digest match is at distance 0");
        assertEquals("digest", digest.get("by").asText());
        JsonNode pdq = near.get("match").get(1);
        assertEquals("lab", pdq.get("set").asText());
        assertEquals("1", pdq.get("category").asText());
        assertEquals(1, pdq.get("distance").asInt());
        assertEquals("pdq", pdq.get("by").asText());
        assertEquals(77, pdq.get("quality").asInt(), "the query's quality");
        assertEquals(KNOWN.hex(), pdq.get("known_pdq").asText());

        JsonNode broken = lines.get(1);
        assertTrue(broken.get("pdq").isNull());
        assertTrue(broken.get("pdq_quality").isNull());
        assertEquals("Unsupported JPEG process", broken.get("pdq_error").asText());
        assertTrue(broken.get("match").isNull());

        JsonNode text = lines.get(2);
        assertFalse(text.has("pdq"), "a file that is not a picture has no PDQ keys");
    }

    @Test
    void theReportListsNearMatchesAndSaysWhetherPdqWasOn() throws Exception {
        ReportCollector collected = new ReportCollector();
        collected.onRecord(NEAR);
        collected.onRecord(BROKEN);
        EvidenceSummary s = new EvidenceSummary("/evidence", 2, 2, 20, 1, Map.of("lab", 1L), Map.of("1", 1L), 0, 0, 1, 0,
                Priority.HIGH, 3, 1, false, null, "1 file matches", 2, 0, 0, null, null, null, null,
                new PictureCounts(1, 1, 2, 1, 0, 1, 0));
        ScanResult result = new ScanResult(List.of(s), List.of(Algorithm.MD5), List.of(), Instant.EPOCH, Instant.EPOCH,
                false, List.of(), new PdqUse(true, "--pdq on", 31, false));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JsonReportWriter.write(OutputTarget.stream(out, "memory"), result,
                new ReportContext("triage test", null, null, "/store", List.of(), "jvm"), collected);
        JsonNode report = JSON.readTree(out.toByteArray());
        assertTrue(report.get("pdq").get("on").asBoolean());
        assertEquals(31, report.get("pdq").get("max_distance").asInt());
        JsonNode pictures = report.get("evidence").get(0).get("summary").get("pdq");
        assertEquals(1, pictures.get("known_by_pdq_only").asInt());
        assertEquals(1, pictures.get("failed").asInt());
        JsonNode matches = report.get("matches");
        assertEquals(1, matches.size(), matches.toString());
        JsonNode m = matches.get(0);
        assertEquals("copy.jpg", m.get("path").asText());
        assertEquals("lab", m.get("set").asText());
        assertEquals("1", m.get("category").asText());
        assertEquals(1, m.get("distance").asInt());
        assertEquals(77, m.get("quality").asInt());
        assertTrue(m.get("counted").asBoolean());
    }
}
