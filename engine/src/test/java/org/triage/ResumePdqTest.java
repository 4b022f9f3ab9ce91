package org.triage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.triage.model.PictureHash;
import org.triage.model.RawPath;
import org.triage.model.RecordListener;
import org.triage.model.ScanResult;
import org.triage.pdq.MagickPixels;
import org.triage.report.AllFilesWriter;
import org.triage.store.HashStore;
import org.triage.store.HashStoreAdmin;
import org.triage.store.ImportFormat;
import org.triage.store.ImportRequest;
import org.triage.model.SetKind;
import org.triage.store.RocksHashStore;

/**
 * Issue 12/13 leftover: a scan resumed from the listing of an interrupted one ({@link Checkpoint})
 * with PDQ on must give every picture taken from the checkpoint its {@code pdq}, {@code pdq_quality},
 * {@code pdq_error} and near matches, so that the final listing equals an uninterrupted run's. Two
 * interruptions: a listing cut in the middle of a line (what kill -9 leaves) and a scan stopped
 * after some records (which marks the pictures it had not hashed yet). Oracles: md5sum for every
 * digest, ImageMagick's decode hashed for every PNG's PDQ (JPEGs within the decoders' rounding),
 * and the uninterrupted run's listing for the rest, line for line.
 */
class ResumePdqTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;
    static Path tree;
    static Path db;
    static Path scratch;
    static Path full;
    /** Oracle PDQ of each picture (ImageMagick's decode of it, as a lossless PNG, hashed). */
    static final Map<String, PictureHash> oracle = new TreeMap<>();

    @BeforeAll
    static void evidenceStoreAndAnUninterruptedRun() throws Exception {
        MagickPixels.requireConvert();
        tree = Files.createDirectories(tmp.resolve("evidence"));
        scratch = Files.createDirectories(tmp.resolve("scratch"));
        Path pics = Files.createDirectories(tree.resolve("DCIM"));
        List<String> args = new ArrayList<>(List.of(MagickPixels.CONVERT.toString(), "-size", "360x300"));
        for (int i = 0; i < 8; i++) args.addAll(List.of("-seed", String.valueOf(40 + i), "plasma:fractal"));
        args.addAll(List.of("-blur", "0x1", "-depth", "8", "+adjoin", "p%d.png"));
        Oracle.run(pics, args.toArray(new String[0]));
        Oracle.run(pics, MagickPixels.CONVERT.toString(), "p0.png", "-quality", "70", "p0_q70.jpg");
        Oracle.run(pics, MagickPixels.CONVERT.toString(), "p1.png", "-resize", "50%", "p1_half.png");
        Files.createDirectories(tree.resolve("copies"));
        Files.copy(pics.resolve("p2.png"), tree.resolve("copies/p2-copy.png"));
        Oracle.run(tree, MagickPixels.CONVERT.toString(), "-size", "300x300", "xc:gray50", "-depth", "8", "flat.png");
        byte[] corrupt = new byte[3000];
        new Random(9).nextBytes(corrupt);
        corrupt[0] = (byte) 0xFF;
        corrupt[1] = (byte) 0xD8;
        corrupt[2] = (byte) 0xFF;
        corrupt[3] = (byte) 0xE0;
        Files.write(tree.resolve("corrupt.jpg"), corrupt);
        // A picture inside an archive: the archive is one unit, taken whole or read again whole.
        Oracle.run(pics, "zip", "-q", "../pictures.zip", "p6.png", "p7.png");
        Path docs = Files.createDirectories(tree.resolve("docs"));
        for (int i = 0; i < 12; i++) Files.writeString(docs.resolve("note" + i + ".txt"), "note " + i + "\n");
        try (var s = Files.walk(tree)) {
            for (Path p : s.filter(f -> f.toString().endsWith(".png") || f.toString().endsWith(".jpg")).sorted().toList()) {
                if (p.endsWith("corrupt.jpg")) continue;
                Path png = MagickPixels.convert(p, scratch.resolve(p.getFileName() + ".oracle.png"));
                oracle.put(tree.relativize(p).toString(), Triage.pdqOf(png));
            }
        }

        // The store: PDQ hashes of three originals (the oracle's), and one picture's MD5 (md5sum's).
        db = tmp.resolve("db");
        StringBuilder pdq = new StringBuilder();
        for (String p : List.of("DCIM/p0.png", "DCIM/p1.png", "flat.png")) {
            pdq.append(oracle.get(p).hash().hex()).append(',').append(oracle.get(p).quality()).append(",A\n");
        }
        Path pdqList = tmp.resolve("known.pdq");
        Files.writeString(pdqList, pdq, StandardCharsets.US_ASCII);
        Path md5List = tmp.resolve("known.md5");
        Files.write(md5List, Oracle.run(tree, "md5sum", "DCIM/p5.png"));
        try (HashStoreAdmin w = RocksHashStore.openWritable(db)) {
            w.importSet(new ImportRequest(pdqList, "pictures", SetKind.ALERT, ImportFormat.PDQ, null, false, "test"));
            w.importSet(new ImportRequest(md5List, "lab", SetKind.ALERT, ImportFormat.PLAIN, "B", false, "test"));
        }
        full = tmp.resolve("full.jsonl");
        scan(full, null, null);
    }

    /** Scans the tree with PDQ on into {@code listing}; resumed from {@code from} when given; {@code stopAfter} records, if given. */
    private static ScanResult scan(Path listing, Checkpoint from, Integer stopAfter) throws Exception {
        AtomicReference<Scan> running = new AtomicReference<>();
        AtomicInteger seen = new AtomicInteger();
        try (AllFilesWriter w = new AllFilesWriter(listing); HashStore store = Triage.openStore(db)) {
            RecordListener stopper = r -> {
                if (stopAfter != null && seen.incrementAndGet() == stopAfter) running.get().stop();
            };
            ScanConfig.Builder b = ScanConfig.builder().source(tree.toString()).pdq(PdqMode.ON)
                    .listener(RecordListener.all(List.of(w, stopper)));
            if (from != null) b.resume(from);
            try (Scan scan = Triage.newScan(b.build(), store)) {
                running.set(scan);
                ScanResult result = scan.run();
                if (from != null) assertTrue(scan.resumed() > 0, "nothing was taken from the checkpoint");
                return result;
            }
        }
    }

    /** The listing's entry lines by path, each as written (its near matches included). */
    private static Map<String, JsonNode> entries(Path listing) throws IOException {
        Map<String, JsonNode> byPath = new TreeMap<>();
        for (String line : Files.readAllLines(listing)) {
            JsonNode n = JSON.readTree(line);
            if (n.has("path")) assertNull(byPath.put(n.get("path").asText(), n), "listed twice: " + line);
        }
        return byPath;
    }

    @Test
    void theUninterruptedRunAgreesWithTheOracles() throws Exception {
        Map<String, JsonNode> listed = entries(full);
        Map<RawPath, String> md5sum = Oracle.digests(tree, "md5sum");
        for (Map.Entry<RawPath, String> e : md5sum.entrySet()) {
            JsonNode n = listed.get(e.getKey().display());
            assertNotNull(n, e.getKey().display());
            assertEquals(e.getValue(), n.get("md5").asText(), e.getKey().display());
        }
        for (Map.Entry<String, PictureHash> e : oracle.entrySet()) {
            JsonNode n = listed.get(e.getKey());
            assertTrue(n.get("pdq").isTextual(), n.toString());
            int distance = e.getValue().hash().distance(org.triage.model.PdqHash.parse(n.get("pdq").asText()));
            if (e.getKey().endsWith(".png")) {
                assertEquals(0, distance, e.getKey());
                assertEquals(e.getValue().quality(), n.get("pdq_quality").asInt(), e.getKey());
            } else {
                assertTrue(distance <= 10, e.getKey() + " at " + distance);
            }
        }
        assertTrue(listed.get("corrupt.jpg").get("pdq_error").isTextual(), listed.get("corrupt.jpg").toString());
        System.out.println("ResumePdqTest: an archive member: " + Files.readAllLines(full).stream()
                .filter(l -> l.contains("\"container\":[\"pictures.zip\"]")).findFirst().orElse("none"));
        assertTrue(listed.get("DCIM/p0_q70.jpg").get("match").toString().contains("\"by\":\"pdq\""),
                "a re-encoded copy is a near match: " + listed.get("DCIM/p0_q70.jpg"));
    }

    @Test
    void resumedAfterAKillTheListingEqualsTheUninterruptedOne() throws Exception {
        // kill -9 leaves a prefix of the listing, its last line torn.
        List<String> lines = Files.readAllLines(full);
        StringBuilder cut = new StringBuilder();
        // Pictures are listed as their PDQ results come: cut after half of them.
        List<Integer> pictures = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) if (lines.get(i).contains("\"pdq\":\"")) pictures.add(i);
        int keep = pictures.get(pictures.size() / 2) + 1;
        for (int i = 0; i < keep; i++) cut.append(lines.get(i)).append('\n');
        cut.append(lines.get(keep), 0, lines.get(keep).length() / 2);
        Path killed = tmp.resolve("killed.jsonl");
        Files.writeString(killed, cut, StandardCharsets.UTF_8);
        Checkpoint c = Checkpoint.read(List.of(killed));
        assertTrue(c.entries() > 0);
        assertTrue(Files.readString(killed).contains("\"pdq\":\""), "the checkpoint holds pictures with their PDQ");

        Path resumed = tmp.resolve("resumed-after-kill.jsonl");
        scan(resumed, c, null);
        assertEquals(entries(full), entries(resumed));
    }

    @Test
    void resumedAfterAStopTheListingEqualsTheUninterruptedOne() throws Exception {
        Path stopped = tmp.resolve("stopped.jsonl");
        ScanResult s = scan(stopped, null, 6);
        assertTrue(s.interrupted(), "the scan was stopped");
        Path resumed = tmp.resolve("resumed-after-stop.jsonl");
        scan(resumed, Checkpoint.read(List.of(stopped)), null);
        assertEquals(entries(full), entries(resumed));
    }

    @Test
    void aPictureTheStoppedScanHadNotHashedIsNotTakenAsItWas() throws Exception {
        // The listing of a stopped scan names such a picture with pdq_error; the resumed scan hashes it.
        Map<String, JsonNode> listed = entries(full);
        StringBuilder fake = new StringBuilder();
        for (Map.Entry<String, JsonNode> e : listed.entrySet()) {
            com.fasterxml.jackson.databind.node.ObjectNode n = e.getValue().deepCopy();
            if (e.getKey().equals("DCIM/p3.png")) {
                n.putNull("pdq");
                n.putNull("pdq_quality");
                n.put("pdq_error", "not PDQ-hashed: the scan was stopped first");
            }
            fake.append(JSON.writeValueAsString(n)).append('\n');
        }
        Path stopped = tmp.resolve("pending.jsonl");
        Files.writeString(stopped, fake, StandardCharsets.UTF_8);
        Path resumed = tmp.resolve("resumed-pending.jsonl");
        scan(resumed, Checkpoint.read(List.of(stopped)), null);
        JsonNode p3 = entries(resumed).get("DCIM/p3.png");
        assertEquals(oracle.get("DCIM/p3.png").hash().hex(), p3.get("pdq").asText(), p3.toString());
        assertFalse(p3.get("pdq_error").isTextual(), p3.toString());
        assertEquals(entries(full), entries(resumed));
    }

    @Test
    void aResumeWithPdqOffListsNoPdq() throws Exception {
        Path resumed = tmp.resolve("resumed-off.jsonl");
        try (AllFilesWriter w = new AllFilesWriter(resumed); HashStore store = Triage.openStore(db)) {
            ScanConfig cfg = ScanConfig.builder().source(tree.toString()).pdq(PdqMode.OFF).listener(w)
                    .resume(Checkpoint.read(List.of(full))).build();
            try (Scan scan = Triage.newScan(cfg, store)) {
                scan.run();
                assertTrue(scan.resumed() > 0);
            }
        }
        for (Map.Entry<String, JsonNode> e : entries(resumed).entrySet()) {
            assertFalse(e.getValue().has("pdq"), "PDQ off, yet " + e.getValue());
            assertFalse(e.getValue().toString().contains("\"by\":\"pdq\""), e.getValue().toString());
        }
        // And the digests are md5sum's.
        for (Map.Entry<RawPath, String> e : Oracle.digests(tree, "md5sum").entrySet()) {
            assertEquals(e.getValue(), entries(resumed).get(e.getKey().display()).get("md5").asText());
        }
    }

    @Test
    void resumedWithPdqOnFromAScanWithItOffThePicturesAreHashed() throws Exception {
        Path off = tmp.resolve("off.jsonl");
        try (AllFilesWriter w = new AllFilesWriter(off); HashStore store = Triage.openStore(db)) {
            Triage.scan(ScanConfig.builder().source(tree.toString()).pdq(PdqMode.OFF).listener(w).build(), store);
        }
        List<String> lines = Files.readAllLines(off);
        StringBuilder cut = new StringBuilder();
        for (int i = 0; i < lines.size() * 2 / 3; i++) cut.append(lines.get(i)).append('\n');
        Path killed = tmp.resolve("off-killed.jsonl");
        Files.writeString(killed, cut, StandardCharsets.UTF_8);
        Path resumed = tmp.resolve("resumed-on.jsonl");
        scan(resumed, Checkpoint.read(List.of(killed)), null);
        assertEquals(entries(full), entries(resumed));
    }
}
