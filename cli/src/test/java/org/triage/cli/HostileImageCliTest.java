package org.triage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 ("Damaged and hostile evidence"), items 1, 2, 3, 4, 10 and the --verify half of 15: disk
 * images are never opened for writing, access times are what the report says, a VMDK is all the
 * files it names and only those, symlinked segments are found as ewfverify finds them, Ctrl-C stops
 * a --verify pass, and a failed verification is listed among the unreadable.
 *
 * <p>Images are built here by Debian's tools (make-images.sh: mkfs, sfdisk, ewfacquire, split,
 * qemu-img). Oracles: strace for how files are opened, {@code stat -c %X} for access times, md5sum
 * for media hashes, ewfacquire's own segments. Every evidence file's SHA-256 is the same after each
 * scan, and no output carries Java exception text.
 */
class HostileImageCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static Path img;
    static Path db;

    @BeforeAll
    static void build() throws Exception {
        img = dir.resolve("img");
        Cli.buildImages("make-images.sh", img, 3);
        // The other VMDK layouts: a descriptor with a flat extent, and one with 2 GB sparse extents.
        sh(img, "mkdir flat two && qemu-img convert -f raw -O vmdk -o subformat=monolithicFlat gpt.img flat/flat.vmdk"
                + " && qemu-img convert -f raw -O vmdk -o subformat=twoGbMaxExtentSparse gpt.img two/two.vmdk");
        Path list = dir.resolve("alert.md5");
        Files.write(list, Cli.exec(img, "md5sum", "files/hello.txt"));
        db = dir.resolve("db");
        Cli.importSet(list, db, "planted", "--kind", "alert", "--category", "test");
    }

    // ---- item 1: never opened for writing ------------------------------------------------------

    @Test
    void everyImageFormatIsOpenedReadOnlyUnderStrace() throws Exception {
        // Issue: a VMDK was opened O_RDWR (libafflib's probe, reached through libtsk's format detection).
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/strace")), "strace is needed (.ci/install-deps)");
        List<Path> images = new ArrayList<>(List.of(img.resolve("gpt.img"), img.resolve("gpt.raw.000"),
                img.resolve("gpt.E01"), img.resolve("gpt.vmdk"), img.resolve("flat/flat.vmdk"),
                img.resolve("two/two.vmdk"), img.resolve("gpt.vhd")));
        String loop = loopDevice(img.resolve("gpt.img"));
        try {
            if (loop != null) images.add(Path.of(loop));
            Map<Path, String> before = hashes(img);
            for (Path image : images) {
                Path trace = dir.resolve("strace-" + image.getFileName() + ".txt");
                Path report = dir.resolve("strace-" + image.getFileName() + ".json");
                Cli.Result r = Cli.fork(List.of("strace", "-f", "-qq", "-e", "trace=open,openat", "-o", trace.toString()),
                        "scan", image.toString(), "--db", db.toString(), "--algorithms", "md5", "--report", report.toString());
                assertEquals(1, r.code(), image + ": " + r);
                noJavaException(r);
                List<String> evidence = segments(report);
                int opened = 0;
                for (String line : Files.readAllLines(trace)) {
                    Matcher m = OPEN.matcher(line);
                    if (!m.find()) continue;
                    String name = Path.of(m.group(1)).getFileName().toString();
                    boolean isEvidence = evidence.stream().anyMatch(s -> Path.of(s).getFileName().toString().equals(name));
                    if (!isEvidence || line.contains("ENOENT")) continue;
                    opened++;
                    assertFalse(m.group(2).contains("O_RDWR") || m.group(2).contains("O_WRONLY"),
                            image + ": evidence opened for writing: " + line);
                }
                assertTrue(opened >= evidence.size(), image + ": the trace shows every segment opened: " + evidence);
            }
            assertEquals(before, hashes(img), "evidence unchanged");
        } finally {
            if (loop != null) new ProcessBuilder("losetup", "-d", loop).start().waitFor();
        }
    }

    private static final Pattern OPEN = Pattern.compile("open(?:at)?\\((?:AT_FDCWD|\\d+), \"([^\"]+)\", ([A-Z_|]+)");

    private static List<String> segments(Path report) throws IOException {
        List<String> out = new ArrayList<>();
        for (JsonNode s : JSON.readTree(report.toFile()).get("evidence").get(0).get("image").get("segments")) out.add(s.asText());
        return out;
    }

    /** A read-only loop device over {@code file}, or null where losetup cannot make one (not root, no loop devices). */
    private static String loopDevice(Path file) throws InterruptedException {
        try {
            Process p = new ProcessBuilder("losetup", "-r", "-f", "--show", file.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor() == 0 && out.startsWith("/dev/") ? out : null;
        } catch (IOException e) {
            return null;
        }
    }

    // ---- item 2: access times ---------------------------------------------------------------------

    @Test
    void rawAndSplitRawKeepTheirAccessTimesAndTheReportSaysWhichFormatsCannot() throws Exception {
        // Issue: images' access times changed even as root (libtsk opened them without O_NOATIME),
        // while the README said evidence keeps its access times.
        Path d = Files.createDirectories(dir.resolve("atime"));
        for (String f : List.of("gpt.img", "gpt.raw.000", "gpt.raw.001", "gpt.raw.002", "gpt.E01", "gpt.E02", "gpt.E03",
                "gpt.vmdk")) {
            Files.copy(img.resolve(f), d.resolve(f));
        }
        Map<Path, String> before = hashes(d);
        Map<String, List<String>> images = new LinkedHashMap<>();
        images.put("gpt.img", List.of("gpt.img"));
        images.put("gpt.raw.000", List.of("gpt.raw.000", "gpt.raw.001", "gpt.raw.002"));
        images.put("gpt.E01", List.of("gpt.E01", "gpt.E02", "gpt.E03"));
        images.put("gpt.vmdk", List.of("gpt.vmdk"));
        for (Map.Entry<String, List<String>> e : images.entrySet()) {
            String given = e.getKey();
            Path report = dir.resolve("atime-" + given + ".json");
            List<Path> segs = e.getValue().stream().map(d::resolve).toList();
            Map<Path, Long> old = oldAtimes(segs);
            Cli.Result r = Cli.run("scan", d.resolve(given).toString(), "--db", db.toString(), "--algorithms", "md5",
                    "--verify", "--report", report.toString());
            assertEquals(1, r.code(), r.toString());
            JsonNode ev = JSON.readTree(report.toFile()).get("evidence").get(0);
            JsonNode image = ev.get("image");
            assertNotNull(image.get("atime_preserved"), image.toString());
            assertEquals(image.get("atime_preserved"), ev.get("summary").get("atime_preserved"), ev.toString());
            boolean raw = given.equals("gpt.img") || given.equals("gpt.raw.000");
            assertEquals(raw, image.get("atime_preserved").asBoolean(), image.toString());
            if (raw) {
                assertEquals(old, atimes(segs), given + ": access times unchanged, as the report says");
                assertTrue(image.get("atime_note").isNull(), image.toString());
                assertFalse(r.out().contains("access times"), r.out());
            } else {
                assertTrue(image.get("atime_note").asText().contains("without O_NOATIME"), image.toString());
                // The examiner reads the terminal too: the summary says so, with the reason.
                assertTrue(r.out().contains("access times not preserved: " + image.get("atime_note").asText()), r.out());
            }
        }
        assertEquals(before, hashes(d), "evidence unchanged");
    }

    @Test
    void aUserWhoDoesNotOwnTheImageIsToldItsAccessTimeMoved() throws Exception {
        // Issue: the kernel refuses O_NOATIME to a non-owner and the access time then changed silently.
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")) && "root".equals(System.getProperty("user.name")),
                "root (to chown) and setpriv (util-linux) are needed");
        Path d = Files.createDirectories(dir.resolve("notowner"));
        Path image = Files.copy(img.resolve("gpt.img"), d.resolve("gpt.img"));
        sh(d, "chown 65534:65534 gpt.img && chmod 0644 gpt.img");
        Map<Path, String> before = hashes(d);
        Map<Path, Long> old = oldAtimes(List.of(image));
        Path report = dir.resolve("notowner.json");
        // Root without CAP_FOWNER: to the kernel a user who does not own the file, as for O_NOATIME.
        Cli.Result r = Cli.fork(List.of("/usr/bin/setpriv", "--bounding-set=-fowner", "--"), "scan", image.toString(),
                "--db", db.toString(), "--algorithms", "md5", "--report", report.toString());
        assertEquals(1, r.code(), r.toString());
        noJavaException(r);
        JsonNode info = JSON.readTree(report.toFile()).get("evidence").get(0).get("image");
        assertFalse(info.get("atime_preserved").asBoolean(), info.toString());
        assertTrue(info.get("atime_note").asText().contains("refused O_NOATIME"), info.toString());
        assertFalse(old.equals(atimes(List.of(image))), "the access time did move, as the report says");
        assertEquals(before, hashes(d), "evidence unchanged");
    }

    @Test
    void aDirectoryTreeSaysWhetherItsAccessTimesWereKept() throws Exception {
        // Issue: O_NOATIME refused to a non-owner was dropped silently and the access times moved.
        Path tree = Files.createDirectories(dir.resolve("tree/sub"));
        Files.writeString(tree.resolve("b.txt"), "b\n");
        Path a = Files.write(tree.getParent().resolve("a.txt"), Files.readAllBytes(img.resolve("files/hello.txt")));
        Path root = tree.getParent();
        List<Path> files = List.of(a, tree.resolve("b.txt"));
        Map<Path, String> before = hashes(root);
        // As root (CAP_FOWNER): every open gets O_NOATIME.
        Map<Path, Long> old = oldAtimes(files);
        Path report = dir.resolve("tree-root.json");
        Cli.Result r = Cli.run("scan", root.toString(), "--db", db.toString(), "--algorithms", "md5", "--report", report.toString());
        assertEquals(1, r.code(), r.toString());
        JsonNode summary = JSON.readTree(report.toFile()).get("evidence").get(0).get("summary");
        assertTrue(summary.get("atime_preserved").asBoolean(), summary.toString());
        assertEquals(old, atimes(files), "access times unchanged, as the report says");
        // Files owned by someone else, read without CAP_FOWNER: the kernel refuses O_NOATIME.
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")) && "root".equals(System.getProperty("user.name")),
                "root (to chown) and setpriv (util-linux) are needed");
        sh(root, "chown -R 65534:65534 . && chmod -R a+rX .");
        old = oldAtimes(files);
        report = dir.resolve("tree-notowner.json");
        r = Cli.fork(List.of("/usr/bin/setpriv", "--bounding-set=-fowner", "--"), "scan", root.toString(),
                "--db", db.toString(), "--algorithms", "md5", "--report", report.toString());
        assertEquals(1, r.code(), r.toString());
        noJavaException(r);
        summary = JSON.readTree(report.toFile()).get("evidence").get(0).get("summary");
        assertFalse(summary.get("atime_preserved").asBoolean(), summary.toString());
        assertTrue(summary.get("atime_note").asText().contains("refused O_NOATIME"), summary.toString());
        assertFalse(old.equals(atimes(files)), "the access times did move, as the report says");
        assertEquals(before, hashes(root), "evidence unchanged");
    }

    private static Map<Path, Long> oldAtimes(List<Path> files) throws Exception {
        for (Path f : files) sh(f.getParent(), "touch -a -d 2000-01-01 '" + f.getFileName() + "'");
        return atimes(files);
    }

    private static Map<Path, Long> atimes(List<Path> files) throws Exception {
        Map<Path, Long> out = new TreeMap<>();
        for (Path f : files) {
            String s = new String(Cli.exec(f.getParent(), "stat", "-L", "-c", "%X", f.getFileName().toString()),
                    StandardCharsets.US_ASCII).trim();
            out.put(f, Long.parseLong(s));
        }
        return out;
    }

    // ---- item 3: a VMDK is the files it names ---------------------------------------------------

    @Test
    void aTruncatedVmdkCopyBesideItsOriginalIsNotScannedAsTheOriginal() throws Exception {
        // Issue: a copy truncated to half its size, lying beside the original, was scanned as complete
        // and reported the original's media hash (libvmdk read the extent its descriptor names).
        Path d = Files.createDirectories(dir.resolve("vmdk-copy"));
        Files.copy(img.resolve("gpt.vmdk"), d.resolve("gpt.vmdk"));
        Path copy = d.resolve("copy.vmdk");
        Files.write(copy, java.util.Arrays.copyOf(Files.readAllBytes(d.resolve("gpt.vmdk")), (int) (Files.size(d.resolve("gpt.vmdk")) / 2)));
        Map<Path, String> before = hashes(d);
        Path report = dir.resolve("vmdk-copy.json");
        Cli.Result r = Cli.run("scan", copy.toString(), "--db", db.toString(), "--algorithms", "md5", "--verify",
                "--report", report.toString());
        assertEquals(3, r.code(), r.toString());
        noJavaException(r);
        assertTrue(r.out().contains("another file beside it") && r.out().contains("copy.vmdk"), r.out());
        JsonNode ev = JSON.readTree(report.toFile()).get("evidence").get(0);
        assertEquals("unknown", ev.get("summary").get("priority").asText(), ev.toString());
        assertFalse(ev.toString().contains(md5(img.resolve("gpt.img"))), "never the original's media hash");
        assertEquals(before, hashes(d), "evidence unchanged");
    }

    @Test
    void aVmdkMissingTruncatedOrReachingOutsideItsFolderIsNamedAndNotExamined() throws Exception {
        // Issue: a VMDK moved into another folder alone was taken as raw; extents were not checked.
        // (A VHD cut short, which lost its footer, was likewise taken as raw.)
        Path moved = Files.createDirectories(dir.resolve("vmdk-moved"));
        Files.copy(img.resolve("gpt.vmdk"), moved.resolve("evidence.vmdk"));
        Path cut = Files.createDirectories(dir.resolve("vmdk-cut"));
        Files.copy(img.resolve("gpt.vmdk"), cut.resolve("gpt.vmdk"));
        truncate(cut.resolve("gpt.vmdk"), Files.size(cut.resolve("gpt.vmdk")) / 2);
        Path flatCut = Files.createDirectories(dir.resolve("vmdk-flatcut"));
        Files.copy(img.resolve("flat/flat.vmdk"), flatCut.resolve("flat.vmdk"));
        Files.copy(img.resolve("flat/flat-flat.vmdk"), flatCut.resolve("flat-flat.vmdk"));
        truncate(flatCut.resolve("flat-flat.vmdk"), 10 << 20);
        Path out = Files.createDirectories(dir.resolve("vmdk-outside"));
        Files.writeString(out.resolve("evil.vmdk"), Files.readString(img.resolve("flat/flat.vmdk"))
                .replace("\"flat-flat.vmdk\"", "\"../img/flat/flat-flat.vmdk\""));
        Path noExtent = Files.createDirectories(dir.resolve("vmdk-noextent"));
        Files.copy(img.resolve("two/two.vmdk"), noExtent.resolve("two.vmdk"));
        Path vhdCut = Files.createDirectories(dir.resolve("vhd-cut"));
        Files.copy(img.resolve("gpt.vhd"), vhdCut.resolve("gpt.vhd"));
        truncate(vhdCut.resolve("gpt.vhd"), Files.size(vhdCut.resolve("gpt.vhd")) / 2);
        Map<Path, String> before = hashes(dir.resolve("img"));
        Map<Path, String> expect = new LinkedHashMap<>();
        expect.put(moved.resolve("evidence.vmdk"), "VMDK extent \"gpt.vmdk\" is missing");
        expect.put(cut.resolve("gpt.vmdk"), "truncated");
        expect.put(flatCut.resolve("flat.vmdk"), "flat-flat.vmdk: VMDK flat extent truncated");
        expect.put(out.resolve("evil.vmdk"), "outside the image's own folder");
        expect.put(noExtent.resolve("two.vmdk"), "VMDK extent \"two-s001.vmdk\" is missing");
        expect.put(vhdCut.resolve("gpt.vhd"), "VHD truncated");
        for (Map.Entry<Path, String> e : expect.entrySet()) {
            Map<Path, String> here = hashes(e.getKey().getParent());
            Path report = dir.resolve(e.getKey().getParent().getFileName() + ".json");
            Cli.Result r = Cli.run("scan", e.getKey().toString(), "--db", db.toString(), "--algorithms", "md5",
                    "--report", report.toString());
            assertEquals(3, r.code(), e.getKey() + ": " + r);
            noJavaException(r);
            assertTrue(r.out().contains(e.getValue()), e.getKey() + ": " + r.out());
            JsonNode ev = JSON.readTree(report.toFile()).get("evidence").get(0);
            assertEquals("unknown", ev.get("summary").get("priority").asText(), ev.toString());
            assertEquals(here, hashes(e.getKey().getParent()), "evidence unchanged");
        }
        assertEquals(before, hashes(dir.resolve("img")), "the original evidence unchanged");
    }

    @Test
    void everyVmdkFileReadIsListedAsASegmentAndTheMediaHashIsTheDisks() throws Exception {
        String md5 = md5(img.resolve("gpt.img"));
        Map<Path, String> before = hashes(img);
        Map<String, List<String>> layouts = Map.of(
                "gpt.vmdk", List.of("gpt.vmdk"),
                "flat/flat.vmdk", List.of("flat.vmdk", "flat-flat.vmdk"),
                "two/two.vmdk", List.of("two.vmdk", "two-s001.vmdk"));
        for (Map.Entry<String, List<String>> e : layouts.entrySet()) {
            Path report = dir.resolve("layout-" + e.getValue().get(0) + ".json");
            Cli.Result r = Cli.run("scan", img.resolve(e.getKey()).toString(), "--db", db.toString(), "--algorithms", "md5",
                    "--verify", "--report", report.toString());
            assertEquals(1, r.code(), r.toString());
            JsonNode image = JSON.readTree(report.toFile()).get("evidence").get(0).get("image");
            assertEquals("vmdk", image.get("format").asText());
            List<String> names = new ArrayList<>();
            for (String s : segments(report)) names.add(Path.of(s).getFileName().toString());
            assertEquals(e.getValue(), names, image.toString());
            assertEquals(md5, image.get("md5").asText(), "md5sum of the raw disk the VMDK was made from");
        }
        assertEquals(before, hashes(img), "evidence unchanged");
    }

    // ---- item 4: symlinked segments ---------------------------------------------------------------

    @Test
    void segmentsReachedThroughSymlinksAreFoundBesideTheLinkAsEwfverifyFindsThem() throws Exception {
        // Issue: an E01 or split raw reached through a symlink failed with NoSuchElementException
        // (exit 2); a symlinked middle segment of a split image was reported missing.
        Path links = Files.createDirectories(dir.resolve("links"));
        for (String f : List.of("gpt.E01", "gpt.E02", "gpt.E03", "gpt.raw.000", "gpt.raw.001", "gpt.raw.002")) {
            Files.createSymbolicLink(links.resolve(f), img.resolve(f));
        }
        Path middle = Files.createDirectories(dir.resolve("middle"));
        Files.copy(img.resolve("gpt.raw.000"), middle.resolve("gpt.raw.000"));
        Files.createSymbolicLink(middle.resolve("gpt.raw.001"), img.resolve("gpt.raw.001"));
        Files.copy(img.resolve("gpt.raw.002"), middle.resolve("gpt.raw.002"));
        String md5 = md5(img.resolve("gpt.img"));
        Map<Path, String> before = hashes(img);
        for (Path given : List.of(links.resolve("gpt.E01"), links.resolve("gpt.raw.000"), middle.resolve("gpt.raw.000"))) {
            Path report = dir.resolve("link-" + given.getParent().getFileName() + given.getFileName() + ".json");
            Cli.Result r = Cli.run("scan", given.toString(), "--db", db.toString(), "--algorithms", "md5", "--verify",
                    "--report", report.toString());
            assertEquals(1, r.code(), given + ": " + r);
            noJavaException(r);
            JsonNode image = JSON.readTree(report.toFile()).get("evidence").get(0).get("image");
            assertEquals(md5, image.get("md5").asText(), given + ": md5sum of the disk");
            List<String> segs = segments(report);
            assertEquals(3, segs.size(), image.toString());
            for (String s : segs) assertEquals(given.getParent(), Path.of(s).getParent(), "beside the name given: " + s);
        }
        // A lone link: its other segments are looked for beside the link, as ewfverify does, and named missing.
        Path lone = Files.createDirectories(dir.resolve("lone"));
        Files.createSymbolicLink(lone.resolve("x.E01"), img.resolve("gpt.E01"));
        Cli.Result r = Cli.run("scan", lone.resolve("x.E01").toString(), "--db", db.toString(), "--algorithms", "md5");
        assertEquals(3, r.code(), r.toString());
        noJavaException(r);
        assertTrue(r.out().contains("EWF segment 2") && r.out().contains("x.E02") && r.out().contains("missing"), r.out());
        assertEquals(before, hashes(img), "evidence unchanged");
    }

    // ---- item 10: Ctrl-C during --verify ------------------------------------------------------------

    @Test
    void ctrlCDuringVerifyStopsTheMediaPassAndTheReportSaysHowFarItGot() throws Exception {
        // Issue: after Ctrl-C the media pass kept reading a 1 TiB sparse image (still reading 60 s later).
        Path d = Files.createDirectories(dir.resolve("verify-int"));
        Path big = Files.copy(img.resolve("fat32.img"), d.resolve("big.img"));
        truncate(big, 1L << 40);
        Path report = dir.resolve("verify-int.json");
        // SIGINT once every file is read (progress at 100%): the media pass is then all that is left.
        Cli.Result r = Cli.interruptWhen(dir.resolve("verify-int.out"), "progress: 100%", List.of("scan", big.toString(),
                "--db", db.toString(), "--algorithms", "md5", "--verify", "--report", report.toString(),
                "--progress-interval", "0.1"));
        assertEquals(130, r.code(), r.toString());
        noJavaException(r);
        JsonNode doc = JSON.readTree(report.toFile());
        assertTrue(doc.get("partial").asBoolean());
        JsonNode image = doc.get("evidence").get(0).get("image");
        assertTrue(image.get("md5").isNull(), image.toString());
        String why = image.get("verify_error").asText();
        assertTrue(why.contains("verification interrupted after ") && why.contains(" of " + (1L << 40) + " bytes"), why);
        assertTrue(r.out().contains("verification interrupted after"), r.out());
    }

    // ---- item 15: a failed verification is listed among the unreadable -----------------------------

    @Test
    void aFailedVerificationIsListedInTheReportsUnreadable() throws Exception {
        // Issue: a --verify failure counted one unreadable in the summary, but the report's list was empty.
        Path d = Files.createDirectories(dir.resolve("verify-fail"));
        Path disk = Files.copy(img.resolve("gpt.img"), d.resolve("disk.img"));
        byte[] marker = new byte[64];
        new Random(16).nextBytes(marker);
        try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
            f.seek(40960); // sector 80: after the GPT, before the first partition: in no file
            f.write(marker);
        }
        sh(d, "mkdir e && ewfacquire -u -q -c none -d sha1 -t e/disk -C c -D d -e e -E e -N n disk.img >/dev/null 2>&1");
        Path e01 = d.resolve("e/disk.E01");
        byte[] seg = Files.readAllBytes(e01);
        int at = indexOf(seg, marker);
        assertTrue(at > 0, "the marker is stored as is (no compression)");
        try (RandomAccessFile f = new RandomAccessFile(e01.toFile(), "rw")) {
            f.seek(at + 7);
            f.write(seg[at + 7] ^ 0x5a);
        }
        Map<Path, String> before = hashes(d.resolve("e"));
        Path report = dir.resolve("verify-fail.json");
        Cli.Result r = Cli.run("scan", e01.toString(), "--db", db.toString(), "--algorithms", "md5", "--verify",
                "--report", report.toString());
        assertEquals(1, r.code(), r.toString()); // hello.txt still matches
        noJavaException(r);
        JsonNode doc = JSON.readTree(report.toFile());
        long counted = doc.get("evidence").get(0).get("summary").get("unreadable").asLong();
        assertEquals(1, counted, doc.toString());
        assertEquals(1, doc.get("unreadable").size(), doc.get("unreadable").toString());
        JsonNode u = doc.get("unreadable").get(0);
        assertEquals("", u.get("path").asText());
        assertEquals(e01.toString(), u.get("source").asText());
        assertTrue(u.get("error").asText().contains("EWF checksum error"), u.toString());
        assertEquals(before, hashes(d.resolve("e")), "evidence unchanged");
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private static void noJavaException(Cli.Result r) {
        for (String text : List.of(r.out(), r.err())) {
            assertFalse(text.contains("Exception") || text.contains("\tat org.") || text.contains("java.lang."),
                    "Java exception text in the output: " + r);
        }
    }

    private static void sh(Path in, String command) throws IOException, InterruptedException {
        Cli.exec(in, "bash", "-c", "export PATH=\"$PATH:/usr/sbin:/sbin\"; " + command);
    }

    private static void truncate(Path f, long size) throws IOException {
        try (RandomAccessFile r = new RandomAccessFile(f.toFile(), "rw")) {
            r.setLength(size);
        }
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) continue outer;
            }
            return i;
        }
        return -1;
    }

    private static String md5(Path f) throws Exception {
        return new String(Cli.exec(f.getParent(), "md5sum", f.getFileName().toString()), StandardCharsets.US_ASCII)
                .split(" ")[0];
    }

    /** SHA-256 of every regular file under {@code root} (links followed), by path. */
    private static Map<Path, String> hashes(Path root) throws Exception {
        Map<Path, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path f : s.filter(Files::isRegularFile).toList()) {
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                try (var in = Files.newInputStream(f)) {
                    byte[] buf = new byte[1 << 16];
                    for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
                }
                out.put(f, HexFormat.of().formatHex(md.digest()));
            }
        }
        return out;
    }
}
