package org.triage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code triage bench --pdq}: the photo slice it generates (checked with sha1sum and ImageMagick's
 * identify, not with the generator's own manifest alone), and the row it reports: every crypto-pass
 * run with PDQ on and off, their range, and the CPU of the decode-only limit.
 */
class BenchPdqTest {
    private static final int PHOTOS = 30;

    @TempDir
    Path tmp;

    @Test
    void photoSliceIsDistinctPicturesOfTheSizesItsManifestGivesAndTheRowHasEveryCryptoRun() throws Exception {
        Path work = tmp.resolve("bench");
        Cli.Result r = Cli.run("bench", work.toString(), "--pdq", "--photos", Integer.toString(PHOTOS), "--slices", "",
                "--runs", "2", "--json", "--no-hashdeep");
        assertEquals(0, r.code(), r.toString());
        JsonNode row = new ObjectMapper().readTree(r.out()).get("slices").get(0);
        assertEquals("photos", row.get("slice").asText());
        assertEquals(PHOTOS, row.get("pictures").asInt(), row.toString());

        // Every picture a distinct content (sha1sum), of the size the manifest says (identify), in its format's folder.
        Path photos = work.resolve("photos");
        List<Path> files = new ArrayList<>();
        try (var walk = Files.walk(photos)) {
            walk.filter(Files::isRegularFile).forEach(files::add);
        }
        assertEquals(PHOTOS, files.size());
        Set<String> digests = new HashSet<>();
        for (Path f : files) {
            String line = new String(Cli.exec(tmp, "sha1sum", f.toString()), StandardCharsets.US_ASCII);
            digests.add(line.substring(0, 40));
        }
        assertEquals(PHOTOS, digests.size(), "distinct contents among " + files);
        Map<String, String> manifest = new HashMap<>();
        for (String line : Files.readAllLines(work.resolve("photos.tsv"))) {
            if (line.startsWith("#")) continue;
            String[] f = line.split("\t");
            manifest.put(f[0], f[1] + " " + f[2] + "x" + f[3]);
        }
        assertEquals(PHOTOS, manifest.size());
        Map<String, Integer> formats = new HashMap<>();
        for (Path f : files) {
            String rel = photos.relativize(f).toString();
            String[] id = new String(Cli.exec(tmp, "identify", "-format", "%m %wx%h", f.toString()), StandardCharsets.US_ASCII).split(" ");
            String format = rel.substring(0, rel.indexOf('/'));
            assertEquals(format, id[0].toLowerCase(java.util.Locale.ROOT).replace("jpeg", "jpeg"), rel);
            assertEquals(manifest.get(rel), format + " " + id[1], rel);
            String[] wh = id[1].split("x");
            double mp = Double.parseDouble(wh[0]) * Double.parseDouble(wh[1]) / 1e6;
            assertTrue(mp >= 0.29 && mp <= 12.01, rel + " is " + id[1]);
            formats.merge(format, 1, Integer::sum);
        }
        assertEquals(row.get("jpeg_pictures").asInt(), formats.get("jpeg"), formats.toString());
        assertTrue(formats.get("jpeg") > PHOTOS / 2, formats.toString());

        JsonNode crypto = row.get("crypto_pass");
        for (String side : new String[] {"pdq_on", "pdq_off"}) {
            assertEquals(2, crypto.get(side + "_runs").size(), crypto.toString());
            double mean = crypto.get(side + "_seconds").asDouble();
            assertTrue(crypto.get(side + "_min").asDouble() <= mean && mean <= crypto.get(side + "_max").asDouble(), crypto.toString());
        }
        assertTrue(row.get("djpeg").get("cpu_seconds").asDouble() > 0, row.toString());
        assertTrue(row.get("pct_of_decode_limit_cpu").asDouble() > 0, row.toString());
    }

    @Test
    void aReferenceThatIsNoExecutableIsAUsageErrorNamingIt() {
        Path missing = tmp.resolve("no-such-pdq-photo-hasher");
        Cli.Result r = Cli.run("bench", tmp.resolve("bench").toString(), "--pdq", "--reference", missing.toString(), "--slices", "");
        assertEquals(ExitCodes.USAGE, r.code(), r.toString());
        assertTrue(r.err().contains("--reference " + missing + " is not an executable file"), r.err());
    }
}
