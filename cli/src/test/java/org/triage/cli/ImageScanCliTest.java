package org.triage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code triage scan} on disk images built by Debian's tools (the engine's make-images.sh):
 * an E01 with --verify, its report and all-files listing; a damaged image exits 3.
 */
class ImageScanCliTest {
    @TempDir
    static Path dir;
    static Path db;

    @BeforeAll
    static void build() throws Exception {
        Cli.buildImages("make-images.sh", dir, 2);
        Path list = dir.resolve("alert.md5");
        Process m = new ProcessBuilder("md5sum", "files/hidden-stream.bin").directory(dir.toFile())
                .redirectOutput(list.toFile()).start();
        assertEquals(0, m.waitFor());
        db = dir.resolve("db");
        Cli.importSet(list, db, "planted", "--kind", "alert", "--category", "test");
    }

    @Test
    void e01WithVerifyReportsImageAndMatchesTheStreamThroughTheAllFilesListing() throws Exception {
        Path report = dir.resolve("r.json");
        Path all = dir.resolve("all.jsonl");
        Cli.Result r = Cli.run("scan", dir.resolve("gpt.E01").toString(), "--db", db.toString(), "--verify",
                "--report", report.toString(), "--all-files", all.toString());
        assertEquals(1, r.code(), r.toString()); // the planted alternate data stream matches
        assertTrue(r.out().contains("verified: match"), r.out());
        String md5 = new String(new ProcessBuilder("md5sum", "gpt.img").directory(dir.toFile()).start()
                .getInputStream().readAllBytes(), StandardCharsets.US_ASCII).split(" ")[0];
        JsonNode img = new ObjectMapper().readTree(report.toFile()).get("evidence").get(0).get("image");
        assertEquals("ewf", img.get("format").asText());
        assertEquals(20L << 20, img.get("size").asLong());
        assertEquals(3, img.get("segments").size());
        assertEquals("gpt", img.get("volume_system").asText());
        assertEquals(md5, img.get("md5").asText());
        assertEquals(md5, img.get("stored_md5").asText());
        assertTrue(img.get("matches_stored").asBoolean());
        boolean stream = false;
        boolean deleted = false;
        for (String line : Files.readAllLines(all)) {
            JsonNode n = new ObjectMapper().readTree(line);
            if (!n.has("path")) continue; // the header and the items' end lines are not entries
            if ("hidden.bin".equals(n.get("stream").asText(null))) {
                stream = true;
                assertEquals("hello.txt", n.get("path").asText());
                assertEquals(1048576, n.get("partition").get("offset").asLong());
                assertTrue(n.get("match").isArray());
            }
            if (n.get("deleted").asBoolean() && n.get("path").asText().equals("sub/deeper/gone.bin")) deleted = true;
        }
        assertTrue(stream && deleted, "stream and deleted ext4 file listed");
    }

    @Test
    void withoutLibtskImagesSayWhatToInstallAndDirectoriesStillScan() throws Exception {
        // A child JVM told to load a library that does not exist, as on a machine without libtsk19.
        Cli.Result r = Cli.fork(List.of("env", "JAVA_TOOL_OPTIONS=-Dtriage.libtsk=libtsk-absent.so.19"),
                "scan", dir.resolve("gpt.img").toString(), dir.resolve("files").toString(), "--db", db.toString(),
                "--algorithms", "md5");
        assertEquals(1, r.code(), r.toString()); // the directory holds the planted file: it was scanned
        assertTrue(r.out().contains("apt-get install libtsk19"), r.toString());
    }

    @Test
    void aDamagedImageExitsThreeAndListsWhatCouldNotBeRead() throws Exception {
        Path img = Files.copy(dir.resolve("gpt.img"), dir.resolve("damaged.img"));
        try (RandomAccessFile f = new RandomAccessFile(img.toFile(), "rw")) {
            f.setLength(12 << 20);
        }
        Path report = dir.resolve("damaged.json");
        Cli.Result r = Cli.run("scan", img.toString(), "--db", db.toString(), "--algorithms", "md5", "--report", report.toString());
        assertEquals(1, r.code(), r.toString()); // the NTFS partition is whole: the planted stream still matches
        JsonNode rep = new ObjectMapper().readTree(report.toFile());
        assertTrue(rep.get("unreadable").size() > 0);
        assertTrue(rep.get("unreadable").toString().contains("image truncated"), rep.get("unreadable").toString());

        Path ext4only = Files.copy(dir.resolve("ext4.img"), dir.resolve("half-ext4.img"));
        try (RandomAccessFile f = new RandomAccessFile(ext4only.toFile(), "rw")) {
            f.setLength(f.length() / 2);
        }
        Cli.Result r3 = Cli.run("scan", ext4only.toString(), "--db", db.toString(), "--algorithms", "md5");
        assertEquals(3, r3.code(), r3.toString());
        assertTrue(r3.out().contains("half-ext4.img"), r3.out());

        Path gap = Files.createDirectories(dir.resolve("gap"));
        Files.copy(dir.resolve("gpt.E01"), gap.resolve("gpt.E01"));
        Files.copy(dir.resolve("gpt.E03"), gap.resolve("gpt.E03"));
        Cli.Result r4 = Cli.run("scan", gap.resolve("gpt.E01").toString(), "--db", db.toString(), "--algorithms", "md5");
        assertEquals(3, r4.code(), r4.toString());
        assertTrue(r4.out().contains("EWF segment 2") && r4.out().contains("gpt.E02") && r4.out().contains("missing"), r4.out());
    }
}
