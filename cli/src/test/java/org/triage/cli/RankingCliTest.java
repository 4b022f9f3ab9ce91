package org.triage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9, items 4, 6, 7, 8, 9 and the summary's words (item 12): ranks and words an examiner can
 * trust. Each test starts from the issue's command line and the wrong output it reported. The
 * images are built by Debian's tools (mkntfs/ntfscp, mkfs.vfat/mcopy/mdel, mke2fs, sfdisk,
 * ewfacquire); locations are checked against sleuthkit's {@code fls -r -p}; every test checks that
 * the evidence bytes are unchanged.
 */
class RankingCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BUILD = """
            set -euo pipefail
            export PATH="$PATH:/usr/sbin:/sbin" MTOOLS_SKIP_CHECK=1
            cd "$1"
            # NTFS in an MBR partition at 1 MiB: hello.txt (6 bytes) with the stream hello.txt:secret.jpg
            truncate -s 8M ntfs.img
            mkntfs -q -F -f -L RANK ntfs.img >/dev/null 2>&1
            ntfscp -q ntfs.img files/hello.txt hello.txt >/dev/null 2>&1
            ntfscp -q -N secret.jpg ntfs.img files/secret.jpg hello.txt >/dev/null 2>&1
            truncate -s 20M mbr.img
            printf 'label: dos\\nstart=2048, size=16384, type=7\\n' | sfdisk -q mbr.img >/dev/null
            dd if=ntfs.img of=mbr.img bs=512 seek=2048 conv=notrunc status=none
            rm ntfs.img
            # FAT, bare: a JPEG named invoice.txt, deleted
            mkfs.vfat -C -n RANKFAT fat.img 4096 >/dev/null
            mcopy -i fat.img files/invoice.txt files/hello.txt ::/
            mdel -i fat.img ::/invoice.txt
            # E01 of the MBR disk in three segments; only an MD5 stored (no -d sha1)
            ewfacquire -u -q -c none -S 8MiB -t mbr -C case -D mbr -e examiner -E ev -N notes mbr.img >/dev/null 2>&1
            # ext4 cut in half: most of it is not there
            mkdir -p ext4src && cp files/hello.txt ext4src/
            for i in $(seq 1 30); do head -c 20000 /dev/urandom > ext4src/r$i.bin; done
            mke2fs -q -t ext4 -b 1024 -d ext4src half-ext4.img 8M >/dev/null
            truncate -s 4M half-ext4.img
            rm -rf ext4src
            """;

    @TempDir
    static Path dir;
    static Path db;
    static Path cats;
    static Path nonRaising;
    static Path clean;
    static Path junk;

    @BeforeAll
    static void build() throws Exception {
        Path files = Files.createDirectories(dir.resolve("files"));
        Files.write(files.resolve("secret.jpg"), DemoCorpus.picture(new Random(21), "jpg"));
        Files.write(files.resolve("invoice.txt"), DemoCorpus.picture(new Random(22), "jpg"));
        Files.writeString(files.resolve("hello.txt"), "hello\n");
        Process p = new ProcessBuilder("bash", "-c", BUILD, "build", dir.toString()).inheritIO().start();
        assertTrue(p.waitFor(2, TimeUnit.MINUTES));
        assertEquals(0, p.exitValue(), "building the images");

        // The issue's nine matches: VICS 0, 1 (four), 2, 4, UK B and one without a category.
        cats = Files.createDirectories(dir.resolve("cats"));
        nonRaising = Files.createDirectories(dir.resolve("nonraising"));
        clean = Files.createDirectories(dir.resolve("clean"));
        Files.writeString(clean.resolve("notes.txt"), "nothing known\n");
        // An exhibit that cannot be examined: an EWF segment 1 (signature, segment number) whose sections are noise.
        // (Random bytes alone are no longer an image at all: since issue 11 they are hashed as a file.)
        byte[] ewf = random(new Random(3), 100_000);
        System.arraycopy(new byte[] {'E', 'V', 'F', 9, 13, 10, (byte) 0xff, 0, 1, 1, 0, 0, 0}, 0, ewf, 0, 13);
        junk = Files.write(dir.resolve("ex3.E01"), ewf);
        StringBuilder list = new StringBuilder();
        Random rnd = new Random(9);
        String[] categories = {"0", "1", "1", "1", "1", "2", "4", "B", ""};
        for (int i = 0; i < categories.length; i++) {
            byte[] b = random(rnd, 1000 + i);
            Files.write(cats.resolve("m" + i + ".bin"), b);
            list.append(md5(b)).append(categories[i].isEmpty() ? "" : "," + categories[i]).append('\n');
        }
        Files.writeString(cats.resolve("other.txt"), "not known\n");
        for (String c : new String[] {"0", "4"}) {
            byte[] b = random(rnd, 2000);
            Files.write(nonRaising.resolve("v" + c + ".bin"), b);
            list.append(md5(b)).append(',').append(c).append('\n');
        }
        list.append(md5(Files.readAllBytes(files.resolve("secret.jpg")))).append(",1\n");
        list.append(md5(Files.readAllBytes(files.resolve("invoice.txt")))).append(",1\n");
        Path alert = Files.writeString(dir.resolve("alert.txt"), list);
        db = dir.resolve("db");
        Cli.Result r = Cli.run("hashset", "import", alert.toString(), "--db", db.toString(), "--name", "caid", "--kind", "alert");
        assertEquals(0, r.code(), r.toString());
    }

    private static byte[] random(Random rnd, int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }

    private static String md5(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(b));
    }

    /** SHA-256 of every file under the given evidence paths: compared before and after each scan. */
    private static Map<String, String> evidence(Path... items) throws Exception {
        Map<String, String> out = new TreeMap<>();
        for (Path item : items) {
            try (Stream<Path> walk = Files.walk(item)) {
                for (Path p : (Iterable<Path>) walk::iterator) {
                    if (!Files.isRegularFile(p)) continue;
                    try (var in = Files.newInputStream(p)) {
                        MessageDigest d = MessageDigest.getInstance("SHA-256");
                        byte[] buf = new byte[1 << 16];
                        for (int n; (n = in.read(buf)) > 0; ) d.update(buf, 0, n);
                        out.put(p.toString(), HexFormat.of().formatHex(d.digest()));
                    }
                }
            }
        }
        return out;
    }

    /** The summary's block for one item: its "#n" line and the indented lines under it. */
    private static String block(String out, String source) {
        StringBuilder b = new StringBuilder();
        boolean in = false;
        for (String line : out.split("\n")) {
            if (line.startsWith("#")) in = line.endsWith(" " + source);
            else if (!line.startsWith(" ")) in = false;
            if (in) b.append(line).append('\n');
        }
        assertFalse(b.isEmpty(), source + " not in:\n" + out);
        return b.toString();
    }

    private static JsonNode item(JsonNode report, Path source) {
        for (JsonNode e : report.get("evidence")) {
            if (e.get("source").asText().equals(source.toString())) return e.get("summary");
        }
        throw new AssertionError(source + " not in the report: " + report.get("evidence"));
    }

    /**
     * Item 7: {@code #2 LOW …/ex3.E01 could not be read} ranked an unopened exhibit with the examined
     * ones. Now: HIGH, then UNKNOWN (not examined), then INCOMPLETE (a large share unreadable), then
     * LOW, each with its reason in words, in the summary and the report.
     */
    @Test
    void anItemNotExaminedOrHalfUnreadableRanksAboveLowAndSaysWhy() throws Exception {
        Path half = dir.resolve("half-ext4.img");
        Map<String, String> before = evidence(cats, half, junk, clean);
        Path report = dir.resolve("ranks.json");
        Cli.Result r = Cli.run("scan", clean.toString(), junk.toString(), half.toString(), cats.toString(),
                "--db", db.toString(), "--algorithms", "md5", "--report", report.toString());
        assertEquals(1, r.code(), r.toString()); // the alert match still decides the exit code
        String out = r.out();
        assertTrue(out.contains("#1 HIGH ") && block(out, cats.toString()).startsWith("#1 HIGH"), out);
        assertTrue(block(out, junk.toString()).startsWith("#2 UNKNOWN"), out);
        assertTrue(block(out, junk.toString()).contains("not examined: " + junk + ": EWF segment 1 (ex3.E01) is truncated or damaged"), out);
        assertTrue(block(out, half.toString()).startsWith("#3 INCOMPLETE"), out);
        assertTrue(block(out, half.toString()).contains("incomplete: "), out);
        assertTrue(block(out, clean.toString()).startsWith("#4 LOW"), out);
        assertTrue(block(out, clean.toString()).contains("no alert match"), out);

        JsonNode doc = JSON.readTree(report.toFile());
        assertEquals("unknown", item(doc, junk).get("priority").asText());
        assertEquals(2, item(doc, junk).get("rank").asInt());
        assertTrue(item(doc, junk).get("reason").asText().startsWith("not examined: "), doc.toString());
        assertEquals("incomplete", item(doc, half).get("priority").asText());
        assertTrue(item(doc, half).get("reason").asText().contains("image truncated"), item(doc, half).toString());
        assertEquals("low", item(doc, clean).get("priority").asText());
        assertEquals("high", item(doc, cats).get("priority").asText());
        assertEquals(before, evidence(cats, half, junk, clean));
    }

    /**
     * Item 6: {@code scan gap/x.E01 --quiet} with the middle segment missing printed nothing and
     * exited 3. Under --quiet, errors and warnings still go to stderr; even when another item's
     * alert match makes the exit code 1.
     */
    @Test
    void quietStillPrintsErrors() throws Exception {
        Path gap = Files.createDirectories(dir.resolve("gap"));
        Files.copy(dir.resolve("mbr.E01"), gap.resolve("mbr.E01"));
        Files.copy(dir.resolve("mbr.E03"), gap.resolve("mbr.E03"));
        Path e01 = gap.resolve("mbr.E01");
        Map<String, String> before = evidence(gap, cats);
        Cli.Result r = Cli.run("scan", e01.toString(), "--db", db.toString(), "--algorithms", "md5", "--quiet");
        assertEquals(3, r.code(), r.toString());
        assertEquals("", r.out(), "no summary under --quiet");
        assertTrue(r.err().contains("EWF segment 2 (") && r.err().contains("mbr.E02) is missing"), r.toString());
        assertTrue(r.err().contains(e01.toString()), r.toString());

        Cli.Result both = Cli.run("scan", cats.toString(), e01.toString(), "--db", db.toString(), "--algorithms", "md5", "--quiet");
        assertEquals(1, both.code(), both.toString());
        assertEquals("", both.out());
        assertTrue(both.err().contains("not examined") && both.err().contains("mbr.E02) is missing"), both.toString());
        assertFalse(both.err().contains("progress"), both.toString());
        assertEquals(before, evidence(gap, cats));
    }

    /** One fls -r -p line: inode, whether deleted, path, stream. */
    private record Fls(long inode, boolean deleted, String path, String stream) {
    }

    private static final Pattern FLS = Pattern.compile("^r/r (\\* )?(\\d+)(?:-\\d+-\\d+)?:\\t(.*)$");

    private static List<Fls> fls(Path image, String sectorOffset) throws Exception {
        String text = new String(Cli.exec(dir, "fls", "-r", "-p", "-o", sectorOffset, image.toString()), StandardCharsets.UTF_8);
        List<Fls> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            Matcher m = FLS.matcher(line);
            if (!m.matches()) continue;
            String path = m.group(3);
            int colon = path.indexOf(':');
            String stream = colon < 0 ? null : path.substring(colon + 1);
            out.add(new Fls(Long.parseLong(m.group(2)), m.group(1) != null, colon < 0 ? path : path.substring(0, colon), stream));
        }
        return out;
    }

    /**
     * Item 8: a hit in the NTFS stream hello.txt:secret.jpg showed as {@code "path": "hello.txt"},
     * the 6-byte text file; a deleted file was not marked deleted. Every match carries the listing
     * record's location fields, checked against fls, and the summary says where.
     */
    @Test
    void matchesCarryTheirLocation() throws Exception {
        Path mbr = dir.resolve("mbr.img");
        Path fat = dir.resolve("fat.img");
        Map<String, String> before = evidence(mbr, fat);
        Path report = dir.resolve("where.json");
        Path all = dir.resolve("where.jsonl");
        Cli.Result r = Cli.run("scan", mbr.toString(), fat.toString(), "--db", db.toString(), "--algorithms", "md5",
                "--report", report.toString(), "--all-files", all.toString());
        assertEquals(1, r.code(), r.toString());

        Fls stream = fls(mbr, "2048").stream().filter(f -> "secret.jpg".equals(f.stream())).findFirst().orElseThrow();
        Fls deleted = fls(fat, "0").stream().filter(Fls::deleted).filter(f -> f.path().endsWith("nvoice.txt"))
                .findFirst().orElseThrow();
        assertEquals("hello.txt", stream.path());

        Map<String, JsonNode> listing = new TreeMap<>();
        for (String line : Files.readAllLines(all)) {
            JsonNode n = JSON.readTree(line);
            if (!n.has("path")) continue; // the header and the items' end lines are not entries
            listing.put(n.get("source").asText() + "|" + n.get("path").asText() + "|" + n.get("stream").asText(""), n);
        }
        JsonNode matches = JSON.readTree(report.toFile()).get("matches");
        assertEquals(2, matches.size(), matches.toString());
        JsonNode inStream = null;
        JsonNode inDeleted = null;
        for (JsonNode m : matches) {
            if (m.get("source").asText().equals(mbr.toString())) inStream = m;
            if (m.get("source").asText().equals(fat.toString())) inDeleted = m;
        }
        assertNotNull(inStream, matches.toString());
        assertNotNull(inDeleted, matches.toString());

        assertEquals(stream.path(), inStream.get("path").asText());
        assertEquals("secret.jpg", inStream.get("stream").asText(), inStream.toString());
        assertEquals(stream.inode(), inStream.get("inode").asLong());
        assertFalse(inStream.get("deleted").asBoolean());
        assertEquals(2048L * 512, inStream.get("partition").get("offset").asLong());
        assertEquals("jpeg", inStream.get("type").asText());
        assertEquals(Files.size(dir.resolve("files/secret.jpg")), inStream.get("size").asLong());

        assertEquals(deleted.path(), inDeleted.get("path").asText());
        assertTrue(inDeleted.get("deleted").asBoolean(), inDeleted.toString());
        assertEquals(deleted.inode(), inDeleted.get("inode").asLong());
        assertTrue(inDeleted.get("partition").isNull());
        assertTrue(inDeleted.get("ext_mismatch").asBoolean(), "a JPEG named .txt");

        // The same location fields as the listing's record of that entry.
        for (JsonNode m : matches) {
            JsonNode l = listing.get(m.get("source").asText() + "|" + m.get("path").asText() + "|" + m.get("stream").asText(""));
            assertNotNull(l, m.toString());
            for (String f : new String[] {"partition", "inode", "deleted", "stream", "meta", "ext_mismatch", "type"}) {
                assertEquals(l.get(f), m.get(f), f + " of " + m);
            }
        }

        String out = r.out();
        assertTrue(block(out, mbr.toString()).contains("hello.txt:secret.jpg (alternate data stream, partition " + inStream.get("partition").get("index").asInt() + " at byte 1048576"), out);
        assertTrue(block(out, fat.toString()).contains(deleted.path() + " (deleted"), out);
        assertEquals(before, evidence(mbr, fat));
    }

    /**
     * Item 9: the terminal showed {@code ALERT: 9 files match known material: 0 1, 1 4, 2 1, 4 1, B 1,
     * uncategorised 1}. Now labels (the lab's where --categories gives one), "no category" not
     * "uncategorised", non-raising matches apart, and a LOW item with only those says why.
     */
    @Test
    void categoriesInWords() throws Exception {
        Path lab = Files.writeString(dir.resolve("lab.tsv"), "B\tIndecent, category B (lab wording)\t2\tyes\tlab\n");
        Map<String, String> before = evidence(cats, nonRaising);
        Path report = dir.resolve("words.json");
        Cli.Result r;
        try {
            r = Cli.run("scan", cats.toString(), nonRaising.toString(), "--db", db.toString(), "--algorithms", "md5",
                    "--categories", lab.toString(), "--report", report.toString());
        } finally {
            System.clearProperty(org.triage.priority.CategoryTable.PROPERTY);
            org.triage.priority.CategoryTable.reset();
        }
        assertEquals(1, r.code(), r.toString());
        String high = block(r.out(), cats.toString());
        assertTrue(high.contains("ALERT: 9 files match known material: VICS 1 Child abuse material (CAM) 4,"
                + " Indecent, category B (lab wording) 1, VICS 2 Child exploitive / age-difficult 1, no category 1;"
                + " not raising priority: VICS 0 Uncategorised / non-pertinent 1, VICS 4 Comparison images 1 (sets: caid 9)"), high);
        assertFalse(high.contains("uncategorised"), high);
        String low = block(r.out(), nonRaising.toString());
        assertTrue(low.startsWith("#2 LOW"), low);
        assertFalse(low.contains("ALERT:"), low);
        assertTrue(low.contains("only matches in categories that do not raise priority: VICS 0 Uncategorised / non-pertinent 1,"
                + " VICS 4 Comparison images 1"), low);

        JsonNode byCat = item(JSON.readTree(report.toFile()), cats).get("alert_by_category");
        assertEquals(JSON.readTree("{\"(no category)\": 1, \"0\": 1, \"1\": 4, \"2\": 1, \"4\": 1, \"B\": 1}"), byCat);
        assertEquals(before, evidence(cats, nonRaising));
    }

    /** Item 12: "1 pictures", "1 entries", "SHA-1 null" in the summary. */
    @Test
    void theSummaryReadsProperly() throws Exception {
        Path single = Files.createDirectories(dir.resolve("single"));
        Files.write(single.resolve("holiday.txt"), DemoCorpus.picture(new Random(5), "jpg"));
        Path e01 = dir.resolve("mbr.E01");
        Map<String, String> before = evidence(single, e01, junk);
        Cli.Result r = Cli.run("scan", e01.toString(), single.toString(), junk.toString(), "--db", db.toString(),
                "--algorithms", "md5");
        assertEquals(1, r.code(), r.toString());
        String out = r.out();
        assertFalse(out.contains("null"), out);
        assertFalse(out.contains("1 pictures") || out.contains("1 entries") || out.contains("1 files"), out);
        assertTrue(out.contains("SHA-1 not stored"), out);
        String one = block(out, single.toString());
        assertTrue(one.contains("1 file, ") && one.contains("1 picture, 0 videos"), one);
        assertTrue(one.contains("1 picture or video under a misleading extension"), one);
        assertTrue(block(out, e01.toString()).contains("1 file matches known material"), out);
        assertEquals(before, evidence(single, e01, junk));
    }

    private static void bigSparseFile(Path file, long size) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(size);
        }
    }

    /** Size, allocated blocks and mtime: a sparse file still all holes of the same size holds the same (zero) bytes. */
    private static String sparseState(Path file) throws Exception {
        return new String(Cli.exec(dir, "stat", "-c", "%s %b %Y", file.toString()), StandardCharsets.US_ASCII).trim();
    }

    /**
     * Item 4: of {@code scan big ex1 ex2.E01} interrupted during big, the report listed only big.
     * Every item is listed; those never started as {@code not scanned (interrupted)}, UNKNOWN.
     */
    @Test
    void anInterruptedScanListsEveryItem() throws Exception {
        Path big = Files.createDirectories(dir.resolve("big"));
        for (int i = 0; i < 5; i++) Files.writeString(big.resolve("f" + i + ".txt"), "file " + i);
        Path huge = big.resolve("zz-disk.img");
        bigSparseFile(huge, 200L << 30); // far more than the test waits for
        Path ex1 = Files.createDirectories(dir.resolve("ex1"));
        Files.writeString(ex1.resolve("a.txt"), "a");
        Path ex2 = Files.createDirectories(dir.resolve("ex2")).resolve("ex2.E01");
        Files.copy(dir.resolve("mbr.E01"), ex2);
        Files.copy(dir.resolve("mbr.E02"), ex2.resolveSibling("ex2.E02"));
        Files.copy(dir.resolve("mbr.E03"), ex2.resolveSibling("ex2.E03"));
        String hugeBefore = sparseState(huge);
        Files.move(huge, dir.resolve("huge-aside"));
        Map<String, String> before = evidence(big, ex1, ex2.getParent());
        Files.move(dir.resolve("huge-aside"), huge);

        Path report = dir.resolve("stopped.json");
        Path stdout = dir.resolve("stopped.out");
        Cli.Result r = Cli.interruptWhenProgressShows(stdout, List.of("scan", big.toString(), ex1.toString(),
                ex2.toString(), "--db", db.toString(), "--algorithms", "md5", "--report", report.toString(),
                "--progress-interval", "0.1"));
        assertEquals(130, r.code(), r.toString());

        JsonNode doc = JSON.readTree(report.toFile());
        assertTrue(doc.get("partial").asBoolean());
        assertEquals(3, doc.get("evidence").size(), doc.get("evidence").toString());
        assertTrue(item(doc, big).get("interrupted").asBoolean());
        for (Path never : List.of(ex1, ex2)) {
            JsonNode s = item(doc, never);
            assertEquals("unknown", s.get("priority").asText(), s.toString());
            assertEquals("not examined: not scanned (interrupted)", s.get("reason").asText());
            assertEquals(0, s.get("files").asInt());
        }
        String out = r.out();
        assertTrue(block(out, ex1.toString()).contains("UNKNOWN") && block(out, ex1.toString()).contains("not scanned (interrupted)"), out);
        assertTrue(block(out, ex2.toString()).contains("UNKNOWN"), out);

        assertEquals(hugeBefore, sparseState(huge));
        Files.move(huge, dir.resolve("huge-aside"));
        assertEquals(before, evidence(big, ex1, ex2.getParent()));
        Files.delete(dir.resolve("huge-aside"));
    }
}
