package org.triage.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged copies of the test images: each must give a clear message naming the image, the
 * partition and the offset, while every other partition and file is still read (checked against
 * fls + icat of the undamaged parts).
 */
class ImageErrorTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void build() throws Exception {
        ImageOracle.build(dir);
    }

    private static Path copy(String image, String as) throws IOException {
        return Files.copy(dir.resolve(image), dir.resolve(as));
    }

    private static void zero(Path file, long offset, int length) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(offset);
            f.write(new byte[length]);
        }
    }

    private static TskImageSourceTest.Scanned scan(Path image) throws Exception {
        try (TskImageSource s = TskImageSource.open(image.toString(), null, true)) {
            return TskImageSourceTest.scan(s);
        }
    }

    /** The oracle's files of one partition of the intact image. */
    private static Set<String> oracle(String image, long partitionOffset) throws Exception {
        return ImageOracle.items(dir.resolve(image)).stream().filter(i -> i.partitionOffset() == partitionOffset)
                .map(Object::toString).collect(Collectors.toSet());
    }

    private static Set<String> mine(TskImageSourceTest.Scanned s, long partitionOffset) {
        return s.items().stream().filter(i -> i.partitionOffset() != null && i.partitionOffset() == partitionOffset)
                .map(Object::toString).collect(Collectors.toSet());
    }

    @Test
    void truncatedImageNamesThePartitionAndStillReadsTheWholeOnes() throws Exception {
        Path img = copy("gpt.img", "truncated.img");
        try (RandomAccessFile f = new RandomAccessFile(img.toFile(), "rw")) {
            f.setLength(12 << 20); // the ext4 partition starts at 9 MiB and ends near 17 MiB
        }
        TskImageSourceTest.Scanned s = scan(img);
        String all = String.join("\n", s.errors());
        assertTrue(all.contains("truncated.img, partition") && all.contains("image truncated"), all);
        assertTrue(all.contains("offset " + 18432L * 512), all);
        assertEquals(oracle("gpt.img", 2048L * 512), mine(s, 2048L * 512), "the NTFS partition is whole");
    }

    @Test
    void zeroedBootSectorFailsThatPartitionOnly() throws Exception {
        Path img = copy("gpt.img", "noboot.img");
        zero(img, 2048L * 512, 512); // NTFS boot sector
        TskImageSourceTest.Scanned s = scan(img);
        String all = String.join("\n", s.errors());
        assertTrue(all.contains("noboot.img, partition") && all.contains("offset " + 2048L * 512)
                && all.contains("cannot open a filesystem"), all);
        assertEquals(oracle("gpt.img", 18432L * 512), mine(s, 18432L * 512), "the ext4 partition is still read");
    }

    @Test
    void zeroedMftFailsThatPartitionOnly() throws Exception {
        Path img = copy("gpt.img", "nomft.img");
        // The MFT's location: cluster number at boot sector offset 0x30, times bytes per cluster.
        long mftCluster;
        int clusterBytes;
        try (RandomAccessFile f = new RandomAccessFile(img.toFile(), "r")) {
            byte[] boot = new byte[512];
            f.seek(2048L * 512);
            f.readFully(boot);
            var b = java.nio.ByteBuffer.wrap(boot).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            clusterBytes = (b.getShort(0x0b) & 0xffff) * (b.get(0x0d) & 0xff);
            mftCluster = b.getLong(0x30);
        }
        zero(img, 2048L * 512 + mftCluster * clusterBytes, 16 * 1024);
        TskImageSourceTest.Scanned s = scan(img);
        String all = String.join("\n", s.errors());
        assertTrue(all.contains("nomft.img, partition") && all.contains("offset " + 2048L * 512), all);
        assertEquals(oracle("gpt.img", 18432L * 512), mine(s, 18432L * 512), "the ext4 partition is still read");
    }

    @Test
    void corruptPartitionTableIsReported() throws Exception {
        Path img = copy("mbr.img", "badtable.img");
        // First partition entry: start sector far beyond the end of the image.
        try (RandomAccessFile f = new RandomAccessFile(img.toFile(), "rw")) {
            f.seek(446 + 8);
            f.write(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f});
        }
        TskImageSourceTest.Scanned s = scan(img);
        String all = String.join("\n", s.errors());
        assertTrue(all.contains("badtable.img") && all.contains("offset"), all);
        assertFalse(s.errors().isEmpty());
    }

    @Test
    void missingEwfSegmentsAreNamed() throws Exception {
        Path sub = Files.createDirectories(dir.resolve("ewf"));
        for (String missing : List.of("E01", "E02", "E03")) {
            Path d = Files.createDirectories(sub.resolve(missing));
            for (String seg : List.of("E01", "E02", "E03")) {
                if (!seg.equals(missing)) Files.copy(dir.resolve("gpt." + seg), d.resolve("gpt." + seg));
            }
            String given = d.resolve(missing.equals("E01") ? "gpt.E02" : "gpt.E01").toString();
            IOException e = assertThrows(IOException.class, () -> TskImageSource.open(given, null, true).close());
            assertTrue(e.getMessage().contains("gpt." + missing) && e.getMessage().contains("missing"), e.getMessage());
        }
    }

    @Test
    void missingSplitSegmentIsNamed() throws Exception {
        Path d = Files.createDirectories(dir.resolve("split"));
        Files.copy(dir.resolve("gpt.raw.000"), d.resolve("gpt.raw.000"));
        Files.copy(dir.resolve("gpt.raw.002"), d.resolve("gpt.raw.002"));
        IOException e = assertThrows(IOException.class, () -> TskImageSource.open(d.resolve("gpt.raw.000").toString(), null, true).close());
        assertTrue(e.getMessage().contains("gpt.raw.001") && e.getMessage().contains("missing"), e.getMessage());
    }

    @Test
    void aFileInAnUnreadableRangeIsAnErrorNamingTheOffset() throws Exception {
        Path img = copy("ext4.img", "short-ext4.img");
        // Cut inside sub/random.bin: its first block from sleuthkit's ifind + istat, 1 KiB blocks.
        String inode = new String(ImageOracle.run(dir, "ifind", "-n", "sub/random.bin", "ext4.img"),
                java.nio.charset.StandardCharsets.US_ASCII).trim();
        String istat = new String(ImageOracle.run(dir, "istat", "ext4.img", inode), java.nio.charset.StandardCharsets.US_ASCII);
        long firstBlock = Long.parseLong(istat.substring(istat.indexOf("Direct Blocks:") + 14).trim().split("\\s+")[0]);
        long cut = (firstBlock + 59) * 1024;
        try (RandomAccessFile f = new RandomAccessFile(img.toFile(), "rw")) {
            f.setLength(cut);
        }
        TskImageSourceTest.Scanned s = scan(img);
        String all = String.join("\n", s.errors());
        assertTrue(all.contains("short-ext4.img") && all.contains("truncated"), all);
        assertTrue(all.contains("'sub/random.bin': read ") && all.contains(" of 300000 bytes: read failed at file offset")
                && all.contains("image offset " + cut), all);
        // A file's error names its place as the image's other errors do: image, (partition,) offset, then inode and path.
        assertTrue(all.contains("short-ext4.img, offset 0, inode " + inode + ", 'sub/random.bin'"), all);
        assertTrue(s.items().stream().anyMatch(i -> i.path().equals("hello.txt")), "files before the cut are read");
    }
}
