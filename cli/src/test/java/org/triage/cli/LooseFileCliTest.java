package org.triage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, item 1: a PATH that is a regular file but not a disk image is hashed and matched as a
 * file. Before, {@code triage scan known.jpg} opened the picture as a disk image and said
 * {@code LOW … no alert match}, exit 3. Whether a file is an image is decided by its content only,
 * never by its name: images here are built by Debian's tools (mkfs.vfat/mcopy, mke2fs -d, sfdisk),
 * files named like images hold picture bytes. The digest oracle is {@code md5sum}; every test
 * checks that the evidence bytes are unchanged ({@code sha256sum} of the tree before and after).
 */
class LooseFileCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TAKEN_NOTE = "no partition table, filesystem or image format recognised";
    private static final String BUILD = """
            set -euo pipefail
            export PATH="$PATH:/usr/sbin:/sbin" MTOOLS_SKIP_CHECK=1
            cd "$1"
            # a bare FAT filesystem holding the known picture
            mkfs.vfat -C -n LOOSE fat.img 2048 >/dev/null
            mcopy -i fat.img known.jpg ::/known.jpg
            # a bare ext2 filesystem (its signature is not at offset 0) holding it
            mkdir -p extsrc && cp known.jpg extsrc/
            mke2fs -q -t ext2 -d extsrc ext.raw 2M >/dev/null
            rm -rf extsrc
            # an MBR disk with that FAT filesystem in a partition, named like a split raw image's first segment
            truncate -s 4M disk.001
            printf 'label: dos\\nstart=2048, size=4096, type=c\\n' | sfdisk -q disk.001 >/dev/null
            dd if=fat.img of=disk.001 bs=512 seek=2048 conv=notrunc status=none
            """;

    @TempDir
    static Path dir;
    /** Evidence only: checked unchanged after every scan. Outputs go to {@link #dir}. */
    static Path ev;
    static Path db;
    static Path known;
    static Path other;
    static String knownMd5;

    @BeforeAll
    static void build() throws Exception {
        ev = Files.createDirectories(dir.resolve("ev"));
        known = Files.write(ev.resolve("known.jpg"), DemoCorpus.picture(new Random(11), "jpg"));
        other = Files.write(ev.resolve("other.jpg"), DemoCorpus.picture(new Random(12), "jpg"));
        Process p = new ProcessBuilder("bash", "-c", BUILD, "build", ev.toString()).inheritIO().start();
        assertTrue(p.waitFor(2, TimeUnit.MINUTES));
        assertEquals(0, p.exitValue(), "building the images");
        Path folder = Files.createDirectories(ev.resolve("folder/sub"));
        Files.copy(known, folder.resolve("copy.jpg"));
        Files.writeString(ev.resolve("folder/notes.txt"), "nothing known\n");
        // Named like images, holding picture bytes: x.001 has a sibling x.002, as a split raw image would.
        Path names = Files.createDirectories(ev.resolve("names"));
        Files.copy(known, names.resolve("x.E01"));
        Files.copy(known, names.resolve("x.001"));
        Files.copy(other, names.resolve("x.002"));

        knownMd5 = md5sum(known);
        Path list = Files.writeString(dir.resolve("alert.txt"), knownMd5 + ",A\n");
        db = dir.resolve("db");
        Cli.Result r = Cli.run("hashset", "import", list.toString(), "--db", db.toString(), "--name", "known", "--kind", "alert");
        assertEquals(0, r.code(), r.toString());
    }

    @Test
    void aKnownPictureGivenAsAFileIsHighAndExitsOne() throws Exception {
        String before = Cli.treeDigests(ev);
        Path report = dir.resolve("one.json");
        Path vics = dir.resolve("one-vics.json");
        Cli.Result r = Cli.run("scan", known.toString(), "--db", db.toString(), "--report", report.toString(),
                "--vics", vics.toString());
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.out().contains("#1 HIGH " + known), r.out());
        assertTrue(r.out().contains("taken as a file: " + TAKEN_NOTE), r.out());
        JsonNode doc = JSON.readTree(report.toFile());
        JsonNode item = doc.get("evidence").get(0);
        assertEquals("file", item.get("taken_as").asText(), item.toString());
        assertEquals(TAKEN_NOTE, item.get("taken_note").asText(), item.toString());
        assertEquals("high", item.get("summary").get("priority").asText());
        assertEquals(1, doc.get("matches").size(), doc.get("matches").toString());
        JsonNode m = doc.get("matches").get(0);
        assertEquals(knownMd5, m.get("md5").asText());
        assertEquals(known.toString(), m.get("source").asText());
        assertEquals("known.jpg", m.get("path").asText());
        assertEquals(Files.size(known), m.get("size").asLong());
        assertEquals(0, doc.get("unreadable").size(), doc.get("unreadable").toString());
        // For VICS readers (Griffeye) the copy is where the examiner finds it: the folder that holds it.
        JsonNode copy = JSON.readTree(vics.toFile()).get("value").get(0).get("MediaFiles").get(0);
        assertEquals("known.jpg", copy.get("FileName").asText(), copy.toString());
        assertEquals(ev.toAbsolutePath().toString(), copy.get("FilePath").asText(), copy.toString());
        assertEquals(known.toAbsolutePath().toString(), copy.get("SourceID").asText(), copy.toString());
        assertEquals(before, Cli.treeDigests(ev));
    }

    /** Read with O_NOATIME, probe included: neither the file's access time nor its folder's moves. */
    @Test
    void aLooseFileKeepsItsAccessTime() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("atime"));
        Path file = Files.copy(known, folder.resolve("seized.jpg"));
        Path probe = Files.copy(known, dir.resolve("atime-probe.jpg"));
        // Make a read due for an atime update under relatime: access time before modification time.
        java.nio.file.attribute.FileTime old = java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 3_600_000);
        for (Path p : List.of(file, folder, probe)) Files.setAttribute(p, "lastAccessTime", old);
        Cli.exec(dir, "cat", probe.getFileName().toString());
        org.junit.jupiter.api.Assumptions.assumeFalse(old.equals(Files.getAttribute(probe, "lastAccessTime")),
                "this filesystem does not update access times (noatime): nothing to check");
        Path report = dir.resolve("atime.json");
        Cli.Result r = Cli.run("scan", file.toString(), "--db", db.toString(), "--report", report.toString());
        assertEquals(1, r.code(), r.toString());
        assertTrue(JSON.readTree(report.toFile()).get("evidence").get(0).get("summary").get("atime_preserved").asBoolean());
        assertEquals(old, Files.getAttribute(file, "lastAccessTime"), "file atime");
        assertEquals(old, Files.getAttribute(folder, "lastAccessTime"), "folder atime");
    }

    @Test
    void aNameLikeAnImageDoesNotMakeAnImage() throws Exception {
        String before = Cli.treeDigests(ev);
        Path names = ev.resolve("names");
        Path report = dir.resolve("names.json");
        Cli.Result r = Cli.run("scan", names.resolve("x.E01").toString(), names.resolve("x.001").toString(),
                names.resolve("x.002").toString(), "--db", db.toString(), "--report", report.toString());
        assertEquals(1, r.code(), r.toString());
        JsonNode doc = JSON.readTree(report.toFile());
        // Three files, not one split image and two notes.
        assertEquals(0, doc.get("notes").size(), doc.get("notes").toString());
        assertEquals(3, doc.get("evidence").size(), doc.get("evidence").toString());
        assertEquals("high", item(doc, names.resolve("x.E01")).get("summary").get("priority").asText());
        assertEquals("high", item(doc, names.resolve("x.001")).get("summary").get("priority").asText());
        assertEquals("low", item(doc, names.resolve("x.002")).get("summary").get("priority").asText());
        for (JsonNode e : doc.get("evidence")) {
            assertEquals("file", e.get("taken_as").asText(), e.toString());
            assertEquals(TAKEN_NOTE, e.get("taken_note").asText(), e.toString());
        }
        for (JsonNode m : doc.get("matches")) assertEquals(knownMd5, m.get("md5").asText());
        assertEquals(2, doc.get("matches").size());
        assertEquals(3, r.out().split("\n     taken as a file: " + TAKEN_NOTE + "\n", -1).length - 1, r.out()); // one per item
        assertEquals(before, Cli.treeDigests(ev));
    }

    @Test
    void realImagesAreStillScannedAsImagesWhateverTheirNames() throws Exception {
        String before = Cli.treeDigests(ev);
        Path report = dir.resolve("images.json");
        Cli.Result r = Cli.run("scan", ev.resolve("fat.img").toString(), ev.resolve("ext.raw").toString(),
                ev.resolve("disk.001").toString(), "--db", db.toString(), "--report", report.toString());
        assertEquals(1, r.code(), r.toString());
        JsonNode doc = JSON.readTree(report.toFile());
        assertEquals(3, doc.get("evidence").size());
        for (JsonNode e : doc.get("evidence")) {
            assertEquals("disk image", e.get("taken_as").asText(), e.toString());
            assertTrue(e.get("taken_note").isNull(), e.toString());
            assertEquals("high", e.get("summary").get("priority").asText(), e.toString());
        }
        assertEquals(3, doc.get("matches").size(), doc.get("matches").toString());
        for (JsonNode m : doc.get("matches")) {
            assertEquals(knownMd5, m.get("md5").asText());
            assertTrue(m.get("path").asText().equalsIgnoreCase("known.jpg"), m.toString()); // inside the filesystem
        }
        assertFalse(r.out().contains("taken as a file"), r.out());
        assertEquals(before, Cli.treeDigests(ev));
    }

    /**
     * The other side of the rule: a file whose signature says image stays an image when what is
     * behind the signature is damaged, and says what it cannot read; it never becomes a "file"
     * whose one digest would say nothing of its contents.
     */
    @Test
    void anImageWhoseSignatureSaysImageStaysAnImageWhenItsFilesystemIsDamaged() throws Exception {
        Path damaged = Files.createDirectories(dir.resolve("damaged"));
        // The MBR disk with its FAT partition's boot sector wiped.
        byte[] disk = Files.readAllBytes(ev.resolve("disk.001"));
        java.util.Arrays.fill(disk, 2048 * 512, 2049 * 512, (byte) 0);
        Path mbr = Files.write(damaged.resolve("wiped-fat.img"), disk);
        // EWF logical evidence (L01): files, not a disk.
        byte[] lvf = DemoCorpus.picture(new Random(13), "jpg");
        System.arraycopy(new byte[] {'L', 'V', 'F', 9, 13, 10, (byte) 0xff, 0}, 0, lvf, 0, 8);
        Path l01 = Files.write(damaged.resolve("x.L01"), lvf);
        String before = Cli.treeDigests(damaged);
        Path report = dir.resolve("damaged.json");
        Cli.Result r = Cli.run("scan", mbr.toString(), l01.toString(), "--db", db.toString(), "--report", report.toString());
        assertEquals(3, r.code(), r.toString());
        assertFalse(r.out().contains("taken as a file"), r.out());
        JsonNode doc = JSON.readTree(report.toFile());
        assertEquals("disk image", item(doc, mbr).get("taken_as").asText());
        assertTrue(item(doc, mbr).get("summary").get("reason").asText().contains("cannot open a filesystem"),
                item(doc, mbr).toString());
        assertTrue(item(doc, l01).get("summary").get("error").asText().contains("EWF logical evidence"),
                item(doc, l01).toString());
        assertEquals("unknown", item(doc, l01).get("summary").get("priority").asText());
        assertEquals(before, Cli.treeDigests(damaged));
    }

    @Test
    void severalFilesAndADirectoryOnOneCommandLine() throws Exception {
        String before = Cli.treeDigests(ev);
        Path report = dir.resolve("several.json");
        Path folder = ev.resolve("folder");
        Cli.Result r = Cli.run("scan", known.toString(), other.toString(), folder.toString(), "--db", db.toString(),
                "--report", report.toString());
        assertEquals(1, r.code(), r.toString());
        JsonNode doc = JSON.readTree(report.toFile());
        assertEquals(3, doc.get("evidence").size());
        assertEquals("file", item(doc, known).get("taken_as").asText());
        assertEquals("file", item(doc, other).get("taken_as").asText());
        assertEquals("directory", item(doc, folder).get("taken_as").asText());
        assertTrue(item(doc, folder).get("taken_note").isNull());
        assertEquals("high", item(doc, known).get("summary").get("priority").asText());
        assertEquals("low", item(doc, other).get("summary").get("priority").asText());
        assertEquals("high", item(doc, folder).get("summary").get("priority").asText());
        assertEquals(before, Cli.treeDigests(ev));
    }

    @Test
    void aListFileNamesTheEvidenceOnePerLineAndAnItemNamedTwiceIsScannedOnce() throws Exception {
        String before = Cli.treeDigests(ev);
        Path folder = ev.resolve("folder");
        // Empty lines are skipped; a list written on Windows ends its lines with CR LF.
        Path list = Files.writeString(dir.resolve("list.txt"),
                known + "\n\n" + other + "\r\n" + folder + "\n");
        Path report = dir.resolve("from.json");
        Cli.Result r = Cli.run("scan", "--from", list.toString(), known.toString(), "--db", db.toString(),
                "--report", report.toString());
        assertEquals(1, r.code(), r.toString());
        JsonNode doc = JSON.readTree(report.toFile());
        assertEquals(3, doc.get("evidence").size(), doc.get("evidence").toString());
        assertEquals(1, doc.get("notes").size(), doc.get("notes").toString());
        assertTrue(doc.get("notes").get(0).asText().contains("scanned once"), doc.get("notes").toString());
        assertEquals("low", item(doc, other).get("summary").get("priority").asText());
        assertEquals("high", item(doc, folder).get("summary").get("priority").asText());
        assertEquals(before, Cli.treeDigests(ev));
    }

    @Test
    void aNulSeparatedListOnStandardInputMayNameFilesWithNewlines() throws Exception {
        Path odd = Files.createDirectories(dir.resolve("odd"));
        Path newline = Files.copy(known, odd.resolve("new\nline.jpg"));
        Path plain = Files.copy(other, odd.resolve("plain.jpg"));
        String before = Cli.treeDigests(odd);
        byte[] input = (newline + "\0" + plain + "\0").getBytes(StandardCharsets.UTF_8);
        Path report = dir.resolve("nul.json");
        Cli.Result r = withStdin(input, () -> Cli.run("scan", "--from", "-", "-0", "--db", db.toString(),
                "--report", report.toString()));
        assertEquals(1, r.code(), r.toString());
        JsonNode doc = JSON.readTree(report.toFile());
        assertEquals(2, doc.get("evidence").size(), doc.get("evidence").toString());
        assertEquals("high", item(doc, newline).get("summary").get("priority").asText());
        assertEquals("low", item(doc, plain).get("summary").get("priority").asText());
        assertEquals(knownMd5, doc.get("matches").get(0).get("md5").asText());
        assertEquals(before, Cli.treeDigests(odd));
    }

    @Test
    void aMissingPathInTheListRefusesTheScanNamingTheListAndTheLine() throws Exception {
        Path missing = ev.resolve("not-there.jpg");
        Path list = Files.writeString(dir.resolve("bad-list.txt"), known + "\n\n" + missing + "\n" + other + "\n");
        Path report = dir.resolve("bad.json");
        Cli.Result r = Cli.run("scan", "--from", list.toString(), "--db", db.toString(), "--report", report.toString());
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains(list + ", line 3") && r.err().contains(missing.toString()), r.err());
        assertFalse(Files.exists(report), "nothing scanned");

        byte[] nul = (known + "\0" + missing + "\0").getBytes(StandardCharsets.UTF_8);
        Cli.Result r0 = withStdin(nul, () -> Cli.run("scan", "--from", "-", "-0", "--db", db.toString()));
        assertEquals(2, r0.code(), r0.toString());
        assertTrue(r0.err().contains("standard input, name 2") && r0.err().contains(missing.toString()), r0.err());
    }

    @Test
    void usageErrorsOfTheList() throws Exception {
        Cli.Result noPath = Cli.run("scan", "--db", db.toString());
        assertEquals(2, noPath.code(), noPath.toString());
        Cli.Result nulWithoutList = Cli.run("scan", "-0", known.toString(), "--db", db.toString());
        assertEquals(2, nulWithoutList.code(), nulWithoutList.toString());
        assertTrue(nulWithoutList.err().contains("-0"), nulWithoutList.err());
        Path empty = Files.writeString(dir.resolve("empty.txt"), "\n\n");
        Cli.Result emptyList = Cli.run("scan", "--from", empty.toString(), "--db", db.toString());
        assertEquals(2, emptyList.code(), emptyList.toString());
        assertTrue(emptyList.err().contains("no evidence"), emptyList.err());
        Cli.Result noList = Cli.run("scan", "--from", dir.resolve("absent.txt").toString(), "--db", db.toString());
        assertEquals(2, noList.code(), noList.toString());
        assertTrue(noList.err().contains("absent.txt"), noList.err());
    }

    @Test
    void anOutputOverALooseFileIsRefused() throws Exception {
        String before = Cli.treeDigests(ev);
        Cli.Result r = Cli.run("scan", known.toString(), "--db", db.toString(), "--report", known.toString());
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("would change the evidence"), r.err());
        assertEquals(before, Cli.treeDigests(ev));
    }

    private interface Run {
        Cli.Result run() throws Exception;
    }

    /** Runs the command in-process with {@code input} as standard input (as HostileStoreCliTest does). */
    private static Cli.Result withStdin(byte[] input, Run run) throws Exception {
        InputStream saved = System.in;
        System.setIn(new ByteArrayInputStream(input));
        try {
            return run.run();
        } finally {
            System.setIn(saved);
        }
    }

    private static JsonNode item(JsonNode report, Path source) {
        for (JsonNode e : report.get("evidence")) {
            if (e.get("source").asText().equals(source.toString())) return e;
        }
        throw new AssertionError(source + " not in the report: " + report.get("evidence"));
    }

    private static String md5sum(Path file) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("md5sum", "--", file.getFileName().toString()));
        String out = new String(Cli.exec(file.getParent(), cmd.toArray(new String[0])), StandardCharsets.US_ASCII);
        return out.substring(0, 32);
    }
}
