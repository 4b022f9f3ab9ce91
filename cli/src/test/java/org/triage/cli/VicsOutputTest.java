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
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code triage scan --vics}: what Griffeye and CAID tooling expect (VICS 2.0: integer Category,
 * upper-case MD5/SHA1, MediaFiles of FileName/FilePath/SourceID/Deleted), where every copy is and
 * what it is (stream, deleted, partition), and output that our own importer reads back (issue 9,
 * item 10 and the VICS part of item 8). Digests from md5sum/sha256sum, locations from fls.
 */
class VicsOutputTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;
    @RegisterExtension
    final EvidenceGuard evidenceUnchanged = new EvidenceGuard();

    static byte[] jpeg(int n) {
        return new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 16, 'J', 'F', 'I', 'F', 0, 1, (byte) n,
                (byte) (n >> 8), (byte) 0xFF, (byte) 0xD9};
    }

    static byte[] png(int n) {
        return new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R', (byte) n};
    }

    private static String sh(Path dir, String... cmd) throws Exception {
        return new String(Cli.exec(dir, cmd), StandardCharsets.UTF_8);
    }

    /** Pictures: one JPEG twice (VICS category 1), a JPEG in a UK list (B), a PNG in a list without category, a new PNG. */
    private Path pictures() throws Exception {
        Path pics = Files.createDirectories(tmp.resolve("pics/a/b")).getParent().getParent();
        Files.write(pics.resolve("a/holiday.jpg"), jpeg(1));
        Files.write(pics.resolve("a/b/copy.jpg"), jpeg(1));
        Files.write(pics.resolve("uk.jpg"), jpeg(2));
        Files.write(pics.resolve("nocat.png"), png(3));
        Files.write(pics.resolve("new.png"), png(4));
        Files.writeString(pics.resolve("notes.txt"), "not a picture");
        evidenceUnchanged.watch(pics);
        return pics;
    }

    private Map<String, JsonNode> byMd5(Path vics) throws Exception {
        Map<String, JsonNode> m = new HashMap<>();
        for (JsonNode media : JSON.readTree(vics.toFile()).get("value")) m.put(media.get("MD5").asText(), media);
        return m;
    }

    private static String md5(Path dir, String file) throws Exception {
        return sh(dir, "md5sum", file).substring(0, 32).toUpperCase(Locale.ROOT);
    }

    @Test
    void scanOutputHasVicsTypesAbsolutePathsAndImportsBackFaithfully() throws Exception {
        Path pics = pictures();
        Path db = tmp.resolve("db");
        Path vicSet = tmp.resolve("vic.json");
        Files.writeString(vicSet, "{\"@odata.context\": \"http://github.com/VICSDATAMODEL/ProjectVic/DataModels/2.0.xml/Default/$metadata#Media\","
                + " \"value\": [{\"MediaID\": 1, \"Category\": 1, \"MD5\": \"" + md5(pics, "a/holiday.jpg") + "\"}]}\n");
        Cli.importSet(vicSet, db, "vic");
        Path uk = tmp.resolve("uk.txt");
        Files.writeString(uk, md5(pics, "uk.jpg") + ",B\n");
        Cli.importSet(uk, db, "uk");
        Path lab = tmp.resolve("lab.md5");
        Files.write(lab, Cli.exec(pics, "md5sum", "nocat.png"));
        Cli.importSet(lab, db, "lab");

        // The evidence given as a relative path, as an examiner types it.
        Path relative = Path.of("").toAbsolutePath().relativize(pics);
        assertFalse(relative.isAbsolute());
        Path out = tmp.resolve("seen.json");
        Cli.Result r = Cli.run("scan", relative.toString(), "--db", db.toString(), "--vics", out.toString(), "--quiet");
        assertEquals(1, r.code(), r.toString());

        Map<String, JsonNode> media = byMd5(out);
        assertEquals(4, media.size(), media.toString());
        for (JsonNode m : media.values()) {
            assertTrue(m.get("MediaID").isIntegralNumber(), m.toString());
            assertTrue(!m.has("Category") || m.get("Category").isIntegralNumber(), "Category is a VICS number or absent: " + m);
            assertTrue(m.get("MD5").asText().matches("[0-9A-F]{32}"), m.toString());
            for (JsonNode f : m.get("MediaFiles")) {
                assertTrue(f.get("FilePath").asText().startsWith(pics.toString()), "absolute folder: " + f);
                assertEquals(pics.toString(), f.get("SourceID").asText(), f.toString());
                assertFalse(f.get("Deleted").asBoolean(), f.toString());
            }
        }
        JsonNode holiday = media.get(md5(pics, "a/holiday.jpg"));
        assertEquals(1, holiday.get("Category").asInt());
        assertEquals(List.of(pics + "/a/b|copy.jpg", pics + "/a|holiday.jpg"), files(holiday));
        JsonNode ukMedia = media.get(md5(pics, "uk.jpg"));
        assertFalse(ukMedia.has("Category"), "a UK letter is not a VICS number: " + ukMedia);
        assertEquals("B", ukMedia.get("@triage.category").asText(), ukMedia.toString());
        JsonNode nocat = media.get(md5(pics, "nocat.png"));
        assertFalse(nocat.has("Category"), nocat.toString());
        assertEquals("lab", nocat.get("@triage.sets").get(0).get("set").asText(), "matched, not new material: " + nocat);
        assertTrue(nocat.get("Comments").asText().contains("lab"), nocat.toString());
        JsonNode fresh = media.get(md5(pics, "new.png"));
        assertFalse(fresh.has("Category") || fresh.has("@triage.sets") || fresh.has("@triage.category"), fresh.toString());
        assertEquals(List.of(pics + "|new.png"), files(fresh));

        // Re-imported into an alert set: the two Media without a category are counted and refused...
        Cli.Result refused = Cli.run("hashset", "import", out.toString(), "--db", db.toString(), "--name", "back");
        assertEquals(2, refused.code(), refused.toString());
        assertTrue(refused.err().contains("2 of 4 Media have no Category"), refused.toString());
        // ...and taken when the examiner says so; every category comes back as it was.
        Cli.Result back = Cli.run("hashset", "import", out.toString(), "--db", db.toString(), "--name", "back",
                "--allow-uncategorised");
        assertEquals(0, back.code(), back.toString());
        Path all = tmp.resolve("all.jsonl");
        Cli.run("scan", pics.toString(), "--db", db.toString(), "--all-files", all.toString(), "--quiet");
        Map<String, String> backCategory = new TreeMap<>();
        for (String line : Files.readAllLines(all)) {
            JsonNode n = JSON.readTree(line);
            if (!n.has("path")) continue; // the header and the items' end lines are not entries
            if (!n.get("match").isArray()) continue;
            for (JsonNode m : n.get("match")) {
                if (m.get("set").asText().equals("back")) backCategory.put(n.get("path").asText(), m.get("category").asText("none"));
            }
        }
        assertEquals(Map.of("a/holiday.jpg", "1", "a/b/copy.jpg", "1", "uk.jpg", "B", "nocat.png", "none", "new.png", "none"),
                backCategory);
    }

    private static List<String> files(JsonNode media) {
        List<String> out = new java.util.ArrayList<>();
        for (JsonNode f : media.get("MediaFiles")) out.add(f.get("FilePath").asText() + "|" + f.get("FileName").asText());
        return out.stream().sorted().toList();
    }

    @Test
    void sha256OnlyMediaCarryTheirDigestAndImportBack() throws Exception {
        Path pics = pictures();
        Path db = tmp.resolve("db");
        Path list = tmp.resolve("holiday.sha256");
        Files.write(list, Cli.exec(pics, "sha256sum", "a/holiday.jpg"));
        Cli.importSet(list, db, "s", "--category", "1");
        Path out = tmp.resolve("seen.json");
        Cli.Result r = Cli.run("scan", pics.toString(), "--db", db.toString(), "--algorithms", "sha256", "--vics", out.toString(),
                "--quiet");
        assertEquals(1, r.code(), r.toString());
        JsonNode value = JSON.readTree(out.toFile()).get("value");
        assertEquals(4, value.size(), value.toString());
        String holiday = sh(pics, "sha256sum", "a/holiday.jpg").substring(0, 64).toUpperCase(Locale.ROOT);
        boolean seen = false;
        for (JsonNode m : value) {
            JsonNode alt = m.get("AlternativeHashes");
            assertNotNull(alt, "a SHA-256-only Media carries its digest: " + m);
            assertEquals("SHA256", alt.get(0).get("HashName").asText());
            assertTrue(alt.get(0).get("HashValue").asText().matches("[0-9A-F]{64}"), m.toString());
            if (alt.get(0).get("HashValue").asText().equals(holiday)) {
                seen = true;
                assertEquals(1, m.get("Category").asInt());
            }
        }
        assertTrue(seen, value.toString());

        Cli.Result back = Cli.run("hashset", "import", out.toString(), "--db", db.toString(), "--name", "back", "--category", "0");
        assertEquals(0, back.code(), back.toString());
        assertTrue(back.out().contains("sha256 4"), back.toString());
        Path all = tmp.resolve("all.jsonl");
        Cli.run("scan", pics.toString(), "--db", db.toString(), "--algorithms", "sha256", "--all-files", all.toString(), "--quiet");
        int matched = 0;
        for (String line : Files.readAllLines(all)) {
            JsonNode n = JSON.readTree(line);
            if (!n.has("path")) continue; // the header and the items' end lines are not entries
            if (n.get("match").isArray() && n.get("match").toString().contains("\"back\"")) matched++;
        }
        assertEquals(5, matched, "every picture (the JPEG twice) matches the re-imported set");
    }

    /**
     * A GPT disk built with Debian's tools: NTFS with a picture in the alternate data stream
     * {@code hello.txt:secret.jpg}, FAT16 with {@code DCIM/photo.jpg} and a deleted {@code DCIM/gone.jpg}.
     */
    @Test
    void imageMediaFilesKeepImageAndInnerPathApartAndShowStreamDeletedAndPartition() throws Exception {
        Path work = Files.createDirectories(tmp.resolve("build"));
        Files.writeString(work.resolve("hello.txt"), "hello\n");
        Files.write(work.resolve("secret.jpg"), jpeg(10));
        Files.write(work.resolve("photo.jpg"), jpeg(11));
        Files.write(work.resolve("gone.jpg"), jpeg(12));
        sh(work, "bash", "-c", String.join("\n", "set -e", "export PATH=$PATH:/usr/sbin:/sbin MTOOLS_SKIP_CHECK=1",
                "truncate -s 8M ntfs.img && mkntfs -q -F -f ntfs.img >/dev/null 2>&1",
                "ntfscp -q ntfs.img hello.txt hello.txt >/dev/null 2>&1",
                "ntfscp -q -N secret.jpg ntfs.img secret.jpg hello.txt >/dev/null 2>&1",
                "mkfs.vfat -F 16 -s 1 -C fat.img 8192 >/dev/null && mmd -i fat.img ::/DCIM",
                "mcopy -i fat.img photo.jpg gone.jpg ::/DCIM/ && mdel -i fat.img ::/DCIM/gone.jpg",
                "truncate -s 20M disk.img",
                "printf 'label: gpt\\nstart=2048, size=16384\\nstart=18432, size=16384\\n' | sfdisk -q disk.img >/dev/null",
                "dd if=ntfs.img of=disk.img bs=512 seek=2048 conv=notrunc status=none",
                "dd if=fat.img of=disk.img bs=512 seek=18432 conv=notrunc status=none"));
        Path image = work.resolve("disk.img");
        String before = sh(work, "sha256sum", "disk.img");
        // The oracle: The Sleuth Kit's own listing of each partition.
        String ntfs = sh(work, "fls", "-r", "-o", "2048", "disk.img");
        String fat = sh(work, "fls", "-r", "-o", "18432", "disk.img");
        long streamInode = inode(ntfs, "hello.txt:secret.jpg");
        long goneInode = inode(fat, "one.jpg"); // FAT keeps "_one.jpg": the first letter is lost
        long photoInode = inode(fat, "photo.jpg");

        Path db = tmp.resolve("db");
        Path list = tmp.resolve("secret.md5");
        Files.write(list, Cli.exec(work, "md5sum", "secret.jpg"));
        Cli.importSet(list, db, "alerts", "--category", "1");
        Path relativeImage = Path.of("").toAbsolutePath().relativize(image);
        Path out = tmp.resolve("disk-media.json");
        Cli.Result r = Cli.run("scan", relativeImage.toString(), "--db", db.toString(), "--vics", out.toString(), "--quiet");
        assertEquals(1, r.code(), r.toString());

        Map<String, JsonNode> byName = new HashMap<>();
        Map<String, JsonNode> mediaByName = new HashMap<>();
        for (JsonNode m : JSON.readTree(out.toFile()).get("value")) {
            for (JsonNode f : m.get("MediaFiles")) {
                assertEquals(image.toString(), f.get("SourceID").asText(), "the image, absolute, apart from the inner path: " + f);
                assertTrue(f.get("FilePath").asText().startsWith("/"), f.toString());
                assertFalse(f.get("FilePath").asText().contains("disk.img"), f.toString());
                byName.put(f.get("FileName").asText(), f);
                mediaByName.put(f.get("FileName").asText(), m);
            }
        }
        JsonNode stream = byName.get("hello.txt:secret.jpg");
        assertNotNull(stream, "the stream is named as Windows tools name it: " + byName.keySet());
        assertEquals("/", stream.get("FilePath").asText());
        assertEquals("secret.jpg", stream.get("@triage.stream").asText());
        assertEquals(streamInode, stream.get("@triage.inode").asLong());
        assertEquals(mmlsIndex(sh(work, "mmls", "disk.img"), 2048), stream.get("@triage.partition").get("index").asInt());
        assertEquals(2048L * 512, stream.get("@triage.partition").get("offset").asLong());
        assertFalse(stream.get("Deleted").asBoolean());
        assertEquals(1, mediaByName.get("hello.txt:secret.jpg").get("Category").asInt());

        JsonNode photo = byName.get("photo.jpg");
        assertEquals("/DCIM", photo.get("FilePath").asText());
        assertEquals(photoInode, photo.get("@triage.inode").asLong());
        assertEquals(18432L * 512, photo.get("@triage.partition").get("offset").asLong());
        assertFalse(photo.get("Deleted").asBoolean());
        JsonNode gone = byName.entrySet().stream().filter(e -> e.getKey().endsWith("one.jpg")).map(Map.Entry::getValue)
                .findFirst().orElseThrow(() -> new AssertionError("deleted picture missing: " + byName.keySet()));
        assertTrue(gone.get("Deleted").asBoolean(), gone.toString());
        assertEquals(goneInode, gone.get("@triage.inode").asLong());
        assertEquals("/DCIM", gone.get("FilePath").asText());
        assertEquals(before, sh(work, "sha256sum", "disk.img"));
    }

    /** The slot mmls gives the partition starting at sector {@code start} ("004:  000   0000002048 ..."). */
    private static int mmlsIndex(String mmls, long start) {
        for (String line : mmls.lines().toList()) {
            String[] f = line.trim().split("\\s+");
            if (f.length > 3 && f[0].endsWith(":") && f[2].matches("[0-9]+") && Long.parseLong(f[2]) == start) {
                return Integer.parseInt(f[0].substring(0, f[0].length() - 1));
            }
        }
        throw new AssertionError("no partition at " + start + " in mmls output:\n" + mmls);
    }

    /** The metadata address fls gives a name ("r/r 64-128-4:\thello.txt:secret.jpg", "r/r * 7:\tgone.jpg"). */
    private static long inode(String fls, String nameEnd) {
        for (String line : fls.lines().toList()) {
            int tab = line.indexOf('\t');
            if (tab < 0 || !line.substring(tab + 1).endsWith(nameEnd)) continue;
            String addr = line.substring(0, tab).replaceAll(".*[ *]([0-9]+)(-[0-9-]+)?:$", "$1");
            return Long.parseLong(addr.trim());
        }
        throw new AssertionError(nameEnd + " not in fls output:\n" + fls);
    }
}
