package org.triage.pdq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.triage.Oracle;
import org.triage.PdqMode;
import org.triage.Scan;
import org.triage.ScanConfig;
import org.triage.Triage;
import org.triage.model.Algorithm;
import org.triage.model.EvidenceSummary;
import org.triage.model.FileRecord;
import org.triage.model.PictureCounts;
import org.triage.model.PictureHash;
import org.triage.model.RecordListener;
import org.triage.model.ScanResult;
import org.triage.store.HashStore;
import org.triage.store.HashStoreAdmin;
import org.triage.store.RocksHashStore;

/**
 * Issue 12 item 3: the PDQ stage in a real scan (real files, a real RocksDB store, the real
 * pipeline). Pictures are made by ImageMagick; each picture's PDQ is checked against the hash of
 * ImageMagick's own decode of it (the reference's pixels), digests against md5sum.
 */
class PdqScanTest {
    @TempDir
    static Path shared;
    static Path tree;
    static Path db;
    static Path scratch;
    /** Picture files (relative path) whose content is one of the distinct ones. */
    static final List<String> pictures = new ArrayList<>();
    static int distinct;
    static long largestPicture;

    @BeforeAll
    static void buildTree() throws Exception {
        MagickPixels.requireConvert();
        tree = Files.createDirectories(shared.resolve("evidence"));
        scratch = Files.createDirectories(shared.resolve("scratch"));
        Path pics = Files.createDirectories(tree.resolve("pics"));
        // Over 512 on a side (sampled as the reference samples), JPEG and PNG, all distinct.
        magick(pics, plasmas(100, 3, "640x480", "big%d.jpg"));
        magick(pics, plasmas(200, 2, "300x200", "small%d.png"));
        magick(pics, "-size", "200x150", "gradient:red-blue", "grey.jpg");
        // Many small distinct pictures: enough that a small PDQ queue fills and some are read again.
        magick(Files.createDirectories(tree.resolve("many")), plasmas(300, 30, "160x120", "m%02d.jpg"));
        try (Stream<Path> s = Files.walk(tree)) {
            for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                pictures.add(tree.relativize(p).toString());
                largestPicture = Math.max(largestPicture, Files.size(p));
            }
        }
        distinct = pictures.size();
        // Copies of one content, by bytes: decoded once.
        Path copies = Files.createDirectories(tree.resolve("copies/deeper"));
        Files.copy(pics.resolve("big0.jpg"), tree.resolve("copies/big0-copy.jpg"));
        Files.copy(pics.resolve("big0.jpg"), copies.resolve("big0-again.jpg"));
        Files.copy(pics.resolve("small1.png"), copies.resolve("small1-copy.png"));
        pictures.addAll(List.of("copies/big0-copy.jpg", "copies/deeper/big0-again.jpg", "copies/deeper/small1-copy.png"));
        // A JPEG by its signature whose body is noise: it cannot be decoded.
        byte[] corrupt = new byte[4000];
        new Random(5).nextBytes(corrupt);
        corrupt[0] = (byte) 0xFF;
        corrupt[1] = (byte) 0xD8;
        corrupt[2] = (byte) 0xFF;
        corrupt[3] = (byte) 0xE0;
        Files.write(tree.resolve("corrupt.jpg"), corrupt);
        Files.writeString(tree.resolve("notes.txt"), "not a picture", StandardCharsets.UTF_8);
        byte[] noise = new byte[300_000];
        new Random(6).nextBytes(noise);
        Files.write(tree.resolve("noise.bin"), noise);

        db = shared.resolve("store");
        try (HashStoreAdmin w = RocksHashStore.openWritable(db)) {
            // an empty store: PDQ is asked for with --pdq on
        }
    }

    /** {@code count} distinct plasma pictures (each its own seed: one seed gives one picture), 8-bit. */
    private static String[] plasmas(int firstSeed, int count, String size, String names) {
        List<String> args = new ArrayList<>(List.of("-size", size));
        for (int i = 0; i < count; i++) args.addAll(List.of("-seed", String.valueOf(firstSeed + i), "plasma:fractal"));
        args.addAll(List.of("-depth", "8", "+adjoin", names));
        return args.toArray(new String[0]);
    }

    private static void magick(Path dir, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(MagickPixels.CONVERT.toString());
        command.addAll(List.of(args));
        Oracle.run(dir, command.toArray(new String[0]));
    }

    /** One scan's records by relative path, and its result. */
    record Scanned(Map<String, FileRecord> records, ScanResult result) {
        EvidenceSummary summary() {
            return result.evidence().get(0);
        }
    }

    static Scanned scan(PdqMode mode, ScanConfig.Builder extra) throws Exception {
        Map<String, FileRecord> records = new TreeMap<>();
        RecordListener l = r -> records.put(r.path().display(), r);
        ScanConfig.Builder b = extra == null ? ScanConfig.builder() : extra;
        ScanConfig cfg = b.source(tree.toString()).listener(l).pdq(mode).build();
        try (HashStore store = Triage.openStore(db); Scan scan = Triage.newScan(cfg, store)) {
            ScanResult result = scan.run();
            return new Scanned(records, result);
        }
    }

    @Test
    void eachPictureGetsThePdqOfImageMagicksDecode() throws Exception {
        Scanned s = scan(PdqMode.ON, null);
        PdqHasher hasher = new PdqHasher();
        StringBuilder table = new StringBuilder();
        for (String p : pictures) {
            FileRecord r = s.records().get(p);
            assertNotNull(r, p);
            assertNotNull(r.pdq(), p + " has no PDQ result");
            assertNull(r.pdq().error(), p + ": " + r.pdq().error());
            PdqResult expected = hasher.hash(MagickPixels.decode(tree.resolve(p), scratch));
            int distance = expected.hash().distance(r.pdq().hash());
            table.append(String.format("%-32s distance %3d quality %3d / %3d%n", p, distance, r.pdq().quality(), expected.quality()));
            if (p.endsWith(".png")) {
                assertEquals(expected.hash(), r.pdq().hash(), p);
                assertEquals(expected.quality(), r.pdq().quality(), p);
            } else {
                // JPEG: ImageIO's decoder and ImageMagick's libjpeg round differently (the limit: 10).
                assertTrue(distance <= 10, p + " at distance " + distance + "\n" + table);
            }
        }
        System.out.print(table);
        assertNull(s.records().get("notes.txt").pdq(), "a text file has no PDQ");
        assertNull(s.records().get("noise.bin").pdq(), "a file of noise has no PDQ");
        FileRecord corrupt = s.records().get("corrupt.jpg");
        assertNotNull(corrupt.pdq(), "a corrupt JPEG is still a picture by its signature");
        assertNull(corrupt.pdq().hash());
        assertNotNull(corrupt.pdq().error());
        assertNull(corrupt.error(), "a picture that cannot be decoded was still read and hashed");
        assertEquals(0, s.summary().unreadable(), "pdq_error is not an unreadable entry");
    }

    @Test
    void eachContentIsDecodedOnce() throws Exception {
        Scanned s = scan(PdqMode.ON, null);
        PictureCounts c = s.summary().pictures();
        assertEquals(pictures.size(), c.hashed(), c.toString());
        assertEquals(1, c.failed(), c.toString());
        assertEquals(distinct + 1, c.decoded(), "each distinct content (and the corrupt one) decoded once: " + c);
        FileRecord original = s.records().get("pics/big0.jpg");
        for (String copy : List.of("copies/big0-copy.jpg", "copies/deeper/big0-again.jpg")) {
            FileRecord r = s.records().get(copy);
            assertEquals(original.pdq().hash(), r.pdq().hash(), copy);
            assertEquals(original.pdq().quality(), r.pdq().quality(), copy);
        }
        long reused = s.records().values().stream().filter(r -> r.pdq() != null && r.pdq().reused()).count();
        assertEquals(3, reused, "the three copies took the decode of their original");
    }

    @Test
    void digestsAndRecordsAreTheSameWithPdqOnAndOff() throws Exception {
        Scanned on = scan(PdqMode.ON, null);
        Scanned off = scan(PdqMode.OFF, null);
        assertEquals(off.records().keySet(), on.records().keySet());
        for (Map.Entry<String, FileRecord> e : off.records().entrySet()) {
            assertNull(e.getValue().pdq(), e.getKey() + " has a PDQ with --pdq off");
            assertEquals(comparable(e.getValue()), comparable(on.records().get(e.getKey()).withPdq(null)), e.getKey());
        }
        Map<String, String> md5sum = md5sum();
        assertEquals(md5sum.keySet(), on.records().keySet());
        for (Map.Entry<String, String> e : md5sum.entrySet()) {
            assertEquals(e.getValue(), on.records().get(e.getKey()).digests().hex(Algorithm.MD5), e.getKey());
        }
        assertEquals(PictureCounts.NONE, off.summary().pictures());
        assertFalse(off.result().pdq().on());
        assertTrue(on.result().pdq().on());
    }

    /**
     * A queue that holds one picture at a time: pictures that do not fit are remembered and read
     * again after the crypto pass; every picture still gets the PDQ the roomy scan gave it.
     */
    @Test
    void picturesThatDoNotFitTheQueueAreReadAgain() throws Exception {
        Map<String, FileRecord> roomy = scan(PdqMode.ON, null).records();
        Scanned tight = scan(PdqMode.ON, ScanConfig.builder().pdqLimits(largestPicture, largestPicture));
        for (String p : pictures) {
            PictureHash want = roomy.get(p).pdq();
            PictureHash got = tight.records().get(p).pdq();
            assertNotNull(got, p);
            assertNull(got.error(), p + ": " + got.error());
            assertEquals(want.hash(), got.hash(), p);
            assertEquals(want.quality(), got.quality(), p);
        }
        assertEquals(distinct + 1, tight.summary().pictures().decoded(), tight.summary().pictures().toString());
    }

    @Test
    void aPictureOverTheByteLimitGetsPdqErrorWithTheReason() throws Exception {
        long limit = 20_000;
        Scanned s = scan(PdqMode.ON, ScanConfig.builder().pdqLimits(1 << 20, limit));
        int over = 0;
        for (String p : pictures) {
            FileRecord r = s.records().get(p);
            if (Files.size(tree.resolve(p)) <= limit) {
                assertNull(r.pdq().error(), p);
                continue;
            }
            over++;
            assertNull(r.pdq().hash(), p);
            assertTrue(r.pdq().error().contains("over the limit of " + limit), r.pdq().error());
            assertNotNull(r.digests().hex(Algorithm.MD5), p + " is still hashed");
        }
        assertTrue(over > 0, "no test picture is over " + limit + " bytes");
    }

    /** Archive members flow through the same ring: a picture inside a ZIP gets the PDQ of the picture itself. */
    @Test
    void aPictureInsideAnArchiveIsHashedToo() throws Exception {
        Path item = Files.createDirectories(shared.resolve("zipped"));
        Path picture = tree.resolve("pics/small0.png");
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(item.resolve("holiday.zip")))) {
            zip.putNextEntry(new java.util.zip.ZipEntry("inner/small0.png"));
            Files.copy(picture, zip);
            zip.closeEntry();
        }
        List<FileRecord> records = new ArrayList<>();
        ScanConfig cfg = ScanConfig.builder().source(item.toString()).listener(records::add).pdq(PdqMode.ON).build();
        try (HashStore store = Triage.openStore(db); Scan scan = Triage.newScan(cfg, store)) {
            scan.run();
        }
        FileRecord member = records.stream().filter(FileRecord::inArchive).findFirst().orElseThrow();
        assertEquals("inner/small0.png", member.path().display());
        PdqResult expected = new PdqHasher().hash(MagickPixels.decode(picture, scratch));
        assertNotNull(member.pdq(), "an archive member that is a picture is PDQ-hashed");
        assertEquals(expected.hash(), member.pdq().hash());
        FileRecord zip = records.stream().filter(r -> !r.inArchive()).findFirst().orElseThrow();
        assertNull(zip.pdq(), "the archive itself is not a picture");
    }

    /**
     * A hard-linked picture: its record waits for its PDQ, and the later path (recorded from the first)
     * must wait with it and carry the same PDQ, not be lost or recorded without it.
     */
    @Test
    void everyPathOfAHardLinkedPictureCarriesItsPdq() throws Exception {
        Path item = Files.createDirectories(shared.resolve("linked"));
        Files.copy(tree.resolve("pics/big1.jpg"), item.resolve("first.jpg"));
        Files.createLink(item.resolve("second.jpg"), item.resolve("first.jpg"));
        Files.createLink(item.resolve("third.jpg"), item.resolve("first.jpg"));
        Map<String, FileRecord> records = new TreeMap<>();
        ScanConfig cfg = ScanConfig.builder().source(item.toString()).listener(r -> records.put(r.path().display(), r))
                .pdq(PdqMode.ON).build();
        try (HashStore store = Triage.openStore(db); Scan scan = Triage.newScan(cfg, store)) {
            scan.run();
        }
        assertEquals(3, records.size(), records.keySet().toString());
        PdqResult expected = new PdqHasher().hash(MagickPixels.decode(item.resolve("first.jpg"), scratch));
        for (FileRecord r : records.values()) {
            assertNotNull(r.pdq(), r.path().display());
            assertTrue(expected.hash().distance(r.pdq().hash()) <= 10, r.path().display());
        }
        long linked = records.values().stream().filter(r -> r.hardLinkOf() != null).count();
        assertEquals(2, linked, "two paths recorded as links of the one read");
    }

    @Test
    void autoIsOffWithAStoreWithoutPdqHashes() throws Exception {
        Scanned s = scan(PdqMode.AUTO, null);
        assertFalse(s.result().pdq().on(), s.result().pdq().toString());
        assertTrue(s.result().pdq().reason().contains("no PDQ hashes"), s.result().pdq().reason());
        for (FileRecord r : s.records().values()) assertNull(r.pdq(), r.path().display());
    }

    /** The record as text, digests in hex (a record compares its digests' arrays by reference). */
    private static String comparable(FileRecord r) {
        StringBuilder sb = new StringBuilder(r.toString().replaceAll("\\[B@[0-9a-f]+", "?"));
        for (Algorithm a : Algorithm.values()) sb.append(' ').append(r.digests().hex(a));
        return sb.toString();
    }

    private static Map<String, String> md5sum() throws Exception {
        byte[] out = Oracle.run(tree, "bash", "-c", "find . -type f -print0 | sort -z | xargs -0 md5sum");
        Map<String, String> m = new HashMap<>();
        for (String line : new String(out, StandardCharsets.UTF_8).split("\n")) {
            if (line.isBlank()) continue;
            m.put(line.substring(line.indexOf("./") + 2), line.substring(0, 32));
        }
        return m;
    }
}
