package org.triage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.triage.fixture.Shell;

/**
 * {@code triage acquire --db}: imaging and triage in one read, judged by other tools. The source is
 * the stream-triage test disk (the engine's make-stream-disk.sh: a GPT disk with FAT32, ext4 and
 * NTFS made by mtools, e2fsprogs/debugfs and ntfs-3g, deleted and fragmented files, a ZIP,
 * pictures); the store is made by {@code triage hashset import} from the MD5 that {@code icat | md5sum}
 * gives of a planted file. The oracle for the triage is {@code triage scan} of the image the run
 * WROTE (an independent read of an independent file, checked by ewfverify or cmp), plus icat.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class AcquireTriageCliTest {
    @TempDir
    static Path dir;
    static Path disk;
    static Path db;
    static String helloMd5;
    static Shell sh;

    @BeforeAll
    static void build() throws Exception {
        sh = new Shell(dir, 5);
        Path script = Path.of("../engine/src/test/resources/org/triage/acquire/make-stream-disk.sh").toAbsolutePath();
        sh.run("bash '" + script + "' '" + dir + "' >/dev/null");
        disk = dir.resolve("disk.img");
        // The planted file, read by sleuthkit from the FAT partition (sector 2048), hashed by md5sum.
        helloMd5 = sh.run("icat -o 2048 disk.img $(fls -o 2048 disk.img | awk -F'[ :\\t]+' '$NF==\"hello.txt\"{print $2}')"
                + " | md5sum").split("\\s+")[0];
        assertEquals(32, helloMd5.length(), helloMd5);
        Files.writeString(dir.resolve("known.md5"), helloMd5 + "\n");
        db = dir.resolve("db");
        Cli.importSet(dir.resolve("known.md5"), db, "planted", "--kind", "alert", "--category", "A");
    }

    @ParameterizedTest(name = "--format {0}")
    @ValueSource(strings = {"e01", "raw"})
    void theAcquireRunsTriageIsTheScanOfTheImageItWrote(String format) throws Exception {
        String before = sh.run("sha256sum disk.img");
        Path out = dir.resolve("img-" + format);
        Path report = dir.resolve("acq-" + format + ".json");
        Path listing = dir.resolve("acq-" + format + ".jsonl");
        Cli.Result r = Cli.run("acquire", disk.toString(), "--out", out.toString(), "--format", format, "--db", db.toString(),
                "--report", report.toString(), "--all-files", listing.toString(), "--case", "C-14", "--examiner", "E. X");
        assertEquals(1, r.code(), "an alert match exits 1 as a scan's does\n" + r);
        assertEquals(before, sh.run("sha256sum disk.img"), "the source changed");

        // The image: checked by libewf's own tool, or byte for byte.
        Path image = format.equals("e01") ? dir.resolve("img-e01.E01") : out;
        if (format.equals("e01")) assertTrue(sh.run("ewfverify -q '" + image + "'").contains("SUCCESS"));
        else sh.run("cmp '" + image + "' disk.img");

        // The oracle: a scan of the written image, its own read of its own file.
        Path scanListing = dir.resolve("scan-" + format + ".jsonl");
        Cli.Result s = Cli.run("scan", image.toString(), "--db", db.toString(), "--all-files", scanListing.toString(), "-q");
        assertEquals(1, s.code(), s.toString());
        List<String> acquired = entries(listing);
        assertTrue(acquired.size() > 300, "the disk's entries are listed: " + acquired.size());
        assertEquals(entries(scanListing), acquired, "the acquire run's listing differs from the scan of its image");

        // The planted file's digest as icat | md5sum gives it, matched, in the listing and the report.
        assertTrue(acquired.stream().anyMatch(l -> l.contains("\"hello.txt\"") && l.contains(helloMd5) && l.contains("planted")),
                "hello.txt with icat's MD5 and its match");
        JsonNode rep = new ObjectMapper().readTree(report.toFile());
        assertFalse(rep.get("partial").asBoolean(), rep.toPrettyString());
        assertTrue(rep.get("matches").size() >= 3, "hello.txt on FAT, ext4 and NTFS: " + rep.get("matches"));
        assertEquals("high", rep.get("evidence").get(0).get("summary").get("priority").asText());
        JsonNode acq = rep.get("acquisition");
        assertEquals("complete", acq.get("status").asText(), rep.toPrettyString());
        assertEquals(format, acq.get("format").asText());
        assertEquals(sh.run("md5sum disk.img").split("\\s+")[0], acq.get("md5").asText());
        assertEquals(sh.run("sha1sum disk.img").split("\\s+")[0], acq.get("sha1").asText());
        assertEquals(image.getFileName().toString(), acq.get("files").get(0).asText());
        assertEquals(0, acq.get("unreadable").size());
        JsonNode stream = acq.get("triage_stream");
        assertEquals(Files.size(disk), stream.get("streamed_bytes").asLong(), stream.toString());
        assertTrue(stream.get("metadata_bytes").asLong() > 0, stream.toString());
        assertTrue(stream.has("files_reread") && stream.has("file_bytes_reread") && stream.has("reread"), stream.toString());

        // The summary a scan prints, after the acquisition's lines.
        assertTrue(r.out().contains("#1 HIGH " + disk), r.out());
        assertTrue(r.out().contains("hello.txt"), r.out());
        assertTrue(r.out().contains("md5:  " + acq.get("md5").asText()), r.out());
    }

    /** Entry lines (those with a path) without the source field (the disk here, the image there), sorted. */
    static List<String> entries(Path listing) throws IOException {
        ObjectMapper m = new ObjectMapper();
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(listing)) {
            JsonNode n = m.readTree(line);
            if (!n.has("path")) continue;
            ((ObjectNode) n).remove("source");
            out.add(n.toString());
        }
        Collections.sort(out);
        return out;
    }

    @Test
    void ctrlCLeavesAnIncompleteImageAndAPartialReport() throws Exception {
        // A bigger disk, so that the run is stopped mid-stream: one ext4 filesystem of random files.
        sh.run("mkdir -p big/d && for i in $(seq 1 60); do head -c 5000000 /dev/urandom > big/d/f$i; done"
                + " && printf 'hello stream\\n' > big/hello.txt && mke2fs -q -t ext4 -d big big.img 400M && rm -rf big");
        Path big = dir.resolve("big.img");
        String before = sh.run("sha256sum big.img");
        Path report = dir.resolve("stopped.json.report");
        Cli.Result r = Cli.interruptWhen(dir.resolve("stdout.txt"), err -> {
            try {
                return Files.exists(dir.resolve("stopped.E01")) && Files.size(dir.resolve("stopped.E01")) > (4 << 20);
            } catch (IOException e) {
                return false;
            }
        }, List.of("acquire", big.toString(), "--out", dir.resolve("stopped").toString(), "--compress", "best",
                "--db", db.toString(), "--report", report.toString()));
        assertEquals(130, r.code(), r.toString());
        assertTrue(Files.exists(dir.resolve("stopped.INCOMPLETE")), r.toString());
        JsonNode rep = new ObjectMapper().readTree(report.toFile());
        assertTrue(rep.get("partial").asBoolean(), "the report says partial: " + rep.toPrettyString());
        assertEquals("INCOMPLETE", rep.get("acquisition").get("status").asText());
        assertNotEquals("low", rep.get("evidence").get(0).get("summary").get("priority").asText(), "never LOW when partial");
        assertTrue(r.out().contains("INTERRUPTED"), r.out());
        assertEquals(before, sh.run("sha256sum big.img"), "the source changed");
    }

    @Test
    void exitCodesTakeTheScansPrecedence() {
        // interrupted > alert > an output not written > something unreadable (a bad sector or file) > clean
        assertEquals(130, ExitCodes.of(true, true, true, true));
        assertEquals(1, ExitCodes.of(false, true, true, true));
        assertEquals(2, ExitCodes.of(false, false, true, true));
        assertEquals(3, ExitCodes.of(false, false, false, true));
        assertEquals(0, ExitCodes.of(false, false, false, false));
    }

    @Test
    void triageOutputsNeedAStoreAndASourceWithFilesystems() throws Exception {
        Cli.Result r = Cli.run("acquire", disk.toString(), "--out", dir.resolve("nodb").toString(), "--report",
                dir.resolve("nodb.json").toString());
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("--report") && r.err().contains("--db"), r.err());
        assertFalse(Files.exists(dir.resolve("nodb.E01")));

        sh.run("head -c 3000000 /dev/urandom > noise.bin");
        r = Cli.run("acquire", dir.resolve("noise.bin").toString(), "--out", dir.resolve("noise").toString(), "--db", db.toString());
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("noise.bin") && r.err().contains("triage scan"), r.err());
        assertFalse(Files.exists(dir.resolve("noise.E01")), "refused before anything was written");

        // An output on the evidence itself is refused as scan refuses it.
        r = Cli.run("acquire", disk.toString(), "--out", dir.resolve("self").toString(), "--db", db.toString(),
                "--report", disk.toString());
        assertEquals(2, r.code(), r.toString());
        assertFalse(Files.exists(dir.resolve("self.E01")));
    }
}
