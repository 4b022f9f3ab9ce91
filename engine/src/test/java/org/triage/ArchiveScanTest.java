package org.triage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.apache.commons.compress.archivers.zip.Zip64Mode;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.triage.model.Algorithm;
import org.triage.model.Digests;
import org.triage.model.FileRecord;
import org.triage.model.RawPath;
import org.triage.model.ScanResult;
import org.triage.model.SetKind;
import org.triage.store.HashStore;
import org.triage.store.RocksHashStore;

/**
 * Archives expanded in the stream (issue 11 item 2), end to end through the real pipeline and a
 * real RocksDB store. Every archive is made by the standard tool (zip, 7z, tar, gzip, bzip2, xz,
 * mtools for the FAT image) and every member's MD5 is what md5sum gives for the member as that
 * tool extracts it ({@code unzip -p}, {@code 7z x -so}, {@code tar -xO}), never the engine's own.
 */
class ArchiveScanTest {
    @TempDir
    static Path shared;
    static Path tree;
    static Path db;
    /** md5sum of the known picture, the one alert digest of the store. */
    static String knownMd5;

    @BeforeAll
    static void build() throws Exception {
        Path work = Files.createDirectories(shared.resolve("work"));
        tree = Files.createDirectories(shared.resolve("evidence"));
        Random rnd = new Random(11);
        byte[] picture = new byte[300_000];
        rnd.nextBytes(picture);
        picture[0] = (byte) 0xFF; // a JPEG's signature, so it is a picture to the scan too
        picture[1] = (byte) 0xD8;
        picture[2] = (byte) 0xFF;
        Files.write(work.resolve("known.jpg"), picture);
        byte[] other = new byte[700_000];
        rnd.nextBytes(other);
        Files.write(work.resolve("other.bin"), other);
        knownMd5 = sh(work, "md5sum known.jpg | cut -d' ' -f1").trim();

        sh(work, "zip -q -0 " + tree.resolve("stored.zip") + " known.jpg other.bin");
        sh(work, "zip -q -9 " + tree.resolve("deflate.zip") + " known.jpg other.bin");
        sh(work, "7z a -bd -y -t7z " + tree.resolve("seven.7z") + " known.jpg other.bin >/dev/null");
        sh(work, "7z a -bd -y -tzip -mm=Deflate64 " + tree.resolve("deflate64.zip") + " known.jpg other.bin >/dev/null");
        sh(work, "tar -cf " + tree.resolve("plain.tar") + " known.jpg other.bin");
        sh(work, "gzip -c known.jpg > " + tree.resolve("known.jpg.gz"));
        sh(work, "bzip2 -c known.jpg > " + tree.resolve("known.jpg.bz2"));
        sh(work, "xz -c known.jpg > " + tree.resolve("known.jpg.xz"));
        // A zip inside a tar.gz, and a zip inside a FAT image (mtools: no mount).
        sh(work, "mkdir -p inner && zip -q -9 inner/pictures.zip known.jpg && tar -czf "
                + tree.resolve("nested.tar.gz") + " inner");
        sh(work, "mkfs.vfat -C fat.img 4096 >/dev/null && mcopy -i fat.img inner/pictures.zip ::pictures.zip");
        Files.move(work.resolve("fat.img"), shared.resolve("fat.img"));
        // Named as nothing: recognised by signature, never by name.
        Files.copy(tree.resolve("deflate.zip"), tree.resolve("holiday.dat"));

        // Bad input: a bomb member of 10 GB of zeros beside the known picture, 42.zip-style nesting,
        // a traversal name, a truncated zip, a CRC failure, an encrypted member, a RAR.
        writeZeroBomb(tree.resolve("bomb.zip"), 10L << 30, picture);
        nested42(work, tree.resolve("42.zip"));
        sh(work, "python3 -c \"import zipfile,sys; z=zipfile.ZipFile(sys.argv[1],'w'); "
                + "z.writestr('../../etc/passwd', b'root:x:0:0:root:/root:/bin/sh\\n'); z.write('known.jpg'); z.close()\" "
                + tree.resolve("traversal.zip"));
        sh(work, "zip -q -0 cut.zip known.jpg other.bin && head -c " + (picture.length + 200_000) + " cut.zip > "
                + tree.resolve("truncated.zip"));
        sh(work, "zip -q -0 " + tree.resolve("crc.zip") + " known.jpg");
        flipByteOfMember(tree.resolve("crc.zip"), 1000);
        sh(work, "zip -q -P secret " + tree.resolve("encrypted.zip") + " known.jpg");
        Files.write(tree.resolve("notes.bin"), rar());

        db = shared.resolve("db");
        Path alerts = Files.writeString(shared.resolve("alert.txt"), knownMd5 + ",A\n");
        try (org.triage.store.HashStoreAdmin w = RocksHashStore.openWritable(db)) {
            w.importHashList(alerts, "alerts", SetKind.ALERT, null, false);
        }
    }

    @Test
    void everyFormatYieldsTheKnownPictureWithItsContainerChain() throws Exception {
        Map<RawPath, String> before = Oracle.digests(tree, "sha256sum");
        List<FileRecord> records = scan(tree.toString(), 4);
        assertEquals(before, Oracle.digests(tree, "sha256sum"), "evidence changed");

        String stored = oracle("unzip -p " + tree.resolve("stored.zip") + " known.jpg");
        assertEquals(knownMd5, stored);
        assertKnown(records, "known.jpg", List.of("stored.zip"), stored);
        assertKnown(records, "known.jpg", List.of("deflate.zip"), oracle("unzip -p " + tree.resolve("deflate.zip") + " known.jpg"));
        assertKnown(records, "known.jpg", List.of("holiday.dat"), oracle("unzip -p " + tree.resolve("holiday.dat") + " known.jpg"));
        assertKnown(records, "known.jpg", List.of("deflate64.zip"), oracle("7z x -so " + tree.resolve("deflate64.zip") + " known.jpg"));
        assertKnown(records, "known.jpg", List.of("seven.7z"), oracle("7z x -so " + tree.resolve("seven.7z") + " known.jpg"));
        assertKnown(records, "known.jpg", List.of("plain.tar"), oracle("tar -xOf " + tree.resolve("plain.tar") + " known.jpg"));
        assertKnown(records, "known.jpg", List.of("known.jpg.gz"), oracle("gzip -dc " + tree.resolve("known.jpg.gz")));
        assertKnown(records, "known.jpg", List.of("known.jpg.bz2"), oracle("bzip2 -dc " + tree.resolve("known.jpg.bz2")));
        assertKnown(records, "known.jpg", List.of("known.jpg.xz"), oracle("xz -dc " + tree.resolve("known.jpg.xz")));
        assertKnown(records, "known.jpg", List.of("nested.tar.gz", "inner/pictures.zip"),
                oracle("tar -xOzf " + tree.resolve("nested.tar.gz") + " inner/pictures.zip | funzip"));
        // The other member is there too, with md5sum's digest, and no match.
        FileRecord other = member(records, "other.bin", List.of("seven.7z"));
        assertEquals(oracle("7z x -so " + tree.resolve("seven.7z") + " other.bin"), other.digests().hex(Algorithm.MD5));
        assertTrue(other.matches().isEmpty());
        // The archives themselves are records too, as files, outside any container.
        assertNotNull(member(records, "stored.zip", List.of()).digests().hex(Algorithm.MD5));
    }

    /** Item 5: progress counts members and the bytes expanded (oracle: tar's own listing). */
    @Test
    void progressCountsMembersAndExpandedBytes() throws Exception {
        Path one = Files.createDirectories(shared.resolve("one-tar"));
        Files.copy(tree.resolve("plain.tar"), one.resolve("plain.tar"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        String[] listed = sh(one, "tar -tvf plain.tar | awk '{n++; s+=$3} END {print n, s}'").trim().split(" ");
        try (HashStore store = Triage.openStore(db);
             Scan scan = Triage.newScan(ScanConfig.builder().source(one.toString()).listener(r -> { }).build(), store)) {
            scan.run();
            org.triage.model.Progress p = scan.progress();
            assertEquals(Long.parseLong(listed[0]), p.members(), "members, as tar -tv lists them");
            assertEquals(Long.parseLong(listed[1]), p.expandedBytes(), "bytes expanded, as tar -tv sizes them");
        }
    }

    @Test
    void aZipInsideAFatImageIsExpandedToo() throws Exception {
        String imageBefore = sh(shared, "sha256sum fat.img");
        List<FileRecord> records = scan(shared.resolve("fat.img").toString(), 4);
        assertEquals(imageBefore, sh(shared, "sha256sum fat.img"), "evidence changed");
        String md5 = oracle("mtype -i " + shared.resolve("fat.img") + " ::pictures.zip | funzip");
        assertKnown(records, "known.jpg", List.of("pictures.zip"), md5);
    }

    @Test
    void badArchivesAreRecordedAndTheScanGoesOn() throws Exception {
        Map<RawPath, String> before = Oracle.digests(tree, "sha256sum");
        List<FileRecord> records = scan(tree.toString(), 4);
        assertEquals(before, Oracle.digests(tree, "sha256sum"), "evidence changed");

        // The bomb's member is refused with no digest; the picture after it is still found.
        FileRecord zeros = member(records, "zeros.bin", List.of("bomb.zip"));
        assertEquals("refused: expansion ratio over 100", zeros.error());
        assertEquals(Digests.NONE, zeros.digests());
        assertKnown(records, "known.jpg", List.of("bomb.zip"), knownMd5);

        // 42-style nesting: nothing deeper than four archives; the deepest archives say why.
        int deepest = records.stream().mapToInt(r -> r.container().size()).max().orElse(0);
        assertEquals(4, deepest);
        List<FileRecord> notExpanded = records.stream()
                .filter(r -> r.container().size() == 4 && r.path().display().endsWith(".zip")).toList();
        assertEquals(256, notExpanded.size());
        for (FileRecord r : notExpanded) {
            assertTrue(r.error() != null && r.error().contains("nested deeper than 4"), r.toString());
            assertNotNull(r.digests().hex(Algorithm.MD5), "its own digest stands");
        }

        // A traversal name is listed exactly as named, and nothing is written outside the evidence.
        FileRecord passwd = member(records, "../../etc/passwd", List.of("traversal.zip"));
        assertEquals(oracle("python3 -c \"import zipfile,sys; sys.stdout.buffer.write(zipfile.ZipFile(sys.argv[1]).read('../../etc/passwd'))\" "
                + tree.resolve("traversal.zip")), passwd.digests().hex(Algorithm.MD5));
        assertFalse(Files.exists(tree.resolve("../etc/passwd")));
        assertKnown(records, "known.jpg", List.of("traversal.zip"), knownMd5);

        // A truncated zip: the member before the cut is found, the cut one says so.
        assertKnown(records, "known.jpg", List.of("truncated.zip"), knownMd5);
        FileRecord cut = member(records, "other.bin", List.of("truncated.zip"));
        assertNotNull(cut.error());
        assertEquals(Digests.NONE, cut.digests());

        // A CRC failure: listed with the error, its digest not reported as if it were complete.
        FileRecord crc = member(records, "known.jpg", List.of("crc.zip"));
        assertTrue(crc.error() != null && crc.error().toLowerCase().contains("crc"), String.valueOf(crc.error()));
        assertEquals(Digests.NONE, crc.digests());

        FileRecord locked = member(records, "known.jpg", List.of("encrypted.zip"));
        assertEquals("encrypted: not expanded (no key)", locked.error());
        assertEquals(Digests.NONE, locked.digests());

        FileRecord rar = member(records, "notes.bin", List.of());
        assertEquals("RAR archives are not expanded", rar.error());
        assertNotNull(rar.digests().hex(Algorithm.MD5), "the RAR's own digest is still matched");
    }

    @Test
    void aBombWhoseEveryMemberIsSmallIsBoundedAsAWhole() throws Exception {
        // Six levels allowed: every 4 MiB member of zeros is under the per-member grace, only their
        // sum (4 GiB from a few kB) is a bomb; the archive as a whole stops it.
        Path alone = Files.createDirectories(shared.resolve("bomb-only"));
        Files.copy(tree.resolve("42.zip"), alone.resolve("42.zip"));
        List<FileRecord> records = scan(alone.toString(), 6);
        List<FileRecord> refused = records.stream()
                .filter(r -> r.error() != null && r.error().startsWith("refused: expansion ratio over 100 for the archive as a whole"))
                .toList();
        assertFalse(refused.isEmpty(), "a member is refused once the archive as a whole is over its bound");
        refused.forEach(r -> assertEquals(Digests.NONE, r.digests()));
        long zeros = records.stream().filter(r -> r.path().display().equals("zeros") && r.error() == null).count();
        assertTrue(zeros > 0 && zeros < 32, zeros + " members of 4 MiB expanded, of 1,024");
        FileRecord top = member(records, "42.zip", List.of());
        assertTrue(top.error() != null && top.error().contains("not fully expanded"), String.valueOf(top.error()));
    }

    @Test
    void depthZeroTakesArchivesAsFilesOnly() throws Exception {
        List<FileRecord> records = scan(tree.toString(), 0);
        assertTrue(records.stream().allMatch(r -> r.container().isEmpty()));
    }

    // ---- helpers

    private static List<FileRecord> scan(String evidence, int depth) throws Exception {
        List<FileRecord> records = Collections.synchronizedList(new ArrayList<>());
        try (HashStore store = Triage.openStore(db)) {
            ScanConfig cfg = ScanConfig.builder().source(evidence).algorithms(EnumSet.allOf(Algorithm.class))
                    .archiveDepth(depth).listener(records::add).build();
            ScanResult result = Triage.scan(cfg, store);
            assertNull(result.evidence().get(0).error());
        }
        return List.copyOf(records);
    }

    private static void assertKnown(List<FileRecord> records, String path, List<String> chain, String md5) {
        FileRecord r = member(records, path, chain);
        assertNull(r.error(), r.toString());
        assertEquals(md5, r.digests().hex(Algorithm.MD5), path + " in " + chain);
        assertTrue(r.hasAlert(), path + " in " + chain + " is a known picture");
    }

    private static FileRecord member(List<FileRecord> records, String path, List<String> chain) {
        List<FileRecord> found = records.stream()
                .filter(r -> r.path().display().equals(path)
                        && r.container().stream().map(RawPath::display).toList().equals(chain))
                .toList();
        assertEquals(1, found.size(), path + " in " + chain + " among " + records.stream()
                .map(r -> r.container() + " " + r.path().display()).collect(Collectors.joining("\n")));
        return found.get(0);
    }

    /** md5sum of what the command writes. */
    private static String oracle(String command) throws Exception {
        return sh(shared, command + " | md5sum | cut -d' ' -f1").trim();
    }

    private static String sh(Path dir, String command) throws Exception {
        return new String(Oracle.run(dir, "bash", "-o", "pipefail", "-c", command), StandardCharsets.UTF_8);
    }

    /**
     * A ZIP64 archive whose first member is {@code zeros} bytes of zeros (deflated, built from one
     * deflated MiB repeated: each piece a flushed, non-final deflate block with no reference back),
     * then the known picture, stored.
     */
    private static void writeZeroBomb(Path file, long zeros, byte[] picture) throws IOException {
        byte[] mib = new byte[1 << 20];
        Deflater d = new Deflater(9, true);
        d.setInput(mib);
        byte[] piece = new byte[8192];
        int n = d.deflate(piece, 0, piece.length, Deflater.SYNC_FLUSH);
        d.end();
        byte[] block = java.util.Arrays.copyOf(piece, n);
        byte[] last = {0x03, 0x00}; // a final, empty, fixed-Huffman block
        CRC32 crc = new CRC32();
        for (long i = 0; i < zeros >> 20; i++) crc.update(mib);
        long count = zeros >> 20;
        long compressed = count * block.length + last.length;
        try (ZipArchiveOutputStream z = new ZipArchiveOutputStream(file.toFile())) {
            z.setUseZip64(Zip64Mode.Always);
            ZipArchiveEntry e = new ZipArchiveEntry("zeros.bin");
            e.setMethod(ZipArchiveEntry.DEFLATED);
            e.setSize(zeros);
            e.setCompressedSize(compressed);
            e.setCrc(crc.getValue());
            z.addRawArchiveEntry(e, new InputStream() {
                long left = compressed;
                int at;

                @Override
                public int read() {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    if (left == 0) return -1;
                    int done = 0;
                    while (done < len && left > 0) {
                        byte[] src = left <= last.length ? last : block;
                        int pos = left <= last.length ? last.length - (int) left : at;
                        int k = Math.min(len - done, src.length - pos);
                        System.arraycopy(src, pos, b, off + done, k);
                        done += k;
                        left -= k;
                        if (src == block) at = (at + k) % block.length;
                    }
                    return done;
                }
            });
            ZipArchiveEntry p = new ZipArchiveEntry("known.jpg");
            p.setMethod(ZipArchiveEntry.STORED);
            p.setSize(picture.length);
            CRC32 pc = new CRC32();
            pc.update(picture);
            p.setCrc(pc.getValue());
            z.putArchiveEntry(p);
            z.write(picture);
            z.closeArchiveEntry();
        }
    }

    /** 42.zip's shape, smaller: five levels of zips of four zips each, 4 MiB of zeros at the bottom. */
    private static void nested42(Path work, Path target) throws Exception {
        Path dir = Files.createDirectories(work.resolve("n42"));
        sh(dir, "head -c 4194304 /dev/zero > zeros && zip -q -9 l0.zip zeros");
        String prev = "l0.zip";
        for (int level = 1; level <= 4; level++) {
            String cur = "l" + level + ".zip";
            StringBuilder cmd = new StringBuilder("rm -rf d && mkdir d");
            for (int i = 0; i < 4; i++) cmd.append(" && cp ").append(prev).append(" d/").append(level).append('-').append(i).append(".zip");
            cmd.append(" && (cd d && zip -q -9 ../").append(cur).append(" *)");
            sh(dir, cmd.toString());
            prev = cur;
        }
        Files.copy(dir.resolve(prev), target);
    }

    /** Flips one byte of the first member's stored data (after its local header). */
    private static void flipByteOfMember(Path zip, int at) throws IOException {
        byte[] b = Files.readAllBytes(zip);
        int nameLen = (b[26] & 0xff) | (b[27] & 0xff) << 8;
        int extraLen = (b[28] & 0xff) | (b[29] & 0xff) << 8;
        int data = 30 + nameLen + extraLen;
        b[data + at] ^= 0x55;
        Files.write(zip, b);
    }

    private static byte[] rar() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {'R', 'a', 'r', '!', 0x1a, 0x07, 0x00});
        byte[] junk = new byte[5000];
        new Random(3).nextBytes(junk);
        out.writeBytes(junk);
        return out.toByteArray();
    }

    @SuppressWarnings("unused")
    private static void unused(OutputStream o) {
    }
}
