package org.triage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bench's archive slice: its row's keys, and the member count checked against unzip's own listing. */
class BenchArchiveTest {
    @TempDir
    Path tmp;

    @Test
    void archiveSliceMeasuresMembersBesideThePlainScanAndUnzip() throws Exception {
        Path work = tmp.resolve("bench");
        Cli.Result r = Cli.run("bench", work.toString(), "--scale", "0.0004", "--slices", "archive", "--runs", "1",
                "--json", "--no-hashdeep", "--unzip-sample", "5");
        assertEquals(0, r.code(), r.toString());
        JsonNode doc = new ObjectMapper().readTree(r.out());
        assertEquals(1, doc.get("slices").size());
        JsonNode row = doc.get("slices").get(0);
        assertEquals("archive", row.get("slice").asText());

        // The oracle for what the zip holds is unzip's own listing, not the bench's corpus.
        String listing = new String(Cli.exec(work.resolve("archive"), "unzip", "-Z1", "small.zip"), StandardCharsets.UTF_8);
        long members = Arrays.stream(listing.split("\n")).filter(l -> !l.isBlank() && !l.endsWith("/")).count();
        assertEquals(20, members);
        assertEquals(members, row.get("files").asLong());
        assertTrue(row.get("archive_bytes").asLong() >= row.get("bytes").asLong(), row.toString());

        for (String tool : new String[] {"triage", "plain"}) {
            assertTrue(row.get(tool).get("files_s").asDouble() > 0, tool + ": " + row);
            assertTrue(row.get(tool).get("mb_s").asDouble() > 0, tool + ": " + row);
            assertEquals(1, row.get(tool).get("seconds").size(), tool + ": " + row);
            assertTrue(row.get(tool).get("cpu_seconds").asDouble() > 0, tool + ": " + row);
        }
        JsonNode unzip = row.get("unzip_md5sum");
        assertEquals(5, unzip.get("members").asInt(), row.toString());
        assertTrue(unzip.get("members_s").asDouble() > 0, row.toString());
        assertTrue(row.get("pct_of_plain").asDouble() > 0, row.toString());
        assertTrue(row.get("pct_of_plain_cpu").asDouble() > 0, row.toString());
        assertTrue(row.get("ratio_to_unzip").asDouble() > 0, row.toString());
    }
}
