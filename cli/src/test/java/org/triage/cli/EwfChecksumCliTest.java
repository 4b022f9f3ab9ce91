package org.triage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9, item 5: a corrupt E01 chunk is never silently zeros. One byte flipped in a stored chunk
 * of a real E01 (ewfacquire, from a real ext4 partition built by mke2fs/sfdisk), then:
 * <ul>
 * <li>a scan without --verify marks the file over that chunk with an error naming the segment and the
 *     sectors ewfverify names, exits 3, and every other file still has icat's MD5;</li>
 * <li>--verify computes the media MD5 that ewfverify computes and reports failure, naming the sectors;</li>
 * <li>a corrupted all-zero chunk (stored compressed, so the decoded media is unchanged and the hashes
 *     still agree) still fails verification, as ewfverify says FAILURE.</li>
 * </ul>
 * Oracles: ewfverify for the failed sectors, their segment and the media MD5; istat for where the file
 * lies; icat for every file's content; the chunk table of the segment files (read here from the EWF
 * format, not by the code under test) for where a chunk is stored. The evidence's SHA-256 is the same
 * before and after every scan.
 */
class EwfChecksumCliTest {
    private static final long PARTITION = 2048L * 512;
    private static final Pattern VERIFY_ERROR = Pattern.compile(
            "at sector\\(s\\): (\\d+) - (\\d+) \\(number: (\\d+)\\) in segment file\\(s\\): (.+)");
    private static final Pattern VERIFY_MD5 = Pattern.compile("MD5 hash calculated over data:\\s+([0-9a-f]{32})");

    @TempDir
    static Path dir;
    static Path db;

    @BeforeAll
    static void build() throws Exception {
        Path files = Files.createDirectories(dir.resolve("files"));
        Files.write(files.resolve("random.bin"), random(300_000, 1));
        Files.write(files.resolve("other.bin"), random(100_000, 2));
        Files.writeString(files.resolve("hello.txt"), "hello\n");
        sh("mke2fs -q -t ext4 -b 1024 -d files fs.img 6M"
                + " && truncate -s 8M disk.img"
                + " && printf 'label: dos\\nstart=2048, type=83\\n' | sfdisk -q disk.img"
                + " && dd if=fs.img of=disk.img bs=512 seek=2048 conv=notrunc status=none"
                // no compression: the flipped byte lands in the stored data; 3 MiB segments: three of them
                + " && mkdir plain && ewfacquire -u -q -c none -d sha1 -S 3MiB -t plain/disk -C c -D d -e e -E e -N n disk.img"
                // empty-block compression: all-zero chunks are stored as small deflate streams
                + " && mkdir zeros && ewfacquire -u -q -c empty-block -d sha1 -t zeros/disk -C c -D d -e e -E e -N n disk.img");
        Path list = dir.resolve("alert.md5");
        Files.writeString(list, md5(new byte[] {'x'}) + "  nothing-in-this-image\n");
        db = dir.resolve("db");
        Cli.importSet(list, db, "planted", "--kind", "alert", "--category", "test");
    }

    /** A corrupt chunk inside random.bin: the copy of the E01 in {@code name}, and the media offset of the flipped byte. */
    private record Damaged(Path e01, List<Path> segments, long mediaOffset) {
    }

    private static Damaged damageRandomBin(String name) throws Exception {
        // istat (the oracle) says which blocks hold the file; take one in the middle.
        String istat = new String(exec("istat", "-o", "2048", "disk.img", inode("random.bin")), StandardCharsets.US_ASCII);
        List<Long> blocks = new ArrayList<>();
        boolean inBlocks = false;
        for (String line : istat.split("\n")) {
            if (line.startsWith("Direct Blocks:")) {
                inBlocks = true;
                continue;
            }
            if (inBlocks) {
                if (!line.matches("[0-9 ]+")) break;
                for (String b : line.trim().split("\\s+")) blocks.add(Long.parseLong(b));
            }
        }
        assertTrue(blocks.size() > 200, istat);
        long media = PARTITION + blocks.get(150) * 1024 + 123;
        return flip(name, "plain", media);
    }

    /** Copies the E01 segments of {@code from} into {@code name} and flips the byte that stores media byte {@code media}. */
    private static Damaged flip(String name, String from, long media) throws Exception {
        Path out = Files.createDirectories(dir.resolve(name));
        List<Path> segments = new ArrayList<>();
        try (var ls = Files.list(dir.resolve(from))) {
            for (Path p : ls.sorted().toList()) segments.add(Files.copy(p, out.resolve(p.getFileName())));
        }
        EwfChunk c = EwfChunk.find(segments, (int) (media / CHUNK));
        long at = c.offset() + media % CHUNK;
        if (c.compressed()) at = c.offset() + 20; // inside the deflate stream
        try (RandomAccessFile f = new RandomAccessFile(c.segment().toFile(), "rw")) {
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0xff);
        }
        return new Damaged(segments.get(0), segments, media);
    }

    @Test
    void aScanWithoutVerifyMarksTheFileOverACorruptChunkAndNamesSegmentAndSectors() throws Exception {
        // Issue: `triage scan x.E01 --db db` gave no warning, random.bin hashed with "error": null and a wrong MD5.
        Damaged d = damageRandomBin("a");
        Map<Path, String> before = sha256(d.segments());
        VerifyOutput v = ewfverify(d.e01());
        assertEquals(1, v.errors().size(), v.text());
        long chunkSector = d.mediaOffset() / CHUNK * (CHUNK / 512);
        assertEquals(chunkSector, v.errors().get(0).first(), v.text());

        Path report = dir.resolve("a.json");
        Path all = dir.resolve("a.jsonl");
        Cli.Result r = Cli.run("scan", d.e01().toString(), "--db", db.toString(), "--algorithms", "md5",
                "--report", report.toString(), "--all-files", all.toString());
        assertEquals(3, r.code(), r.toString());
        VerifyError e = v.errors().get(0);
        String sectors = "sectors " + e.first() + "-" + e.last();
        String line = r.out().lines().filter(l -> l.startsWith("unreadable:") && l.contains("random.bin"))
                .findFirst().orElse(null);
        assertNotNull(line, r.out());
        assertTrue(line.contains("EWF checksum error") && line.contains(sectors) && line.contains(e.segment()), line);
        assertTrue(r.out().contains("EWF checksum error in what this scan read: segment " + e.segment() + ", " + sectors),
                r.out()); // the image's own line, as for chunks under no file

        // The file keeps its digest: the bytes as stored, which is what ewfexport gives; that is
        // disk.img with the same byte flipped, read by icat.
        Path asStored = Files.copy(dir.resolve("disk.img"), dir.resolve("a-as-stored.img"));
        try (RandomAccessFile f = new RandomAccessFile(asStored.toFile(), "rw")) {
            f.seek(d.mediaOffset());
            int b = f.read();
            f.seek(d.mediaOffset());
            f.write(b ^ 0xff);
        }
        Map<String, JsonNode> listed = new LinkedHashMap<>();
        for (String l : Files.readAllLines(all)) {
            JsonNode n = new ObjectMapper().readTree(l);
            if (!n.has("path")) continue; // the header and the items' end lines are not entries
            if ("file".equals(n.get("type").asText()) || n.get("md5").isTextual()) listed.put(n.get("path").asText(), n);
        }
        JsonNode bad = listed.get("random.bin");
        assertTrue(bad.get("error").asText().contains(sectors), bad.toString());
        assertEquals(md5(exec("icat", "-o", "2048", asStored.toString(), inode("random.bin"))), bad.get("md5").asText());
        for (String other : List.of("other.bin", "hello.txt")) {
            JsonNode n = listed.get(other);
            assertTrue(n.get("error").isNull(), n.toString());
            assertEquals(md5(exec("icat", "-o", "2048", d.e01().toString(), inode(other))), n.get("md5").asText(), other);
        }
        JsonNode rep = new ObjectMapper().readTree(report.toFile());
        assertTrue(rep.get("unreadable").toString().contains(sectors), rep.get("unreadable").toString());
        assertEquals(before, sha256(d.segments()), "evidence unchanged");
    }

    @Test
    void verifyHashesTheMediaAsEwfverifyDoesAndNamesTheFailedSectors() throws Exception {
        // Issue: --verify said MISMATCH but not where, and its media MD5 differed from ewfverify's.
        Damaged d = damageRandomBin("b");
        Map<Path, String> before = sha256(d.segments());
        VerifyOutput v = ewfverify(d.e01());
        assertFalse(v.success(), v.text());
        Path report = dir.resolve("b.json");
        Cli.Result r = Cli.run("scan", d.e01().toString(), "--db", db.toString(), "--algorithms", "md5", "--verify",
                "--report", report.toString());
        assertEquals(3, r.code(), r.toString());
        JsonNode img = new ObjectMapper().readTree(report.toFile()).get("evidence").get(0).get("image");
        assertEquals(v.md5(), img.get("md5").asText(), v.text());
        assertFalse(img.get("matches_stored").asBoolean(), img.toString());
        VerifyError e = v.errors().get(0);
        assertTrue(r.out().contains("sectors " + e.first() + "-" + e.last()), r.out());
        assertEquals(before, sha256(d.segments()), "evidence unchanged");
    }

    @Test
    void aCorruptAllZeroChunkFailsVerificationEvenThoughTheHashesAgree() throws Exception {
        // Issue: when the corrupted chunk was all zeros, --verify said match while ewfverify said FAILURE.
        long media = 64L * 512; // sectors 64-127: between the partition table and the partition, all zeros
        byte[] disk = Files.readAllBytes(dir.resolve("disk.img"));
        for (int i = 0; i < CHUNK; i++) assertEquals(0, disk[(int) media + i], "the chunk is all zeros");
        Damaged d = flip("c", "zeros", media);
        Map<Path, String> before = sha256(d.segments());
        VerifyOutput v = ewfverify(d.e01());
        assertFalse(v.success(), v.text());
        assertEquals(md5(disk), v.md5(), "ewfverify's hash still agrees: only its checksum check fails");
        // libewf returns a failed compressed chunk from memory it never cleared: several scans in one
        // JVM, whose allocator has been busy, must all give the same, ewfverify's, hash.
        for (int run = 0; run < 3; run++) {
            Path report = dir.resolve("c" + run + ".json");
            Cli.Result r = Cli.run("scan", d.e01().toString(), "--db", db.toString(), "--algorithms", "md5", "--verify",
                    "--report", report.toString());
            assertEquals(3, r.code(), r.toString());
            assertFalse(r.out().contains("verified: match"), r.out());
            assertTrue(r.out().contains("(FAILED: checksum errors)"), r.out());
            VerifyError e = v.errors().get(0);
            assertTrue(r.out().contains("sectors " + e.first() + "-" + e.last()) && r.out().contains(e.segment()), r.out());
            JsonNode img = new ObjectMapper().readTree(report.toFile()).get("evidence").get(0).get("image");
            assertEquals(v.md5(), img.get("md5").asText(), "run " + run);
            assertFalse(img.get("matches_stored").asBoolean(), img.toString());
            assertEquals(1, img.get("checksum_errors").size(), img.toString());
            JsonNode ce = img.get("checksum_errors").get(0);
            assertEquals(e.first(), ce.get("first_sector").asLong());
            assertEquals(e.last() - e.first() + 1, ce.get("sectors").asLong());
            assertEquals(e.segment(), ce.get("segments").get(0).asText());
        }
        assertEquals(before, sha256(d.segments()), "evidence unchanged");
    }

    @Test
    void anUndamagedE01StillVerifiesWithoutErrors() throws Exception {
        Path e01 = dir.resolve("plain/disk.E01");
        List<Path> segments;
        try (var ls = Files.list(dir.resolve("plain"))) {
            segments = ls.sorted().toList();
        }
        assertEquals(3, segments.size(), segments.toString());
        Map<Path, String> before = sha256(segments);
        Path report = dir.resolve("d.json");
        Cli.Result r = Cli.run("scan", e01.toString(), "--db", db.toString(), "--algorithms", "md5", "--verify",
                "--report", report.toString());
        assertEquals(0, r.code(), r.toString());
        JsonNode img = new ObjectMapper().readTree(report.toFile()).get("evidence").get(0).get("image");
        assertEquals(0, img.get("checksum_errors").size(), img.toString());
        assertTrue(r.out().contains("verified: match"), r.out());
        assertTrue(r.out().contains(md5(Files.readAllBytes(dir.resolve("disk.img")))), r.out());
        assertEquals(before, sha256(segments), "evidence unchanged");
    }

    // ---- oracles ----

    private static final int CHUNK = 64 * 512; // ewfacquire's default: 64 sectors of 512 bytes

    private record VerifyError(long first, long last, String segment) {
    }

    private record VerifyOutput(String text, boolean success, String md5, List<VerifyError> errors) {
    }

    /** Runs ewfverify and reads its report: the failed sector ranges with their segment, the MD5 it computed. */
    private static VerifyOutput ewfverify(Path e01) throws Exception {
        Process p = new ProcessBuilder("ewfverify", "-q", "-d", "md5", e01.toString()).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES));
        List<VerifyError> errors = new ArrayList<>();
        Matcher m = VERIFY_ERROR.matcher(text);
        while (m.find()) errors.add(new VerifyError(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), m.group(4).trim()));
        Matcher h = VERIFY_MD5.matcher(text);
        assertTrue(h.find(), text);
        return new VerifyOutput(text, text.contains("ewfverify: SUCCESS") && p.exitValue() == 0, h.group(1), errors);
    }

    /**
     * Where one chunk is stored, from the segment files' {@code table} sections (EWF-E01, EnCase 6 layout:
     * 76-byte section descriptors from offset 13; a table holds a u32 count, a u64 base offset at +8, then
     * from +24 one u32 per chunk: offset from the base, top bit set when compressed). Chunks are numbered
     * across the segments in order.
     */
    private record EwfChunk(Path segment, long offset, boolean compressed) {
        static EwfChunk find(List<Path> segments, int chunk) throws IOException {
            int seen = 0;
            for (Path s : segments) {
                try (FileChannel ch = FileChannel.open(s, StandardOpenOption.READ)) {
                    long pos = 13;
                    while (true) {
                        ByteBuffer d = ByteBuffer.allocate(76 + 24).order(ByteOrder.LITTLE_ENDIAN);
                        ch.read(d, pos);
                        String type = new String(d.array(), 0, 16, StandardCharsets.US_ASCII).replace("\0", "");
                        long next = d.getLong(16);
                        if (type.equals("table")) {
                            int count = d.getInt(76);
                            long base = d.getLong(76 + 8);
                            if (chunk < seen + count) {
                                ByteBuffer e = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
                                ch.read(e, pos + 76 + 24 + 4L * (chunk - seen));
                                long v = Integer.toUnsignedLong(e.getInt(0));
                                return new EwfChunk(s, base + (v & 0x7fffffffL), (v >>> 31) != 0);
                            }
                            seen += count;
                        }
                        if (type.equals("done") || type.equals("next") || next <= pos) break;
                        pos = next;
                    }
                }
            }
            throw new IOException("chunk " + chunk + " not in the tables of " + segments);
        }
    }

    private static String inode(String name) throws Exception {
        String fls = new String(exec("fls", "-o", "2048", "disk.img"), StandardCharsets.UTF_8);
        for (String line : fls.split("\n")) {
            if (line.endsWith("\t" + name)) return line.replaceAll("^.* (\\d+):\t.*$", "$1");
        }
        throw new AssertionError(name + " not in " + fls);
    }

    private static Map<Path, String> sha256(List<Path> files) throws Exception {
        Map<Path, String> out = new LinkedHashMap<>();
        for (Path f : files) {
            out.put(f, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f))));
        }
        return out;
    }

    private static String md5(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(b));
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new java.util.Random(seed).nextBytes(b);
        return b;
    }

    private static void sh(String script) throws Exception {
        Process p = new ProcessBuilder("bash", "-c", "export PATH=\"$PATH:/usr/sbin:/sbin\"; set -e; " + script)
                .directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES));
        assertEquals(0, p.exitValue(), out);
    }

    private static byte[] exec(String... command) throws Exception {
        return Cli.exec(dir, command);
    }
}
