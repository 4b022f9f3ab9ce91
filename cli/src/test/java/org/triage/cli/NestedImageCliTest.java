package org.triage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Disk images inside folders and inside images (issue 11 item 3), as an examiner meets them: an
 * exhibit's {@code ex2.E01 … ex2.E05} on an evidence share, a raw ext image saved inside a FAT
 * image. Before, the folder was a folder of opaque files: LOW, no alert match, exit 0, with a known
 * picture inside the E01. Every image is built by Debian's tools (mkfs.vfat, mtools, mke2fs -d,
 * ewfacquire); the pictures' MD5s are what {@code icat} extracts from the images, piped to md5sum
 * (sleuthkit reads the E01 itself, {@code -i ewf}), never our own reading.
 */
class NestedImageCliTest {
    @TempDir
    static Path tmp;
    /** {@code case/ex2.E01…E05} (a FAT image with pics/known.jpg) and a note beside it. */
    static Path share;
    /**
     * {@code outer.img}: a FAT image holding {@code inner.img} (an ext4 image holding known2.jpg),
     * {@code pics.zip} (known.jpg) and {@code tiny.E01} (an EWF image, not examined inside an image).
     */
    static Path nested;
    /** A corrupt image (an E01 of random bytes: no partition table, no filesystem) beside a file. */
    static Path damaged;
    static Path db;
    static String knownMd5;
    static String known2Md5;
    static String e01Md5;
    /** A lone {@code ex9.E02}: its {@code ex9.E01} is not there. */
    static Path orphan;
    /** {@code L1.img} holding L2.img … holding L5.img (an ext image with known2.jpg); L4.img also holds at4.jpg. */
    static Path deep;
    /** Two VMDKs of the exhibit's FAT image: a descriptor with a sparse extent, a descriptor with a flat extent. */
    static Path vmdks;

    @BeforeAll
    static void build() throws Exception {
        Path work = Files.createDirectories(tmp.resolve("work"));
        Random rnd = new Random(11);
        write(work.resolve("known.jpg"), rnd, 120_000);
        write(work.resolve("known2.jpg"), rnd, 90_000);
        write(work.resolve("filler.bin"), rnd, 1_500_000);

        // The exhibit: a FAT image acquired into 1 MiB EWF segments, in a case folder.
        sh(work, "mkfs.vfat -C fat.img 4096 >/dev/null && mmd -i fat.img ::/pics"
                + " && mcopy -i fat.img known.jpg ::/pics/known.jpg && mcopy -i fat.img filler.bin ::/filler.bin");
        share = Files.createDirectories(tmp.resolve("share"));
        Files.createDirectories(share.resolve("case"));
        sh(work, "ewfacquire -u -q -c none -d sha1 -S 1MiB -t " + share.resolve("case/ex2")
                + " -C c -D d -e e -E e -N n fat.img >/dev/null 2>&1");
        Files.writeString(share.resolve("case/notes.txt"), "exhibit 2, seized 1 May\n");
        assertTrue(Files.exists(share.resolve("case/ex2.E03")), "ewfacquire made several segments");
        knownMd5 = icatMd5(share.resolve("case/ex2.E01"), "-i ewf", "pics/known.jpg");
        e01Md5 = md5sum(share.resolve("case/ex2.E01"));

        // An ext4 image inside a FAT image, the FAT image in a folder.
        Files.createDirectories(work.resolve("root"));
        Files.copy(work.resolve("known2.jpg"), work.resolve("root/known2.jpg"));
        sh(work, "cp known.jpg deep.jpg && zip -q deep.zip deep.jpg && zip -q nest.zip deep.zip && zip -q card.zip fat.img");
        sh(work, "cp known.jpg zipped.jpg && zip -q -0 pics.zip zipped.jpg && head -c 70000 filler.bin > tiny.raw"
                + " && ewfacquire -u -q -c none -d sha1 -t tiny -C c -D d -e e -E e -N n tiny.raw >/dev/null 2>&1");
        sh(work, "mke2fs -q -t ext4 -d root inner.img 2M && mkfs.vfat -C outer.img 8192 >/dev/null"
                + " && mcopy -i outer.img inner.img ::/inner.img && mcopy -i outer.img pics.zip ::/pics.zip"
                + " && mcopy -i outer.img tiny.E01 ::/tiny.E01 && mcopy -i outer.img nest.zip ::/nest.zip");
        nested = Files.createDirectories(tmp.resolve("nested"));
        Files.copy(work.resolve("outer.img"), nested.resolve("outer.img"));
        Files.copy(work.resolve("card.zip"), nested.resolve("card.zip"));
        // The oracle: icat takes inner.img out of outer.img, icat takes known2.jpg out of that.
        sh(work, "icat outer.img " + inode(work.resolve("outer.img"), "", "inner.img") + " > extracted-inner.img");
        known2Md5 = icatMd5(work.resolve("extracted-inner.img"), "", "known2.jpg");

        damaged = Files.createDirectories(tmp.resolve("damaged"));
        write(work.resolve("noise.img"), rnd, 1_048_576);
        sh(work, "ewfacquire -u -q -c none -d sha1 -t " + damaged.resolve("broken")
                + " -C c -D d -e e -E e -N n noise.img >/dev/null 2>&1");
        Files.writeString(damaged.resolve("notes.txt"), "exhibit 3\n");

        orphan = Files.createDirectories(tmp.resolve("orphan"));
        sh(work, "ewfacquire -u -q -c none -d sha1 -S 1MiB -t ex9 -C c -D d -e e -E e -N n fat.img >/dev/null 2>&1");
        Files.copy(work.resolve("ex9.E02"), orphan.resolve("ex9.E02"));

        deep = Files.createDirectories(tmp.resolve("deep"));
        sh(work, "mke2fs -q -t ext4 -d root L5.img 2M && cp known.jpg at4.jpg"
                + " && mkfs.vfat -C L4.img 4096 >/dev/null && mcopy -i L4.img L5.img at4.jpg ::/"
                + " && mkfs.vfat -C L3.img 6144 >/dev/null && mcopy -i L3.img L4.img ::/"
                + " && mkfs.vfat -C L2.img 8192 >/dev/null && mcopy -i L2.img L3.img ::/"
                + " && mkfs.vfat -C L1.img 10240 >/dev/null && mcopy -i L1.img L2.img ::/");
        Files.copy(work.resolve("L1.img"), deep.resolve("L1.img"));

        vmdks = Files.createDirectories(tmp.resolve("vmdks"));
        sh(vmdks, "qemu-img convert -f raw -O vmdk -o subformat=twoGbMaxExtentSparse " + work.resolve("fat.img") + " sparse.vmdk"
                + " && qemu-img convert -f raw -O vmdk -o subformat=monolithicFlat " + work.resolve("fat.img") + " flat.vmdk");
        assertTrue(Files.exists(vmdks.resolve("sparse-s001.vmdk")) && Files.exists(vmdks.resolve("flat-flat.vmdk")));

        Path list = Files.writeString(tmp.resolve("alert.md5"), knownMd5 + "  known.jpg\n" + known2Md5 + "  known2.jpg\n");
        db = tmp.resolve("db");
        Cli.importSet(list, db, "alerts", "--kind", "alert", "--category", "A");
    }

    @Test
    void aKnownPictureInAnE01InAFolderIsAnAlertNamedByItsChain() throws Exception {
        String before = Cli.treeDigests(share);
        Path report = tmp.resolve("share-report.json");
        Path listing = tmp.resolve("share-all.jsonl");
        Cli.Result r = Cli.run("scan", share.toString(), "--db", db.toString(), "--report", report.toString(),
                "--all-files", listing.toString());
        assertEquals(before, Cli.treeDigests(share), "evidence changed");
        assertEquals(ExitCodes.ALERT, r.code(), r.toString());
        assertTrue(r.out().contains("HIGH"), r.toString());
        assertTrue(r.out().contains("case/ex2.E01!/pics/known.jpg"), r.toString());

        JsonNode json = new ObjectMapper().readTree(report.toFile());
        JsonNode m = json.get("matches").get(0);
        assertEquals("pics/known.jpg", m.get("path").asText());
        assertEquals(List.of("case/ex2.E01"), new ObjectMapper().convertValue(m.get("container"), List.class));
        assertEquals(knownMd5, m.get("md5").asText());
        // libewf opens the segments itself, without O_NOATIME: the item's report must not claim otherwise.
        JsonNode summary = json.get("evidence").get(0).get("summary");
        assertFalse(summary.get("atime_preserved").asBoolean(), summary.toString());
        assertTrue(summary.get("atime_note").asText().contains("case/ex2.E01: libewf"), summary.toString());

        Map<String, JsonNode> lines = listing(listing);
        // Taken once, from the first segment: no segment is hashed as an opaque file.
        for (int i = 1; i <= 5; i++) {
            JsonNode seg = lines.get("|case/ex2.E0" + i);
            assertNotNull(seg, "segment " + i + " is listed: " + lines.keySet());
            assertTrue(seg.get("md5").isNull(), "segment " + i + " was hashed as a file: " + seg);
            assertTrue(seg.get("error").isNull(), seg.toString());
            if (i > 1) assertTrue(seg.get("note").asText().contains("segment of case/ex2.E01"), seg.toString());
        }
        assertTrue(lines.get("|case/ex2.E01").get("note").asText().contains("disk image"), lines.get("|case/ex2.E01").toString());
        assertEquals(knownMd5, lines.get("case/ex2.E01|pics/known.jpg").get("md5").asText());
        assertEquals(md5sum(tmp.resolve("work/filler.bin")), lines.get("case/ex2.E01|filler.bin").get("md5").asText());
        assertNotNull(lines.get("|case/notes.txt").get("md5").textValue(), "the folder's own files are still hashed");
    }

    @Test
    void anExtImageInsideAFatImageInAFolderIsFoundWithTheWholeChain() throws Exception {
        String before = Cli.treeDigests(nested);
        Path listing = tmp.resolve("nested-all.jsonl");
        Cli.Result r = Cli.run("scan", nested.toString(), "--db", db.toString(), "--all-files", listing.toString());
        assertEquals(before, Cli.treeDigests(nested), "evidence changed");
        assertEquals(ExitCodes.ALERT, r.code(), r.toString());
        assertTrue(r.out().contains("outer.img!/inner.img!/known2.jpg"), r.toString());
        Map<String, JsonNode> lines = listing(listing);
        assertEquals(known2Md5, lines.get("outer.img/inner.img|known2.jpg").get("md5").asText(), lines.keySet().toString());
        // The inner image's own digest stands (it was hashed as a file, then expanded through the outer image).
        assertEquals(md5sum(tmp.resolve("work/inner.img")), lines.get("outer.img|inner.img").get("md5").asText());
        assertEquals("disk-image", lines.get("outer.img|inner.img").get("type").asText());
        // An archive inside a nested image: the chain runs through both.
        assertTrue(r.out().contains("outer.img!/pics.zip!/zipped.jpg"), r.toString());
        assertEquals(List.of("outer.img", "pics.zip"), new ObjectMapper().convertValue(
                lines.get("outer.img/pics.zip|zipped.jpg").get("container"), List.class));
        assertEquals(knownMd5, lines.get("outer.img/pics.zip|zipped.jpg").get("md5").asText());
        // An EWF image inside an image is hashed, and its record says it was not examined.
        JsonNode ewf = lines.get("outer.img|tiny.E01");
        assertEquals(md5sum(tmp.resolve("work/tiny.E01")), ewf.get("md5").asText());
        assertTrue(ewf.get("error").asText().contains("not examined"), ewf.toString());
        assertFalse(lines.keySet().stream().anyMatch(k -> k.startsWith("outer.img/tiny.E01|")), lines.keySet().toString());
    }

    @Test
    void vmdkExtentsInAFolderAreReadThroughTheirDescriptorsOnce() throws Exception {
        String before = Cli.treeDigests(vmdks);
        Path report = tmp.resolve("vmdk-report.json");
        Path listing = tmp.resolve("vmdk-all.jsonl");
        Cli.Result r = Cli.run("scan", vmdks.toString(), "--db", db.toString(), "--report", report.toString(),
                "--all-files", listing.toString());
        assertEquals(before, Cli.treeDigests(vmdks), "evidence changed");
        assertEquals(ExitCodes.ALERT, r.code(), r.toString());
        Map<String, JsonNode> lines = listing(listing);
        assertEquals(knownMd5, lines.get("sparse.vmdk|pics/known.jpg").get("md5").asText(), lines.keySet().toString());
        assertEquals(knownMd5, lines.get("flat.vmdk|pics/known.jpg").get("md5").asText(), lines.keySet().toString());
        for (String extent : List.of("sparse-s001.vmdk", "flat-flat.vmdk")) {
            JsonNode e = lines.get("|" + extent);
            assertTrue(e.get("md5").isNull() && e.get("error").isNull(), e.toString());
            assertTrue(e.get("note").asText().startsWith("extent of " + extent.substring(0, extent.indexOf('-')) + ".vmdk"),
                    e.toString());
            assertFalse(lines.keySet().stream().anyMatch(k -> k.startsWith(extent + "|")), "read twice: " + lines.keySet());
        }
        JsonNode summary = new ObjectMapper().readTree(report.toFile()).get("evidence").get(0).get("summary");
        assertEquals(0, summary.get("unreadable").asInt(), summary.toString());
        assertEquals(2, summary.get("alert_files").asInt(), summary.toString());
    }

    /**
     * Ctrl-C while a folder's image is being read: the file in flight is recorded unfinished with its
     * chain, the report is partial, and the image is closed in order (no crash of the JVM, which a
     * filesystem closed under an open file would be).
     */
    @Test
    void ctrlCWhileAFoldersImageIsReadWritesAPartialReport() throws Exception {
        Path big = Files.createDirectories(tmp.resolve("big/root"));
        Path folder = Files.createDirectories(tmp.resolve("big/evidence"));
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(big.resolve("huge.bin").toFile(), "rw")) {
            f.setLength(8L << 30); // sparse: far more than the test waits for
        }
        sh(big.getParent(), "mke2fs -q -t ext4 -d root evidence/disk.img 9G");
        // Not sha256sum of 9 GiB: the image's size and times stand for its content here; the other tests hash.
        String before = sh(folder, "stat -c '%s %Y %Z' disk.img");
        Path report = tmp.resolve("big-report.json");
        // "MB/": a megabyte read, which only huge.bin (inside the image) holds: the scan is reading the image.
        Cli.Result r = Cli.interruptWhen(tmp.resolve("big-stdout.txt"), "MB/", List.of("scan",
                folder.toString(), "--db", db.toString(), "--algorithms", "md5", "--report", report.toString(),
                "--progress-interval", "0.1"));
        assertEquals(130, r.code(), r.toString());
        assertEquals(before, sh(folder, "stat -c '%s %Y %Z' disk.img"), "evidence changed");
        JsonNode doc = new ObjectMapper().readTree(report.toFile());
        assertTrue(doc.get("partial").asBoolean());
        assertTrue(doc.get("evidence").get(0).get("summary").get("interrupted").asBoolean());
        boolean unfinished = false;
        for (JsonNode u : doc.get("unreadable")) {
            unfinished |= u.get("path").asText().equals("huge.bin") && u.get("error").asText().startsWith("unfinished")
                    && u.get("container").get(0).asText().equals("disk.img");
        }
        assertTrue(unfinished, doc.get("unreadable").toString());
    }

    @Test
    void aLaterSegmentWhoseFirstIsMissingIsHashedAsAFileWithANote() throws Exception {
        Path listing = tmp.resolve("orphan-all.jsonl");
        Cli.Result r = Cli.run("scan", orphan.toString(), "--db", db.toString(), "--all-files", listing.toString());
        assertEquals(ExitCodes.CLEAN, r.code(), r.toString());
        JsonNode seg = listing(listing).get("|ex9.E02");
        assertEquals(md5sum(orphan.resolve("ex9.E02")), seg.get("md5").asText(), seg.toString());
        assertTrue(seg.get("note").asText().contains("ex9.E01) is missing"), seg.toString());
        assertTrue(seg.get("error").isNull(), seg.toString());
    }

    /** Images nest at most four deep: the fifth is hashed, and its record says why; the item is not LOW. */
    @Test
    void imagesNestFourDeepAndTheFifthIsSaidNotExamined() throws Exception {
        Path listing = tmp.resolve("deep-all.jsonl");
        Path report = tmp.resolve("deep-report.json");
        Cli.Result r = Cli.run("scan", deep.toString(), "--db", db.toString(), "--all-files", listing.toString(),
                "--report", report.toString());
        assertEquals(ExitCodes.ALERT, r.code(), r.toString());
        assertTrue(r.out().contains("L1.img!/L2.img!/L3.img!/L4.img!/at4.jpg"), r.toString());
        Map<String, JsonNode> lines = listing(listing);
        JsonNode fifth = lines.get("L1.img/L2.img/L3.img/L4.img|L5.img");
        assertEquals(md5sum(tmp.resolve("work/L5.img")), fifth.get("md5").asText(), fifth.toString());
        assertTrue(fifth.get("error").asText().contains("nested deeper than 4"), fifth.toString());
        assertFalse(lines.keySet().stream().anyMatch(k -> k.contains("L5.img|")), lines.keySet().toString());
        JsonNode summary = new ObjectMapper().readTree(report.toFile()).get("evidence").get(0).get("summary");
        assertTrue(summary.get("reason").asText().contains("also incomplete"), summary.toString());
    }

    /** The images a ZIP is in are no archive levels: --archive-depth counts the archives alone. */
    @Test
    void archiveDepthCountsArchivesNotTheImagesTheyAreIn() throws Exception {
        Path listing = tmp.resolve("depth-all.jsonl");
        Cli.Result r = Cli.run("scan", nested.toString(), "--db", db.toString(), "--archive-depth", "2",
                "--all-files", listing.toString());
        assertEquals(ExitCodes.ALERT, r.code(), r.toString());
        Map<String, JsonNode> lines = listing(listing);
        assertEquals(knownMd5, lines.get("outer.img/nest.zip/deep.zip|deep.jpg").get("md5").asText(), lines.keySet().toString());
    }

    /** An image as an archive member cannot be examined (a member is a stream): hashed, and said. */
    @Test
    void aDiskImageInsideAnArchiveIsHashedAndSaidNotExamined() throws Exception {
        Path listing = tmp.resolve("card-all.jsonl");
        Path report = tmp.resolve("card-report.json");
        Cli.run("scan", nested.toString(), "--db", db.toString(), "--all-files", listing.toString(), "--report", report.toString());
        JsonNode member = listing(listing).get("card.zip|fat.img");
        assertEquals(md5sum(tmp.resolve("work/fat.img")), member.get("md5").asText(), member.toString());
        assertTrue(member.get("error").asText().startsWith("disk image inside an archive: not examined"), member.toString());
        assertEquals("disk-image", member.get("type").asText());
    }

    @Test
    void anExtImageInsideAFatImageGivenAsTheItemIsFound() throws Exception {
        Cli.Result r = Cli.run("scan", nested.resolve("outer.img").toString(), "--db", db.toString());
        assertEquals(ExitCodes.ALERT, r.code(), r.toString());
        assertTrue(r.out().contains("inner.img!/known2.jpg"), r.toString());
    }

    @Test
    void noExpandImagesHashesImagesAsFilesOnly() throws Exception {
        Path listing = tmp.resolve("noexpand-all.jsonl");
        Cli.Result r = Cli.run("scan", share.toString(), "--db", db.toString(), "--no-expand-images",
                "--all-files", listing.toString());
        assertEquals(ExitCodes.CLEAN, r.code(), r.toString());
        Map<String, JsonNode> lines = listing(listing);
        assertEquals(e01Md5, lines.get("|case/ex2.E01").get("md5").asText());
        assertFalse(lines.containsKey("case/ex2.E01|pics/known.jpg"), lines.keySet().toString());
    }

    @Test
    void aCorruptImageInAFolderLeavesTheItemNotLow() throws Exception {
        Path report = tmp.resolve("damaged-report.json");
        Path listing = tmp.resolve("damaged-all.jsonl");
        Cli.Result r = Cli.run("scan", damaged.toString(), "--db", db.toString(), "--report", report.toString(),
                "--all-files", listing.toString());
        assertEquals(ExitCodes.INCOMPLETE, r.code(), r.toString());
        JsonNode summary = new ObjectMapper().readTree(report.toFile()).get("evidence").get(0).get("summary");
        assertNotEquals("low", summary.get("priority").asText(), summary.toString());
        assertEquals("incomplete", summary.get("priority").asText(), summary.toString());
        JsonNode image = listing(listing).get("|broken.E01");
        assertTrue(image.get("error").asText().contains("neither a partition table"), image.toString());
    }

    /** The all-files listing by "container joined with '/'|path". */
    private static Map<String, JsonNode> listing(Path file) throws Exception {
        Map<String, JsonNode> out = new TreeMap<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(file)) {
            JsonNode n = json.readTree(line);
            if (!n.has("path")) continue;
            List<String> chain = new ArrayList<>();
            n.get("container").forEach(c -> chain.add(c.asText()));
            out.put(String.join("/", chain) + "|" + n.get("path").asText(), n);
        }
        return out;
    }

    private static void write(Path p, Random rnd, int size) throws Exception {
        byte[] b = new byte[size];
        rnd.nextBytes(b);
        Files.write(p, b);
    }

    private static String sh(Path dir, String script) throws Exception {
        return new String(Cli.exec(dir, "bash", "-o", "pipefail", "-c", script), StandardCharsets.UTF_8);
    }

    /** The inode fls gives {@code path} in the image ({@code options}: e.g. "-i ewf"). */
    private static String inode(Path image, String options, String path) throws Exception {
        for (String line : sh(image.getParent(), "fls -r -p " + options + " " + image).split("\n")) {
            // "r/r 517:\tpics/known.jpg"
            int tab = line.indexOf('\t');
            if (tab > 0 && line.substring(tab + 1).equals(path)) {
                return line.substring(4, line.indexOf(':')).trim();
            }
        }
        throw new AssertionError(path + " not listed by fls in " + image);
    }

    private static String icatMd5(Path image, String options, String path) throws Exception {
        return sh(image.getParent(), "icat " + options + " " + image + " " + inode(image, options, path)
                + " | md5sum | cut -d' ' -f1").trim();
    }

    private static String md5sum(Path file) throws Exception {
        return sh(file.getParent(), "md5sum " + file + " | cut -d' ' -f1").trim();
    }
}
