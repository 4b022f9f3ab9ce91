package org.triage.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 9, items 1-3: the report, the all-files listing and the VICS file are checked before any
 * evidence is read, never lost to a listing that fails, never written through a link, FIFO or
 * device, and made readable by their owner only. Every test ends by proving the evidence unchanged.
 */
class OutputsTest extends EvidenceFixture {
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeEach
    void evidenceAndStore() throws Exception {
        Cli.randomFiles(evidence, 9, 150, 1, 20_000, i -> "clean");
        Files.writeString(evidence.resolve("known.jpg"), "pretend picture");
        Path list = tmp.resolve("alerts.md5");
        Files.write(list, Cli.exec(evidence, "md5sum", "known.jpg"));
        Cli.importSet(list, db, "alerts", "--kind", "alert", "--category", "A");
        evidenceUnchanged.watch(evidence);
    }

    private Cli.Result scan(String... more) {
        List<String> args = new ArrayList<>(List.of("scan", evidence.toString(), "--db", db.toString()));
        args.addAll(List.of(more));
        return Cli.run(args.toArray(new String[0]));
    }

    @Test
    void outputsAreCheckedBeforeAnyEvidenceIsRead() throws Exception {
        // The case: it hashed everything, then said only "triage: /tmp/nodir/r.json.tmp".
        Path all = tmp.resolve("all.jsonl");
        Path noDir = tmp.resolve("nodir");
        Cli.Result r = scan("--report", noDir.resolve("r.json").toString(), "--all-files", all.toString());
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains(noDir + " does not exist"), r.err());
        assertTrue(r.err().contains("--report"), r.err());
        assertFalse(Files.exists(all), "nothing may be read (nor listed) when an output cannot be written");

        Cli.Result vics = scan("--vics", noDir.resolve("v.json").toString(), "--all-files", all.toString());
        assertEquals(2, vics.code(), vics.toString());
        assertTrue(vics.err().contains("--vics") && vics.err().contains(noDir + " does not exist"), vics.err());
        assertFalse(Files.exists(all));

        // Inside the tree being scanned: writing there would change the evidence. Also through a
        // link to it, and over an evidence file (an image) given as the item itself.
        Cli.Result inside = scan("--report", evidence.resolve("clean/r.json").toString());
        assertEquals(2, inside.code(), inside.toString());
        assertTrue(inside.err().contains("inside the evidence"), inside.err());
        Path link = Files.createSymbolicLink(tmp.resolve("link-to-evidence"), evidence);
        Cli.Result viaLink = scan("--all-files", link.resolve("all.jsonl").toString());
        assertEquals(2, viaLink.code(), viaLink.toString());
        assertTrue(viaLink.err().contains("inside the evidence"), viaLink.err());
        Path image = evidence.resolve("clean/file1.bin");
        Cli.Result overImage = Cli.run("scan", image.toString(), "--db", db.toString(), "--vics", image.toString());
        assertEquals(2, overImage.code(), overImage.toString());
        assertTrue(overImage.err().contains("evidence"), overImage.err());
    }

    @Test
    void anOutputDirectoryThatCannotBeWrittenIsRefusedAtStart() throws Exception {
        Path locked = Files.createDirectories(tmp.resolve("locked"));
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("r-x------"));
        try {
            Path all = tmp.resolve("all.jsonl");
            Cli.Result r = Cli.fork(withoutWriteOverride(), "scan", evidence.toString(), "--db", db.toString(),
                    "--report", locked.resolve("r.json").toString(), "--all-files", all.toString());
            assertEquals(2, r.code(), r.toString());
            assertTrue(r.err().contains(locked.toString()) && r.err().contains("Permission denied"), r.err());
            assertFalse(Files.exists(all));
        } finally {
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwx------"));
        }
    }

    /** Root writes anywhere; drop the capability that lets it, so permissions bite as for anyone. */
    private static List<String> withoutWriteOverride() throws Exception {
        boolean root = "0".equals(new String(Cli.exec(Path.of("/"), "id", "-u"), StandardCharsets.US_ASCII).trim());
        if (!root) return List.of();
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "setpriv (util-linux) is needed to drop root's override");
        return List.of("/usr/bin/setpriv", "--bounding-set=-dac_override,-dac_read_search", "--");
    }

    /**
     * A child JVM whose files may not grow past {@code kib} KiB (RLIMIT_FSIZE): writes past it fail
     * with EFBIG, "File too large", as on a full disk, without mounting anything. HotSpot ignores
     * SIGXFSZ, so the write fails instead of the process dying. The native libraries that JNA and
     * RocksDB would unpack into /tmp at start (larger than the limit) are unpacked here first.
     */
    private List<String> fileSizeLimit(int kib) throws Exception {
        String arch = System.getProperty("os.arch");
        String jna = arch.equals("amd64") ? "linux-x86-64" : arch.equals("aarch64") ? "linux-aarch64" : null;
        String rocks = arch.equals("amd64") ? "linux64" : arch.equals("aarch64") ? "linux-aarch64" : null;
        assumeTrue(jna != null, "native libraries known for x86-64 and aarch64 only");
        Path natives = Files.createDirectories(tmp.resolve("natives"));
        unpack("com/sun/jna/" + jna + "/libjnidispatch.so", natives.resolve("libjnidispatch.so"));
        unpack("librocksdbjni-" + rocks + ".so", natives.resolve("librocksdbjni-" + rocks + ".so"));
        return List.of("bash", "-c", "ulimit -f " + kib + "; export JAVA_TOOL_OPTIONS='-XX:-UsePerfData"
                + " -Djava.library.path=" + natives + " -Djna.boot.library.path=" + natives + "'; exec \"$@\"", "limited");
    }

    private static void unpack(String resource, Path to) throws IOException {
        try (InputStream in = OutputsTest.class.getClassLoader().getResourceAsStream(resource)) {
            assumeTrue(in != null, resource + " is not on the class path");
            Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Test
    void aReportThatCannotBeWrittenAtTheEndKeepsTheSummaryAndTheExitCode() throws Exception {
        Path report = tmp.resolve("out/r.json");
        Files.createDirectories(report.getParent());
        // The report (about 2 KB) passes the start checks and then meets the 1 KiB limit.
        Cli.Result alert = Cli.fork(fileSizeLimit(1), "scan", evidence.toString(), "--db", db.toString(),
                "--report", report.toString());
        assertEquals(1, alert.code(), "an alert matched, whatever happened to the report: " + alert);
        assertTrue(alert.out().contains("ALERT: 1 file"), "the summary is printed anyway: " + alert);
        assertTrue(alert.err().contains("cannot write report " + report + ": File too large"), alert.err());
        assertFalse(Files.exists(report));
        try (Stream<Path> s = Files.list(report.getParent())) {
            assertEquals(List.of(), s.toList(), "no temporary file is left behind");
        }

        Cli.Result clean = Cli.fork(fileSizeLimit(1), "scan", evidence.resolve("clean").toString(), "--db", db.toString(),
                "--report", report.toString());
        assertEquals(2, clean.code(), "nothing matched and the report is missing: " + clean);
        assertTrue(clean.out().contains("no alert match"), clean.toString());
        assertTrue(clean.err().contains("cannot write report " + report + ": File too large"), clean.err());
    }

    @Test
    void aFailingListingDoesNotTakeTheReportDown() throws Exception {
        // The case was --all-files /dev/full, now refused at start (a device); a full disk
        // is a listing (about 40 KB here) that meets a 16 KiB limit while the report (2 KB) fits.
        Path report = tmp.resolve("r.json");
        Path all = tmp.resolve("all.jsonl");
        Cli.Result r = Cli.fork(fileSizeLimit(16), "scan", evidence.toString(), "--db", db.toString(),
                "--report", report.toString(), "--all-files", all.toString());
        assertEquals(1, r.code(), "the alert is not lost: " + r);
        JsonNode doc = JSON.readTree(report.toFile());
        assertEquals(1, doc.get("matches").size(), doc.toString());
        assertEquals("known.jpg", doc.get("matches").get(0).get("path").asText());
        assertTrue(r.out().contains("ALERT: 1 file"), r.toString());
        List<String> about = r.err().lines().filter(l -> l.contains("all.jsonl") || l.contains("listing")).toList();
        assertEquals(List.of("triage: cannot write all-files listing " + all + ": File too large"), about,
                "reported once, naming the file and the OS error: " + r.err());
        assertFalse(r.err().contains("severe"), r.err());

        Cli.Result clean = Cli.fork(fileSizeLimit(16), "scan", evidence.resolve("clean").toString(), "--db", db.toString(),
                "--report", report.toString(), "--all-files", all.toString());
        assertEquals(2, clean.code(), "nothing matched but the listing asked for is incomplete: " + clean);
        assertTrue(clean.err().contains("cannot write all-files listing " + all + ": File too large"), clean.err());
        assertEquals(0, JSON.readTree(report.toFile()).get("matches").size());
    }

    @Test
    void outputsNeverReplaceWhatTheyShouldNot() throws Exception {
        // A link at the path (as /dev/stdout is): refused, the link and what it points to untouched.
        Path target = tmp.resolve("target.txt");
        Files.writeString(target, "keep me");
        Path link = Files.createSymbolicLink(tmp.resolve("stdout"), target);
        Cli.Result viaLink = scan("--report", link.toString());
        assertEquals(2, viaLink.code(), viaLink.toString());
        assertTrue(viaLink.err().contains(link + " is a symbolic link"), viaLink.err());
        assertTrue(Files.isSymbolicLink(link));
        assertEquals("keep me", Files.readString(target));

        // A FIFO: refused without opening it (opening it for writing would wait for a reader forever).
        Path fifo = tmp.resolve("fifo");
        Cli.exec(tmp, "mkfifo", fifo.toString());
        Cli.Result viaFifo = assertTimeoutPreemptively(Duration.ofMinutes(2), () -> scan("--all-files", fifo.toString()));
        assertEquals(2, viaFifo.code(), viaFifo.toString());
        assertTrue(viaFifo.err().contains(fifo + " is a FIFO"), viaFifo.err());
        assertEquals("fifo", new String(Cli.exec(tmp, "stat", "-c", "%F", fifo.toString()), StandardCharsets.UTF_8).trim());

        // A device (the issue's --all-files /dev/full).
        Cli.Result device = scan("--all-files", "/dev/full");
        assertEquals(2, device.code(), device.toString());
        assertTrue(device.err().contains("/dev/full is a character device"), device.err());

        // Two outputs naming one file, also by another spelling: one would clobber the other.
        Path same = tmp.resolve("same.json");
        Path alias = Files.createSymbolicLink(tmp.resolve("alias"), tmp);
        Cli.Result twice = scan("--report", same.toString(), "--all-files", alias.resolve("same.json").toString());
        assertEquals(2, twice.code(), twice.toString());
        assertTrue(twice.err().contains("same file"), twice.err());
        assertFalse(Files.exists(same));
        Cli.Result twoStdouts = scan("--report", "-", "--all-files", "-");
        assertEquals(2, twoStdouts.code(), twoStdouts.toString());
        assertTrue(twoStdouts.err().contains("standard output"), twoStdouts.err());
    }

    /**
     * An output named like another segment of the image being scanned ({@code --report x.001} while
     * scanning {@code x.000}) would replace that segment: every file the evidence item is made of
     * is refused, not only the one named on the command line.
     */
    @Test
    void anOutputIsNeverAnotherSegmentOfAnImageBeingScanned() throws Exception {
        Path images = Files.createDirectories(tmp.resolve("images"));
        Cli.exec(images, "bash", "-c", "mkfs.vfat -C disk.img 2048 >/dev/null && split -d -a 3 -b 700k disk.img disk.img. && rm disk.img");
        Path second = images.resolve("disk.img.001");
        byte[] before = Files.readAllBytes(second);
        for (String option : List.of("--report", "--all-files", "--vics")) {
            Cli.Result r = Cli.run("scan", images.resolve("disk.img.000").toString(), "--db", db.toString(), option, second.toString());
            assertEquals(2, r.code(), r.toString());
            assertTrue(r.err().contains("disk.img.001 is a segment of the evidence item"), r.err());
            assertArrayEquals(before, Files.readAllBytes(second), "a segment of the evidence changed");
        }
    }

    @Test
    void outputsAreOwnerOnlyAndReplaceOnlyRegularFiles() throws Exception {
        Path report = tmp.resolve("r.json");
        Files.writeString(report, "an older report");
        Files.setPosixFilePermissions(report, PosixFilePermissions.fromString("rw-r--r--"));
        Path all = tmp.resolve("all.jsonl");
        Path vics = tmp.resolve("media.json");
        Cli.Result r = scan("--report", report.toString(), "--all-files", all.toString(), "--vics", vics.toString());
        assertEquals(1, r.code(), r.toString());
        Set<PosixFilePermission> ownerOnly = PosixFilePermissions.fromString("rw-------");
        for (Path p : List.of(report, all, vics)) {
            assertTrue(Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS), p.toString());
            assertEquals(ownerOnly, Files.getPosixFilePermissions(p), p + " names evidence paths: owner only");
        }
        assertEquals(1, JSON.readTree(report.toFile()).get("matches").size());
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of(), s.filter(p -> p.getFileName().toString().contains("tmp")).toList(), "no temporary file left");
        }
    }

    @Test
    void aDashMeansStandardOutputAndTheSummaryMovesToStderr() throws Exception {
        Cli.Result report = scan("--report", "-");
        assertEquals(1, report.code(), report.toString());
        JsonNode doc = JSON.readTree(report.out());
        assertEquals(1, doc.get("matches").size(), report.out());
        assertTrue(report.err().contains("ALERT: 1 file"), "the human summary goes to stderr: " + report);
        assertFalse(Files.exists(Path.of("-")), "no file named '-'");

        Cli.Result listing = scan("--all-files", "-", "--quiet");
        assertEquals(1, listing.code(), listing.toString());
        List<String> lines = listing.out().lines().toList();
        assertEquals(1 + 151 + 1, lines.size(), listing.out());
        lines = lines.subList(1, 152); // between the header and the item's end line: the entries
        for (String line : lines) assertTrue(JSON.readTree(line).has("md5"), line);
    }
}
