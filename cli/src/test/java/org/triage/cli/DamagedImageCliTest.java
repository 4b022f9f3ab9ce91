package org.triage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code triage scan} of damaged images (issue 16, items 5, 6, 7), built by the engine's
 * make-damaged.sh: a bad partition entry hides no known file, damaged metadata and a looping FAT
 * chain are unreadable (exit 3), never a digest. Digests from md5sum; the images are unchanged;
 * no Java exception text reaches the examiner.
 */
class DamagedImageCliTest {
    /** MD5 of zero bytes, what a looping chain used to hash as. (Not in the alert set: a FAT volume-label entry is empty too.) */
    private static final String EMPTY_MD5 = "d41d8cd98f00b204e9800998ecf8427e";

    @TempDir
    static Path dir;
    static Path db;
    static String before;

    @BeforeAll
    static void build() throws Exception {
        Cli.buildImages("make-damaged.sh", dir, 5);
        String known = sh("md5sum known.bin").split(" ")[0];
        Path list = Files.writeString(dir.resolve("alert.md5"), known + "  known.bin\n");
        db = dir.resolve("db");
        Cli.importSet(list, db, "planted", "--kind", "alert", "--category", "test");
        before = sh("sha256sum *.img");
    }

    @AfterAll
    static void unchanged() throws Exception {
        assertEquals(before, sh("sha256sum *.img"), "evidence unchanged");
    }

    private static String sh(String command) throws Exception {
        Process p = new ProcessBuilder("bash", "-c", command).directory(dir.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor());
        return out;
    }

    private static Cli.Result scan(String image, Path report) {
        Cli.Result r = Cli.run("scan", dir.resolve(image).toString(), "--db", db.toString(), "--algorithms", "md5",
                "--report", report.toString(), "--all-files", report.resolveSibling(report.getFileName() + ".jsonl").toString());
        assertFalse(r.out().contains("Exception") || r.err().contains("Exception"), r.toString());
        return r;
    }

    /** Scans {@code image}, which must exit with {@code code}; the report's {@code unreadable} list, as JSON text. */
    private static String unreadableAfterScan(String image, int code) throws Exception {
        Path report = dir.resolve(image + ".json");
        Cli.Result r = scan(image, report);
        assertEquals(code, r.code(), r.toString());
        return new ObjectMapper().readTree(report.toFile()).get("unreadable").toString();
    }

    @Test
    void aKnownFileBesideABadPartitionEntryIsFound() throws Exception {
        // fls -o 2048 lists the file on the damaged disk; libtsk's mmls rejects the table.
        assertTrue(sh("fls -o 2048 mbr-bad2.img").contains("known.bin"));
        String unreadable = unreadableAfterScan("mbr-bad2.img", 1);
        assertTrue(unreadable.contains("partition entry 2 (type 0x83) starts at sector 100000000"), unreadable);
    }

    @Test
    void aLoopingFatChainIsUnreadableNotTheEmptyFile() throws Exception {
        assertTrue(sh("fsck.fat -n fatloop.img 2>&1 || true").contains("Circular cluster chain"));
        Path report = dir.resolve("fat.json");
        Cli.Result r = scan("fatloop.img", report);
        assertEquals(3, r.code(), r.toString()); // not 0: the file was never read
        JsonNode known = null;
        for (String line : Files.readAllLines(dir.resolve("fat.json.jsonl"))) {
            JsonNode n = new ObjectMapper().readTree(line);
            if (!n.has("path")) continue; // the header and the items' end lines are not entries
            if (n.get("path").asText().equals("known.bin")) known = n;
        }
        assertTrue(known != null && known.get("error").asText().contains("read 0 of 93691 bytes"), String.valueOf(known));
        assertFalse(known.toString().contains(EMPTY_MD5), known.toString());
    }

    @Test
    void anNtfsRecordWithABrokenFixupCountsAsUnreadable() throws Exception {
        assertTrue(sh("istat ntfs-fixup.img $(ifind -n a.bin ntfs-ok.img) 2>&1 || true").contains("Incorrect update sequence value"));
        String unreadable = unreadableAfterScan("ntfs-fixup.img", 3);
        assertTrue(unreadable.contains("a.bin") && unreadable.contains("Incorrect update sequence value"), unreadable);
    }
}
