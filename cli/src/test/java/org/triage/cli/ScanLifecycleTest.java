package org.triage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What an examiner sees while a scan runs and when it is stopped: progress, types, Ctrl-C, bench. */
class ScanLifecycleTest extends EvidenceFixture {
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeEach
    void store() throws Exception {
        Cli.importSet(Files.writeString(tmp.resolve("list.txt"), "0123456789abcdef0123456789abcdef\n"), db, "x", "--kind", "alert");
    }

    private void bigSparseFile(long size) throws IOException {
        Path big = Files.createDirectories(evidence.resolve("zz")).resolve("disk.img");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(size);
        }
    }

    /** A child JVM running {@code triage scan}, stderr captured. */
    private Process startScan(List<String> extra) throws IOException {
        List<String> cmd = new ArrayList<>(SelfLauncher.javaCommand("-Xmx256m"));
        cmd.addAll(List.of("scan", evidence.toString(), "--db", db.toString(), "--algorithms", "md5"));
        cmd.addAll(extra);
        return new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    /**
     * Where libcrypto cannot be used the JVM hashes: same digests, the report says which did, and
     * run as the launcher runs scans (quick compiler only), the examiner is told why it is slow.
     */
    @Test
    void theJvmsDigestsWhereOpenSslIsNotUsed() throws Exception {
        Random random = new Random(11);
        for (int size : new int[] {0, 1, 4095, 70_000, (512 << 10) + 3, 3 << 20}) {
            byte[] b = new byte[size];
            random.nextBytes(b);
            Files.write(evidence.resolve("f" + size + ".bin"), b);
        }
        Path listing = tmp.resolve("all.jsonl");
        Path report = tmp.resolve("report.json");
        List<String> cmd = new ArrayList<>(SelfLauncher.javaCommand("-Xmx256m", "-Dtriage.digests=jvm",
                "-XX:TieredStopAtLevel=1"));
        cmd.addAll(List.of("scan", evidence.toString(), "--db", db.toString(), "--algorithms", "md5,sha1,sha256",
                "--quiet", "--all-files", listing.toString(), "--report", report.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(3, TimeUnit.MINUTES));
        assertEquals(0, p.exitValue(), out);
        assertEquals("jvm", JSON.readTree(report.toFile()).get("digests_by").asText());
        assertTrue(out.contains("triage: warning: OpenSSL's libcrypto could not be used"), out);
        int files = 0;
        for (String line : Files.readAllLines(listing)) {
            JsonNode r = JSON.readTree(line);
            if (!r.has("path")) continue; // the header and the items' end lines are not entries
            if (!r.get("type").asText().equals("file")) continue;
            files++;
            String name = r.get("path").asText();
            for (String[] tool : new String[][] {{"md5", "md5sum"}, {"sha1", "sha1sum"}, {"sha256", "sha256sum"}}) {
                String expected = new String(Cli.exec(evidence, tool[1], name), StandardCharsets.US_ASCII).split(" ")[0];
                assertEquals(expected, r.get(tool[0]).asText(), tool[0] + " of " + name);
            }
        }
        assertEquals(6, files);
    }

    /** Through main(), where the store named by --db is opened while picocli parses: its errors still come out whole. */
    @Test
    void aMissingStoreOpenedAtStartUpIsReportedAndExitsTwo() throws Exception {
        Files.writeString(evidence.resolve("a.txt"), "a");
        Path missing = tmp.resolve("no-such-store");
        List<String> cmd = new ArrayList<>(SelfLauncher.javaCommand("-Xmx256m"));
        cmd.addAll(List.of("scan", evidence.toString(), "--db", missing.toString(), "--quiet"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(1, TimeUnit.MINUTES));
        assertEquals(2, p.exitValue(), out);
        assertTrue(out.contains("no hash store at " + missing), out);
        assertFalse(Files.exists(missing), "a read-only open creates nothing");
    }

    @Test
    void plainProgressLinesWhenStderrIsNotATerminal() throws Exception {
        Files.writeString(evidence.resolve("a.txt"), "a");
        bigSparseFile(3L << 30);
        Process p = startScan(List.of("--progress-interval", "0.2"));
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(3, TimeUnit.MINUTES));
        assertEquals(0, p.exitValue(), err);
        List<String> lines = err.lines().filter(l -> l.startsWith("triage: progress: ")).toList();
        assertFalse(lines.isEmpty(), "no progress line in: " + err);
        assertTrue(lines.get(lines.size() - 1).contains("files/s"), lines.toString());
        assertFalse(err.contains("\r"), "no carriage returns outside a terminal");
    }

    @Test
    void quietMeansNoProgress() throws Exception {
        Files.writeString(evidence.resolve("a.txt"), "a");
        bigSparseFile(1L << 30);
        Process p = startScan(List.of("--progress-interval", "0.1", "--quiet"));
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(3, TimeUnit.MINUTES));
        assertEquals("", err);
    }

    @Test
    void ctrlCWritesAPartialReportAndExits130() throws Exception {
        for (int i = 0; i < 20; i++) Files.writeString(evidence.resolve("f" + i + ".txt"), "file " + i);
        bigSparseFile(200L << 30); // far more than the test will wait for
        Path report = tmp.resolve("report.json");
        // Interrupted once the small files are recorded (a progress line counts 20 or more), not at the
        // first progress line: on a loaded machine that can come before the walk has listed them.
        Cli.Result r = Cli.interruptWhen(tmp.resolve("stdout.txt"), ScanLifecycleTest::twentyRecorded, List.of("scan",
                evidence.toString(), "--db", db.toString(), "--algorithms", "md5", "--report", report.toString(),
                "--progress-interval", "0.1"));
        assertEquals(130, r.code(), r.toString());
        JsonNode doc = JSON.readTree(report.toFile());
        assertTrue(doc.get("partial").asBoolean());
        JsonNode summary = doc.get("evidence").get(0).get("summary");
        assertTrue(summary.get("interrupted").asBoolean());
        assertEquals(21, summary.get("files").asInt(), "the small files and the unfinished one are recorded");
        boolean unfinished = false;
        for (JsonNode u : doc.get("unreadable")) unfinished |= u.get("error").asText().startsWith("unfinished");
        assertTrue(unfinished, doc.toString());
    }

    /** A progress line ("N files, …" or "… N/T files, …") says at least 20 entries are recorded. */
    private static boolean twentyRecorded(String stderr) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("progress: (?:[^\\n]*?\\s)?([\\d,]+)(?:/[\\d,]+)? files")
                .matcher(stderr);
        while (m.find()) {
            if (Long.parseLong(m.group(1).replace(",", "")) >= 20) return true;
        }
        return false;
    }

    @Test
    void typesAndMisleadingExtensionsInListingAndSummary() throws Exception {
        byte[] png = DemoCorpus.picture(new Random(1), "png");
        byte[] jpg = DemoCorpus.picture(new Random(2), "jpg");
        Files.write(evidence.resolve("holiday.png"), png);
        Files.write(evidence.resolve("invoice.txt"), jpg);
        Files.writeString(evidence.resolve("readme.txt"), "just text");
        Path all = tmp.resolve("all.jsonl");
        Path report = tmp.resolve("r.json");
        Cli.Result r = Cli.run("scan", evidence.toString(), "--db", db.toString(), "--all-files", all.toString(),
                "--report", report.toString());
        assertEquals(0, r.code(), r.toString());
        for (String line : Files.readAllLines(all)) {
            JsonNode o = JSON.readTree(line);
            if (!o.has("path")) continue; // the header and the items' end lines are not entries
            switch (o.get("path").asText()) {
                case "holiday.png" -> {
                    assertEquals("png", o.get("type").asText());
                    assertFalse(o.get("ext_mismatch").asBoolean());
                }
                case "invoice.txt" -> {
                    assertEquals("jpeg", o.get("type").asText());
                    assertTrue(o.get("ext_mismatch").asBoolean());
                }
                case "readme.txt" -> {
                    assertEquals("file", o.get("type").asText());
                    assertFalse(o.get("ext_mismatch").asBoolean());
                }
                default -> throw new AssertionError(line);
            }
        }
        JsonNode s = JSON.readTree(report.toFile()).get("evidence").get(0).get("summary");
        assertEquals(2, s.get("images").asInt());
        assertEquals(0, s.get("videos").asInt());
        assertEquals(1, s.get("ext_mismatch").asInt());
        assertTrue(r.out().contains("1 picture or video under a misleading extension"), r.out());
    }

    @Test
    void benchRunsEndToEndOnATinyCorpus() throws Exception {
        Cli.Result r = Cli.run("bench", tmp.resolve("bench").toString(), "--scale", "0.0004", "--slices", "small,medium",
                "--runs", "1", "--json", "--no-hashdeep");
        assertEquals(0, r.code(), r.toString());
        JsonNode doc = JSON.readTree(r.out());
        assertTrue(doc.get("machine").get("cores").asInt() >= 1);
        assertEquals(2, doc.get("slices").size());
        JsonNode small = doc.get("slices").get(0);
        assertEquals("small", small.get("slice").asText());
        assertEquals(20, small.get("files").asInt());
        assertTrue(small.get("triage").get("mb_s").asDouble() > 0);
        assertTrue(small.get("triage").get("peak_rss_mb").asDouble() > 0);
    }
}
