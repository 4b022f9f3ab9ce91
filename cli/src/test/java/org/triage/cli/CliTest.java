package org.triage.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The command line through picocli's execute (and a child JVM where capabilities must drop). */
class CliTest extends EvidenceFixture {
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeEach
    void tree() throws Exception {
        Cli.randomFiles(evidence, 3, 30, 0, 100_000, i -> "dir" + (i % 3));
        Files.writeString(evidence.resolve("known.jpg"), "pretend picture");
        Files.writeString(evidence.resolve("system.dll"), "pretend system file");
        Cli.exec(evidence, "bash", "-c", "printf 'odd name' > $'odd-\\xff\\x80.jpg'");
    }

    /** md5sum's own output for some files, imported as is: the store never sees our hashing. */
    private Path md5sumList(String... names) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("md5sum", "--"));
        cmd.addAll(List.of(names));
        Path list = tmp.resolve("list-" + names.length + ".md5");
        Files.write(list, Cli.exec(evidence, cmd.toArray(new String[0])));
        return list;
    }

    private void importAlert(Path list, String category) {
        if (category == null) Cli.importSet(list, db, "alerts", "--kind", "alert");
        else Cli.importSet(list, db, "alerts", "--kind", "alert", "--category", category);
    }

    private void importKnownGood() throws Exception {
        Path list = tmp.resolve("good.sha1");
        Files.write(list, Cli.exec(evidence, "sha1sum", "system.dll"));
        Cli.importSet(list, db, "good", "--kind", "known-good");
    }

    @Test
    void helpListsTheExitCodes() {
        for (String cmd : List.of("scan", "demo", "hashset")) {
            Cli.Result r = Cli.run(cmd, "--help");
            assertEquals(0, r.code());
            assertTrue(r.out().contains("Exit codes:"), r.out());
        }
        assertTrue(Cli.run("scan", "--help").out().contains("130"));
        Cli.Result top = Cli.run("--help");
        assertTrue(top.out().contains("hashset") && top.out().contains("scan"), top.out());
        assertTrue(Cli.run("--version").out().startsWith("triage "));
        assertEquals(0, Cli.run("hashset", "import", "--help").code());
    }

    @Test
    void cleanScanExitsZero() throws Exception {
        Files.writeString(tmp.resolve("other.txt"), "0123456789abcdef0123456789abcdef\n");
        Cli.importSet(tmp.resolve("other.txt"), db, "unrelated", "--kind", "alert");
        Cli.Result r = Cli.run("scan", evidence.toString(), "--db", db.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("no alert match"), r.out());
    }

    @Test
    void matchExitsOneAndTheReportAndListingFollowTheSchema() throws Exception {
        importAlert(md5sumList("known.jpg", "dir1/file4.bin"), "A");
        importKnownGood();
        Path report = tmp.resolve("report.json");
        Path all = tmp.resolve("all.jsonl");
        Cli.Result r = Cli.run("scan", evidence.toString(), "--db", db.toString(), "--report", report.toString(),
                "--all-files", all.toString(), "--case", "C-1", "--examiner", "E. X.");
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.out().contains("ALERT: 2 files"), r.out());
        Cli.Result md5only = Cli.run("scan", evidence.toString(), "--db", db.toString(), "--algorithms", "md5");
        assertEquals(1, md5only.code(), md5only.toString());
        assertTrue(md5only.err().contains("also computing sha1"), md5only.err());

        JsonNode doc = JSON.readTree(report.toFile());
        assertFalse(doc.get("partial").asBoolean());
        assertEquals("C-1", doc.get("case").asText());
        JsonNode summary = doc.get("evidence").get(0).get("summary");
        assertEquals("high", summary.get("priority").asText());
        assertEquals(2, summary.get("alert_files").asInt());
        assertEquals(1, summary.get("known_good_files").asInt());
        assertEquals(2, summary.get("alert_by_category").get("A").asInt());
        assertEquals(33, summary.get("files").asInt());
        Map<String, String> sha256 = oracle("sha256sum");
        Map<String, String> md5 = oracle("md5sum");
        assertEquals(2, doc.get("matches").size());
        for (JsonNode m : doc.get("matches")) {
            for (String f : List.of("source", "path", "size", "md5", "sha1", "sha256", "set", "category")) {
                assertTrue(m.has(f), "match lacks " + f + ": " + m);
            }
            assertEquals(md5.get(m.get("path").asText()), m.get("md5").asText());
            assertEquals("alerts", m.get("set").asText());
        }

        List<String> lines = Files.readAllLines(all, StandardCharsets.UTF_8);
        assertEquals(33 + 2, lines.size(), "a header, 33 entries, the item's end line");
        assertEquals("triage all-files", JSON.readTree(lines.get(0)).get("listing").asText());
        assertEquals(evidence.toString(), JSON.readTree(lines.get(34)).get("evidence_done").asText());
        lines = lines.subList(1, 34);
        boolean sawOdd = false;
        for (String line : lines) {
            JsonNode o = JSON.readTree(line);
            for (String f : List.of("source", "path", "size", "type", "md5", "sha1", "sha256", "match", "error")) {
                assertTrue(o.has(f), "line lacks " + f + ": " + line);
            }
            assertEquals(evidence.toString(), o.get("source").asText());
            String key = o.get("path").asText();
            if (!o.get("path_b64").isNull()) {
                byte[] raw = Base64.getDecoder().decode(o.get("path_b64").asText());
                assertArrayEquals(new byte[] {'o', 'd', 'd', '-', (byte) 0xff, (byte) 0x80, '.', 'j', 'p', 'g'}, raw);
                assertEquals("odd-\\xFF\\x80.jpg", key);
                key = new String(raw, StandardCharsets.ISO_8859_1);
                sawOdd = true;
            }
            assertEquals(sha256.get(key), o.get("sha256").asText(), key);
        }
        assertTrue(sawOdd);
    }

    /** Pictures by their signatures: two copies of one JPEG, a PNG, a text file. */
    private Path pictures() throws Exception {
        Path pics = Files.createDirectories(tmp.resolve("pics"));
        byte[] jpeg = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 16, 'J', 'F', 'I', 'F', 0, 1, 2, 3};
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
        Files.createDirectories(pics.resolve("a/b"));
        Files.write(pics.resolve("a/holiday.jpg"), jpeg);
        Files.write(pics.resolve("a/b/copy.jpg"), jpeg);
        Files.write(pics.resolve("new.png"), png);
        Files.writeString(pics.resolve("notes.txt"), "not a picture");
        return pics;
    }

    private String hashOf(Path dir, String tool, String file) throws Exception {
        return new String(Cli.exec(dir, tool, file), StandardCharsets.US_ASCII).substring(0, tool.equals("md5sum") ? 32 : 40);
    }

    /** A VICS file written by hand from md5sum/sha1sum output, as Project VIC would ship it. */
    private Path vicsSet(Path pics, String file, int category) throws Exception {
        Path v = tmp.resolve("set-" + category + ".json");
        Files.writeString(v, "{\"@odata.context\": \"http://github.com/VICSDATAMODEL/ProjectVic/DataModels/2.0.xml/Default/$metadata#Media\",\n"
                + " \"value\": [{\"MediaID\": 7, \"Category\": " + category + ", \"MD5\": \""
                + hashOf(pics, "md5sum", file).toUpperCase() + "\", \"SHA1\": \"" + hashOf(pics, "sha1sum", file).toUpperCase()
                + "\", \"MediaSize\": " + Files.size(pics.resolve(file)) + ", \"PhotoDNA\": \"AAEC\"}]}\n");
        return v;
    }

    @Test
    void vicsCategoryZeroIsReportedButLeavesTheDeviceLow() throws Exception {
        Path pics = pictures();
        Cli.Result imp = Cli.run("hashset", "import", vicsSet(pics, "new.png", 0).toString(), "--db", db.toString(), "--name", "vic");
        assertEquals(0, imp.code(), imp.toString());
        assertTrue(imp.err().contains("detected format vics"), imp.err());
        Path report = tmp.resolve("r.json");
        Cli.Result r = Cli.run("scan", pics.toString(), "--db", db.toString(), "--report", report.toString());
        // Found in an alert set, so the exit code says so, even though category 0 does not raise priority.
        assertEquals(1, r.code(), r.toString());
        assertFalse(r.out().contains("ALERT"), "a match that does not raise priority is not called ALERT: " + r.out());
        JsonNode summary = JSON.readTree(report.toFile()).get("evidence").get(0).get("summary");
        assertEquals("low", summary.get("priority").asText(), summary.toString());
        assertEquals(1, summary.get("alert_files").asInt());
        assertEquals(1, summary.get("alert_by_category").get("0").asInt());
        JsonNode set = JSON.readTree(report.toFile()).get("hash_store").get("sets").get(0);
        for (String f : List.of("name", "kind", "entries", "format", "source_file", "source_size", "source_sha256",
                "source_entries", "imported", "imported_by")) {
            assertTrue(set.has(f), "set lacks " + f + ": " + set);
        }
        assertEquals("vics-2.0", set.get("format").asText());
    }

    @Test
    void scanWritesEveryPictureAsVicsThatImportsBack() throws Exception {
        Path pics = pictures();
        assertEquals(0, Cli.run("hashset", "import", vicsSet(pics, "a/holiday.jpg", 1).toString(), "--db", db.toString(),
                "--name", "vic").code());
        Path out = tmp.resolve("seen.json");
        Path report = tmp.resolve("r.json");
        Cli.Result r = Cli.run("scan", pics.toString(), "--db", db.toString(), "--vics", out.toString(), "--report", report.toString());
        assertEquals(1, r.code(), r.toString());
        assertEquals("high", JSON.readTree(report.toFile()).get("evidence").get(0).get("summary").get("priority").asText());

        // The structure VICS describes: an OData object whose value array holds Media objects.
        JsonNode doc = JSON.readTree(out.toFile());
        assertTrue(doc.get("@odata.context").asText().endsWith("$metadata#Media"), doc.toString());
        JsonNode value = doc.get("value");
        assertEquals(2, value.size(), "two distinct pictures (the JPEG found twice), no text file: " + doc);
        Map<String, JsonNode> byMd5 = new HashMap<>();
        for (JsonNode m : value) {
            assertTrue(m.get("MD5").asText().matches("[0-9A-F]{32}"), m.toString());
            assertTrue(m.get("SHA1").asText().matches("[0-9A-F]{40}"), m.toString());
            assertTrue(m.get("MediaSize").isIntegralNumber(), m.toString());
            assertTrue(m.get("MediaFiles").isArray(), m.toString());
            for (JsonNode f : m.get("MediaFiles")) {
                assertTrue(f.get("FileName").isTextual() && f.get("FilePath").isTextual(), f.toString());
            }
            byMd5.put(m.get("MD5").asText(), m);
        }
        JsonNode jpeg = byMd5.get(hashOf(pics, "md5sum", "a/holiday.jpg").toUpperCase());
        assertEquals(hashOf(pics, "sha1sum", "a/holiday.jpg").toUpperCase(), jpeg.get("SHA1").asText());
        assertEquals(14, jpeg.get("MediaSize").asInt());
        assertEquals(1, jpeg.get("Category").asInt());
        Set<String> copies = new java.util.TreeSet<>();
        for (JsonNode f : jpeg.get("MediaFiles")) copies.add(f.get("FilePath").asText() + "|" + f.get("FileName").asText());
        assertEquals(Set.of(pics + "/a|holiday.jpg", pics + "/a/b|copy.jpg"), copies);
        JsonNode png = byMd5.get(hashOf(pics, "md5sum", "new.png").toUpperCase());
        assertFalse(png.has("Category"), "unmatched material carries no Category: " + png);
        assertEquals(pics.toString(), png.get("MediaFiles").get(0).get("FilePath").asText());

        // Our own output imports back, losslessly.
        Cli.Result back = Cli.run("hashset", "import", out.toString(), "--db", db.toString(), "--name", "seen", "--format", "vics",
                "--allow-uncategorised");
        assertEquals(0, back.code(), back.toString());
        Cli.Result exported = Cli.run("hashset", "export", "--db", db.toString(), "--name", "seen", "--format", "vics");
        assertEquals(0, exported.code(), exported.toString());
        assertEquals(value, JSON.readTree(exported.out()).get("value"));
        Cli.Result info = Cli.run("hashset", "info", "--db", db.toString());
        assertTrue(info.out().contains("1 (Child abuse material (CAM))"), info.out());
        assertTrue(info.out().contains("files: 2 (Media objects, lines or rows read; 2 kept whole)"), info.out());
        assertTrue(info.out().contains("format: vics-2.0\n"), info.out());
        Cli.Result removed = Cli.run("hashset", "remove", "seen", "--db", db.toString());
        assertEquals(0, removed.code(), removed.toString());
        assertEquals(2, Cli.run("hashset", "remove", "seen", "--db", db.toString()).code());
    }

    /** sha256sum/md5sum of every file; keys are paths, non-UTF-8 names as ISO-8859-1 of their bytes. */
    private Map<String, String> oracle(String tool) throws Exception {
        byte[] out = Cli.exec(evidence, "bash", "-c", "find . -type f -printf '%P\\0' | xargs -0 " + tool + " -z --");
        Map<String, String> m = new HashMap<>();
        int start = 0;
        for (int i = 0; i < out.length; i++) {
            if (out[i] != 0) continue;
            String rec = new String(out, start, i - start, StandardCharsets.ISO_8859_1);
            int sp = rec.indexOf("  ");
            String name = rec.substring(sp + 2);
            byte[] raw = name.getBytes(StandardCharsets.ISO_8859_1);
            String key = new String(raw, StandardCharsets.UTF_8);
            boolean utf8 = java.util.Arrays.equals(key.getBytes(StandardCharsets.UTF_8), raw);
            m.put(utf8 ? key : name, rec.substring(0, sp));
            start = i + 1;
        }
        return m;
    }

    @Test
    void setupErrorsExitTwo() throws Exception {
        Cli.Result noStore = Cli.run("scan", evidence.toString(), "--db", tmp.resolve("nope").toString());
        assertEquals(2, noStore.code(), noStore.toString());
        assertTrue(noStore.err().contains("nope"), noStore.err());

        importAlert(md5sumList("known.jpg"), null);
        Cli.Result noEvidence = Cli.run("scan", tmp.resolve("missing").toString(), "--db", db.toString());
        assertEquals(2, noEvidence.code(), noEvidence.toString());
        assertEquals(2, Cli.run("scan", evidence.toString(), "--db", db.toString(), "--algorithms", "crc32").code());
        assertEquals(2, Cli.run("scan", evidence.toString(), "--db", db.toString(), "--threads", "0").code());
        assertEquals(2, Cli.run("scan", evidence.toString()).code());
    }

    @Test
    void malformedImportFailsWithFileAndLineAndChangesNothing() throws Exception {
        importAlert(md5sumList("known.jpg"), "B");
        String infoBefore = Cli.run("hashset", "info", "--db", db.toString()).out();
        String exportBefore = Cli.run("hashset", "export", "--db", db.toString()).out();
        Path bad = tmp.resolve("bad.txt");
        Files.writeString(bad, "d41d8cd98f00b204e9800998ecf8427e\nnot-a-digest\n");
        Cli.Result r = Cli.run("hashset", "import", bad.toString(), "--db", db.toString(), "--name", "second", "--kind", "alert");
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("bad.txt:2"), r.err());
        Cli.Result again = Cli.run("hashset", "import", md5sumList("dir0/file0.bin").toString(), "--db", db.toString(),
                "--name", "alerts", "--kind", "alert");
        assertEquals(2, again.code(), again.toString());
        assertEquals(infoBefore, Cli.run("hashset", "info", "--db", db.toString()).out());
        assertEquals(exportBefore, Cli.run("hashset", "export", "--db", db.toString()).out());
        assertTrue(infoBefore.contains("alerts") && infoBefore.contains("kind: alert"), infoBefore);
    }

    /** Root reads everything; drop the capabilities that let it, so permissions bite as for anyone. */
    private static List<String> withoutReadOverride() throws Exception {
        boolean root = "0".equals(new String(Cli.exec(Path.of("/"), "id", "-u"), StandardCharsets.US_ASCII).trim());
        if (!root) return List.of();
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "setpriv (util-linux) is needed to drop root's read override");
        return List.of("/usr/bin/setpriv", "--bounding-set=-dac_override,-dac_read_search", "--");
    }

    @Test
    void unreadableEntriesExitThreeOrOneWithAMatch() throws Exception {
        importAlert(md5sumList("known.jpg"), "C");
        Path secretFile = evidence.resolve("dir0/secret.bin");
        Files.writeString(secretFile, "locked");
        Path secretDir = Files.createDirectories(evidence.resolve("locked-dir"));
        Files.writeString(secretDir.resolve("inside.txt"), "x");
        Files.setPosixFilePermissions(secretFile, PosixFilePermissions.fromString("---------"));
        Files.setPosixFilePermissions(secretDir, PosixFilePermissions.fromString("---------"));
        try {
            Path report = tmp.resolve("r.json");
            Cli.Result withMatch = Cli.fork(withoutReadOverride(), "scan", evidence.toString(), "--db", db.toString(),
                    "--report", report.toString());
            assertEquals(1, withMatch.code(), withMatch.toString());
            JsonNode doc = JSON.readTree(report.toFile());
            assertEquals(1, doc.get("matches").size());
            assertEquals(2, doc.get("unreadable").size(), doc.toString());
            Set<String> unreadable = Set.of(doc.get("unreadable").get(0).get("path").asText(),
                    doc.get("unreadable").get(1).get("path").asText());
            assertEquals(Set.of("dir0/secret.bin", "locked-dir"), unreadable);
            assertTrue(doc.get("unreadable").toString().contains("Permission denied"), doc.toString());

            Files.delete(evidence.resolve("known.jpg"));
            Cli.Result noMatch = Cli.fork(withoutReadOverride(), "scan", evidence.toString(), "--db", db.toString());
            assertEquals(3, noMatch.code(), noMatch.toString());
            assertTrue(noMatch.out().contains("could not be read"), noMatch.out());
        } finally {
            Files.setPosixFilePermissions(secretDir, PosixFilePermissions.fromString("rwx------"));
            Files.setPosixFilePermissions(secretFile, PosixFilePermissions.fromString("rw-------"));
        }
    }

    @Test
    void evidenceIsUntouched() throws Exception {
        importAlert(md5sumList("known.jpg"), "A");
        List<Path> entries;
        try (Stream<Path> s = Files.walk(evidence)) {
            entries = s.toList();
        }
        Map<String, String> contentBefore = contents(entries);
        boolean immutable = chattr("+i");
        assumeTrue(immutable, "chattr +i is not supported here (needs root on ext2/3/4, XFS or btrfs): skipping");
        Map<String, String> timesBefore;
        Map<String, String> timesAfter;
        try {
            // chattr just moved every ctime past its atime, so under relatime any read by the scan
            // that is not O_NOATIME would now move the access time: stat only, no reads, around the scan.
            timesBefore = times(entries);
            Cli.Result r = Cli.run("scan", evidence.toString(), "--db", db.toString(), "--report", tmp.resolve("r.json").toString());
            assertEquals(1, r.code(), r.toString());
            timesAfter = times(entries);
        } finally {
            chattr("-i");
        }
        assertEquals(timesBefore, timesAfter);
        assertEquals(contentBefore, contents(entries));
    }

    private static Map<String, String> times(List<Path> entries) throws IOException {
        Map<String, String> m = new TreeMap<>();
        for (Path p : entries) {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, java.nio.file.LinkOption.NOFOLLOW_LINKS);
            m.put(p.toString(), a.size() + " m=" + a.lastModifiedTime() + " a=" + a.lastAccessTime());
        }
        return m;
    }

    private static Map<String, String> contents(List<Path> entries) throws IOException {
        Map<String, String> m = new TreeMap<>();
        for (Path p : entries) {
            if (Files.isRegularFile(p)) m.put(p.toString(), Integer.toHexString(java.util.Arrays.hashCode(Files.readAllBytes(p))));
        }
        return m;
    }

    private boolean chattr(String flag) throws InterruptedException {
        try {
            Process p = new ProcessBuilder("chattr", "-R", flag, evidence.toString()).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void aKilledScanKeepsEveryLineAlreadyRecorded() throws Exception {
        importAlert(md5sumList("known.jpg"), "A");
        // Small files at the top are recorded first; then a large sparse file keeps the scan busy.
        Path big = Files.createDirectories(evidence.resolve("zz-large")).resolve("disk.img");
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(40L << 30);
        }
        long bigDir = (Long) Files.getAttribute(big.getParent(), "unix:ino");
        for (int i = 0; i < 3; i++) {
            // Directories are walked in inode order: the large file must come last for this test.
            assumeTrue((Long) Files.getAttribute(evidence.resolve("dir" + i), "unix:ino") < bigDir, "inode order");
        }
        Path all = tmp.resolve("all.jsonl");
        String cp = Cli.classPath();
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", cp, TriageCommand.class.getName(), "scan", evidence.toString(), "--db", db.toString(),
                "--all-files", all.toString(), "--algorithms", "md5", "--quiet")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (lineCount(all) < 1 + 33 && System.nanoTime() < deadline) Thread.sleep(50);
            assertTrue(p.isAlive(), "the scan should still be reading the large file");
        } finally {
            p.destroyForcibly(); // SIGKILL: no shutdown hook, no finally
            p.waitFor(30, TimeUnit.SECONDS);
        }
        List<String> lines = Files.readAllLines(all, StandardCharsets.UTF_8);
        assertEquals(1 + 33, lines.size(), "the header and every entry before the large file are on disk");
        assertTrue(JSON.readTree(lines.get(0)).has("listing"), lines.get(0));
        for (String line : lines.subList(1, lines.size())) {
            JsonNode o = JSON.readTree(line);
            assertTrue(o.has("md5") && o.has("path") && o.has("error"), line);
        }
        assertTrue(Files.readString(all).endsWith("\n"), "only whole lines reach the file");
    }

    private static long lineCount(Path file) throws IOException {
        if (!Files.exists(file)) return 0;
        byte[] b = Files.readAllBytes(file);
        long n = 0;
        for (byte x : b) if (x == '\n') n++;
        return n;
    }

    /**
     * The demo's own verdict ("demo: OK") is the code judging itself; here coreutils judge it: the
     * report's matches must be exactly the evidence files whose md5sum or sha1sum the demo's alert
     * list names, and its known-good count the files whose sha256sum the known-good list names.
     */
    @Test
    void demoFindsExactlyWhatItPlanted() throws Exception {
        Path demo = tmp.resolve("demo");
        Cli.Result r = Cli.run("demo", "--dir", demo.toString(), "--images", "36");
        assertEquals(0, r.code(), r.toString());
        Path files = demo.resolve("evidence");
        Set<String> alertDigests = listedDigests(demo.resolve("hashsets/demo-alert.txt"));
        Set<String> goodDigests = listedDigests(demo.resolve("hashsets/demo-known-good.txt"));
        Map<String, String> md5 = sums(files, "md5sum");
        Map<String, String> sha1 = sums(files, "sha1sum");
        Map<String, String> sha256 = sums(files, "sha256sum");
        Set<String> expected = new java.util.TreeSet<>();
        for (String f : md5.keySet()) {
            if (alertDigests.contains(md5.get(f)) || alertDigests.contains(sha1.get(f))) expected.add(f);
        }
        long good = sha256.values().stream().filter(goodDigests::contains).count();
        assertTrue(expected.size() >= 3 && good > 0, "the demo plants something: " + expected + ", known-good " + good);

        JsonNode doc = JSON.readTree(demo.resolve("report.json").toFile());
        Set<String> found = new java.util.TreeSet<>();
        for (JsonNode m : doc.get("matches")) {
            String path = m.get("path").asText();
            assertEquals(md5.get(path), m.get("md5").asText(), path);
            // The re-encoded copies found by PDQ alone are DemoPdqCliTest's.
            if ("digest".equals(m.get("by").asText())) found.add(path);
        }
        assertEquals(expected, found);
        JsonNode summary = doc.get("evidence").get(0).get("summary");
        assertEquals(good, summary.get("known_good_files").asLong());
        assertEquals(md5.size(), summary.get("files").asLong(), "every generated file scanned");
    }

    /** The lower-case digests of a hash list (digest, optionally ",category"; '#' comments). */
    private static Set<String> listedDigests(Path list) throws IOException {
        Set<String> out = new java.util.HashSet<>();
        for (String line : Files.readAllLines(list, StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("#")) continue;
            out.add(line.split(",")[0].trim().toLowerCase(java.util.Locale.ROOT));
        }
        return out;
    }

    /** A coreutils checksum tool's digest of every regular file under {@code root}, by relative path. */
    private static Map<String, String> sums(Path root, String tool) throws Exception {
        byte[] out = Cli.exec(root, "bash", "-c", "find . -type f -printf '%P\\0' | xargs -0 " + tool + " --");
        Map<String, String> m = new TreeMap<>();
        for (String line : new String(out, StandardCharsets.UTF_8).split("\n")) {
            if (line.isEmpty()) continue;
            int sp = line.indexOf("  ");
            m.put(line.substring(sp + 2), line.substring(0, sp));
        }
        return m;
    }
}
