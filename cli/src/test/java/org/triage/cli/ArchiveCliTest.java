package org.triage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A known picture inside a ZIP inside a tar.gz, as an examiner meets it (issue 11: "a ZIP holding a
 * known picture: LOW, no alert match, exit 0"): the scan exits 1, and the summary, the report's
 * matches and the all-files listing name the whole chain. The member's MD5 is md5sum's of what
 * tar and unzip extract.
 */
class ArchiveCliTest {
    @TempDir
    static Path tmp;
    static Path evidence;
    static Path db;
    static String md5;

    @BeforeAll
    static void build() throws Exception {
        Path work = Files.createDirectories(tmp.resolve("work/inner"));
        evidence = Files.createDirectories(tmp.resolve("evidence"));
        byte[] picture = new byte[120_000];
        new Random(5).nextBytes(picture);
        Files.write(work.resolve("known.jpg"), picture);
        Cli.exec(work, "zip", "-q", "-9", "pictures.zip", "known.jpg");
        Cli.exec(work.getParent(), "tar", "-czf", evidence.resolve("photos.tar.gz").toString(), "inner/pictures.zip");
        md5 = new String(Cli.exec(tmp, "bash", "-o", "pipefail", "-c", "tar -xOzf " + evidence.resolve("photos.tar.gz")
                + " inner/pictures.zip | funzip | md5sum | cut -d' ' -f1"), StandardCharsets.UTF_8).trim();
        Path list = Files.writeString(tmp.resolve("alert.md5"), md5 + "  known.jpg\n");
        db = tmp.resolve("db");
        Cli.Result r = Cli.run("hashset", "import", list.toString(), "--db", db.toString(), "--name", "alerts",
                "--kind", "alert", "--category", "A");
        assertEquals(0, r.code(), r.toString());
    }

    @Test
    void aKnownPictureInAZipInATarGzIsAnAlertNamedByItsChain() throws Exception {
        String before = Cli.treeDigests(evidence);
        Path report = tmp.resolve("report.json");
        Path listing = tmp.resolve("all.jsonl");
        Cli.Result r = Cli.run("scan", evidence.toString(), "--db", db.toString(), "--report", report.toString(),
                "--all-files", listing.toString());
        assertEquals(before, Cli.treeDigests(evidence), "evidence changed");
        assertEquals(ExitCodes.ALERT, r.code(), r.toString());
        assertTrue(r.out().contains("photos.tar.gz!/inner/pictures.zip!/known.jpg"), r.toString());

        JsonNode json = new ObjectMapper().readTree(report.toFile());
        JsonNode m = json.get("matches").get(0);
        assertEquals("known.jpg", m.get("path").asText());
        assertEquals(List.of("photos.tar.gz", "inner/pictures.zip"),
                new ObjectMapper().convertValue(m.get("container"), List.class));
        assertEquals(md5, m.get("md5").asText());

        boolean listed = false;
        for (String line : Files.readAllLines(listing)) {
            JsonNode n = new ObjectMapper().readTree(line);
            if (!n.has("path")) continue; // the header and the items' end lines are not entries
            if (n.get("path").asText().equals("known.jpg")) {
                assertEquals(2, n.get("container").size(), line);
                assertEquals(md5, n.get("md5").asText());
                listed = true;
            } else if (n.get("path").asText().equals("photos.tar.gz")) {
                assertEquals(0, n.get("container").size(), line);
            }
        }
        assertTrue(listed, "the member has its line in the all-files listing");
    }

    @Test
    void archiveDepthZeroTakesArchivesAsFiles() {
        Cli.Result r = Cli.run("scan", evidence.toString(), "--db", db.toString(), "--archive-depth", "0");
        assertEquals(ExitCodes.CLEAN, r.code(), r.toString());
    }

    @Test
    void aNegativeArchiveDepthIsAUsageErrorNamingIt() {
        Cli.Result r = Cli.run("scan", evidence.toString(), "--db", db.toString(), "--archive-depth", "-1");
        assertEquals(ExitCodes.USAGE, r.code(), r.toString());
        assertTrue(r.err().contains("--archive-depth must be between 0 and 32, was -1"), r.toString());
    }
}
