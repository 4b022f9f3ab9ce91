package org.triage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.triage.fixture.Shell;

/**
 * {@code triage acquire} as an examiner runs it, judged by cmp, md5sum/sha1sum and ewf-tools:
 * a real ext4 disk (mke2fs) as the source, raw and E01 outputs, refusals, Ctrl-C.
 */
class AcquireCliTest {
    @TempDir
    static Path dir;
    static Path disk;

    static Shell sh;

    @BeforeAll
    static void build() throws Exception {
        sh = new Shell(dir);
        disk = sh.ext4Disk(6_000_000, 3_000_000, "24M");
    }

    @Test
    void rawCopyEqualsTheSourceWithItsDigestsInTheSidecar() throws Exception {
        String before = sh.digest("sha256sum", disk);
        Path out = dir.resolve("copy.raw");
        Cli.Result r = Cli.run("acquire", disk.toString(), "--out", out.toString(), "--format", "raw", "--case", "C-1",
                "--examiner", "E. Xaminer");
        assertEquals(0, r.code(), r.toString());
        sh.run("cmp copy.raw disk.img");
        assertEquals(before, sh.digest("sha256sum", disk), "the source changed");
        JsonNode log = new ObjectMapper().readTree(dir.resolve("copy.raw.json").toFile());
        assertEquals("complete", log.get("status").asText());
        assertEquals(sh.digest("md5sum", disk), log.get("md5").asText());
        assertEquals(sh.digest("sha1sum", disk), log.get("sha1").asText());
        assertEquals("C-1", log.get("metadata").get("case_number").asText());
        assertEquals(0, log.get("unreadable").size());
        assertTrue(r.out().contains(sh.digest("md5sum", disk)), r.out());
    }

    @Test
    void rawSegmentsOfTheGivenSize() throws Exception {
        Cli.Result r = Cli.run("acquire", disk.toString(), "--out", dir.resolve("seg.raw").toString(), "--format", "raw",
                "--segment-size", "10M");
        assertEquals(0, r.code(), r.toString());
        List<String> names = new ArrayList<>(List.of(sh.run("ls seg.raw.0*").trim().split("\\s+")));
        assertEquals(List.of("seg.raw.001", "seg.raw.002", "seg.raw.003"), names);
        assertEquals(10L << 20, Files.size(dir.resolve("seg.raw.001")));
        sh.run("cat seg.raw.001 seg.raw.002 seg.raw.003 | cmp - disk.img");
    }

    @Test
    void e01VerifiesAndCarriesTheMetadataAndDigests() throws Exception {
        Path out = dir.resolve("ev1");
        Cli.Result r = Cli.run("acquire", disk.toString(), "--out", out.toString(), "--case", "C-2", "--examiner", "E. X",
                "--evidence-number", "EV-3", "--description", "laptop", "--notes", "sealed bag 4", "--compress", "best",
                "--segment-size", "3M");
        assertEquals(0, r.code(), r.toString());
        assertTrue(sh.run("ewfverify -q ev1.E01").contains("SUCCESS"));
        String info = sh.run("ewfinfo ev1.E01");
        for (String s : List.of("C-2", "E. X", "EV-3", "laptop", "sealed bag 4", sh.digest("md5sum", disk), sh.digest("sha1sum", disk))) {
            assertTrue(info.contains(s), s + " in\n" + info);
        }
        assertTrue(info.contains("best compression"), info);
        assertTrue(Files.exists(dir.resolve("ev1.E02")), "3 MiB segments");
        sh.run("ewfexport -q -u -t ev1x -f raw -o 0 ev1.E01 >/dev/null && cmp ev1x.raw disk.img");
        assertTrue(Files.exists(dir.resolve("ev1.json")));
    }

    /**
     * The image is on the disk, not only in the page cache, when triage says it is complete: every
     * file of the image and its sidecar is fsync'ed (or fdatasync'ed) before the process ends.
     * Oracle: strace's record of the calls, with the path of each descriptor (-y).
     */
    @Test
    void everyImageFileAndTheSidecarAreSyncedBeforeItSaysComplete() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/strace")), "strace is needed (.ci/install-deps)");
        for (String format : List.of("e01", "raw")) {
            Path out = dir.resolve("synced-" + format);
            Path trace = dir.resolve("fsync-" + format + ".txt");
            Cli.Result r = Cli.fork(List.of("strace", "-f", "-qq", "-y", "-e", "trace=fsync,fdatasync", "-o", trace.toString()),
                    "acquire", disk.toString(), "--out", out.toString(), "--format", format,
                    "--segment-size", format.equals("e01") ? "2M" : "10M", "--quiet");
            assertEquals(0, r.code(), r.toString());
            String calls = Files.readString(trace);
            List<String> files = new ArrayList<>(List.of(sh.run("ls synced-" + format + ".*").trim().split("\\s+")));
            assertTrue(files.size() >= 3, "segments and the sidecar: " + files);
            for (String f : files) {
                assertTrue(calls.contains(dir.resolve(f).toRealPath() + ">)"), f + " was not synced; the calls:\n" + calls);
            }
        }
    }

    /**
     * The raw copy is written around the page cache (O_DIRECT) where the filesystem allows it, and
     * is still the source byte for byte when neither the segment size (1,500,000) nor the source's
     * size (24 MiB + 1,536) is a multiple of the alignment. Oracles: strace's record of the opens
     * with their flags and paths, and cmp.
     */
    @Test
    void rawCopyIsWrittenAroundThePageCacheAndEqualsTheSource() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/strace")), "strace is needed (.ci/install-deps)");
        Path trace = dir.resolve("open-direct.txt");
        Cli.Result r = Cli.fork(List.of("strace", "-f", "-qq", "-e", "trace=openat", "-o", trace.toString()),
                "acquire", disk.toString(), "--out", dir.resolve("direct.raw").toString(), "--format", "raw",
                "--segment-size", "1500000", "--quiet");
        assertEquals(0, r.code(), r.toString());
        sh.run("cat direct.raw.0* | cmp - disk.img");
        String opens = Files.readString(trace);
        List<String> segments = List.of(sh.run("ls direct.raw.0*").trim().split("\\s+"));
        assertTrue(segments.size() > 10, segments.toString());
        for (String f : segments) {
            assertTrue(opens.lines().anyMatch(l -> l.contains(f + "\"") && l.contains("O_DIRECT")),
                    f + " was not opened with O_DIRECT; the opens:\n" + opens);
        }
    }

    @Test
    void refusesAnExistingOutputAndTheSourceItself() throws Exception {
        Path existing = dir.resolve("existing.raw");
        Files.writeString(existing, "an earlier copy");
        Cli.Result r = Cli.run("acquire", disk.toString(), "--out", existing.toString(), "--format", "raw");
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("exists") && r.err().contains(existing.toString()), r.err());
        assertEquals("an earlier copy", Files.readString(existing));

        String before = sh.digest("sha256sum", disk);
        r = Cli.run("acquire", disk.toString(), "--out", disk.toString(), "--format", "raw");
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("is the source"), r.err());
        assertEquals(before, sh.digest("sha256sum", disk));
    }

    @Test
    void refusesAnOutputOnAFilesystemOfTheSourceDevice() throws Exception {
        String dev = sh.run("stat -c '%d' .").trim();
        long d = Long.parseLong(dev);
        String node = sh.run("for f in /dev/*; do [ -b \"$f\" ] && [ $(( 0x$(stat -c %t \"$f\") * 256 + 0x$(stat -c %T \"$f\") )) = "
                + d + " ] && echo \"$f\" && break; done; true").trim();
        Assumptions.assumeFalse(node.isEmpty(), "no device node for the filesystem of " + dir + " (st_dev " + dev + ")");
        Cli.Result r = Cli.run("acquire", node, "--out", dir.resolve("onsource").toString());
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("filesystem on the source device " + node), r.err());
        assertFalse(Files.exists(dir.resolve("onsource.E01")));
    }

    @Test
    void ctrlCLeavesAMarkedIncompleteImageAndExits130() throws Exception {
        Path big = dir.resolve("big.img");
        sh.run("head -c 400000000 /dev/urandom > big.img");
        Path out = dir.resolve("stopped");
        Cli.Result r = Cli.interruptWhen(dir.resolve("stdout.txt"), err -> {
            try {
                return Files.exists(dir.resolve("stopped.E01")) && Files.size(dir.resolve("stopped.E01")) > (4 << 20);
            } catch (IOException e) {
                return false;
            }
        }, List.of("acquire", big.toString(), "--out", out.toString(), "--compress", "best"));
        assertEquals(130, r.code(), r.toString());
        assertTrue(Files.exists(dir.resolve("stopped.INCOMPLETE")), r.toString());
        JsonNode log = new ObjectMapper().readTree(dir.resolve("stopped.json").toFile());
        assertEquals("INCOMPLETE", log.get("status").asText());
        long at = log.get("stopped_at").asLong();
        assertTrue(at > 0 && at < Files.size(big), "stopped at " + at);
        assertFalse(log.has("md5"), "no media digest for a part of the media");
        // The finalized part is readable by libewf's own tool.
        String info = sh.run("ewfinfo stopped.E01");
        assertTrue(info.contains("EnCase"), info);
    }
}
