package org.triage.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.triage.model.EntryType;

/**
 * Images built by Debian's tools, read through {@link TskImageSource}, checked against sleuthkit's
 * own fls + icat and coreutils' md5sum/sha1sum ({@link ImageOracle}).
 */
class TskImageSourceTest {
    @TempDir
    static Path dir;

    /** Everything one source delivers: entries, and the digests of the files read. */
    record Scanned(List<SourceEntry> entries, Set<ImageOracle.Item> items, List<String> errors) {
    }

    @BeforeAll
    static void build() throws Exception {
        ImageOracle.build(dir);
    }

    static Scanned scan(Source source) throws Exception {
        List<SourceEntry> entries = new ArrayList<>();
        source.walk(entries::add);
        Set<ImageOracle.Item> items = new HashSet<>();
        List<String> errors = new ArrayList<>();
        byte[] buf = new byte[256 * 1024];
        for (SourceEntry e : entries) {
            if (e.error() != null) errors.add(e.error());
            if (e.type() != EntryType.FILE) continue;
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            try (ContentReader in = source.open(e)) {
                for (int n; (n = in.read(buf, 0, buf.length)) >= 0; ) {
                    md5.update(buf, 0, n);
                    sha1.update(buf, 0, n);
                }
            } catch (java.io.IOException ex) {
                errors.add(ex.getMessage());
                continue;
            }
            var d = e.details();
            items.add(new ImageOracle.Item(d.partition() == null ? null : d.partition().offset(), e.path().display(),
                    d.stream(), d.deleted(), HexFormat.of().formatHex(md5.digest()), HexFormat.of().formatHex(sha1.digest())));
        }
        return new Scanned(entries, items, errors);
    }

    static Scanned scan(String image) throws Exception {
        try (TskImageSource s = TskImageSource.open(dir.resolve(image).toString(), null, true)) {
            return scan(s);
        }
    }

    static String md5(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(Files.readAllBytes(file)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"fat32.img", "ext4.img", "ntfs.img", "exfat.img", "mbr.img", "gpt.img", "gpt.E01", "gpt.raw.000",
        "gpt.vmdk", "gpt.vhd", "files.iso", "frag.img"})
    void everyFileMatchesFlsAndIcat(String image) throws Exception {
        Scanned mine = scan(image);
        Set<ImageOracle.Item> oracle = ImageOracle.items(dir.resolve(image));
        assertEquals(List.of(), mine.errors(), image);
        assertEquals(new TreeSet<>(strings(oracle)), new TreeSet<>(strings(mine.items())), image);
        assertFalse(oracle.isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"fat32.img", "ext4.img", "exfat.img", "mbr.img"})
    void deletedFilesAreListedAndRecovered(String image) throws Exception {
        Scanned mine = scan(image);
        String gone = md5(dir.resolve("files/sub/deeper/gone.bin"));
        String deleted = md5(dir.resolve("files/deleted.txt"));
        long recovered = mine.items().stream().filter(i -> i.deleted() && (i.md5().equals(gone) || i.md5().equals(deleted))).count();
        assertTrue(recovered >= 2, image + ": deleted files recovered: " + recovered + " in " + mine.items());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ntfs.img", "gpt.E01"})
    void ntfsStreamsAreItemsOfTheirOwnAndMetadataIsMarked(String image) throws Exception {
        Scanned mine = scan(image);
        String hidden = md5(dir.resolve("files/hidden-stream.bin"));
        String hello = md5(dir.resolve("files/hello.txt"));
        assertTrue(mine.items().stream().anyMatch(i -> i.path().equals("hello.txt") && "hidden.bin".equals(i.stream())
                && i.md5().equals(hidden)), mine.items().toString());
        assertTrue(mine.items().stream().anyMatch(i -> i.path().equals("hello.txt") && i.stream() == null
                && i.md5().equals(hello)));
        for (SourceEntry e : mine.entries()) {
            String p = e.path().display();
            if (p.equals("$MFT") || p.equals("$LogFile") || p.equals("$OrphanFiles")) assertTrue(e.details().meta(), p);
            if (p.equals("hello.txt") || p.equals("random.bin")) assertFalse(e.details().meta(), p);
            assertFalse(p.contains(":"), "stream glued onto the path: " + p);
        }
    }

    @Test
    void partitionsAreNamedInEveryEntryAndBareFilesystemsHaveNone() throws Exception {
        Scanned mbr = scan("mbr.img");
        Set<Long> offsets = new TreeSet<>();
        for (SourceEntry e : mbr.entries()) {
            assertNotNull(e.details().partition(), e.path().display());
            offsets.add(e.details().partition().offset());
        }
        assertEquals(Set.of(2048L * 512, 73728L * 512), offsets);
        for (SourceEntry e : scan("ext4.img").entries()) assertNull(e.details().partition());
    }

    /**
     * Disk order, judged by sleuthkit's {@code istat} rather than by the run walk that made the sort
     * key: the image offset of each delivered file's first block, as istat lists it, never goes down.
     * Files without a block (resident, empty, all sparse) come first.
     */
    @ParameterizedTest
    @ValueSource(strings = {"mbr.img", "frag.img", "ntfs.img"})
    void filesAreDeliveredInDiskOrder(String image) throws Exception {
        Path path = dir.resolve(image);
        List<SourceEntry> entries = new ArrayList<>();
        try (TskImageSource s = TskImageSource.open(path.toString(), null, true)) {
            s.walk(entries::add);
        }
        IstatOracle oracle = new IstatOracle(path);
        long last = -1;
        String lastName = "(start)";
        int withBlocks = 0;
        int fragmented = 0;
        for (SourceEntry e : entries) {
            if (e.type() != EntryType.FILE) continue;
            var d = e.details();
            IstatOracle.Layout layout = oracle.layout(d.partition() == null ? 0 : d.partition().offset(), d.inode(), d.stream());
            String name = e.path().display() + (d.stream() == null ? "" : ":" + d.stream()) + " (inode " + d.inode() + ")";
            if (layout.first() < 0) {
                assertEquals(-1, last, name + " has no block but is delivered after " + lastName + ", which has");
                continue;
            }
            withBlocks++;
            if (layout.runs() > 1) fragmented++;
            long first = layout.first();
            assertTrue(first >= last, name + " starts at image offset " + first + ", before " + lastName + " at " + last);
            last = first;
            lastName = name;
        }
        assertTrue(withBlocks > 5, "files with blocks: " + withBlocks);
        if (image.equals("frag.img")) assertTrue(fragmented >= 2, "fragmented files: " + fragmented);
    }

    /**
     * sleuthkit's {@code istat} as the oracle of where a file's content lies: its "Sectors" (FAT),
     * "Direct Blocks" (ext) or NTFS $DATA attribute list, in the file's own order, turned into image
     * byte offsets with the unit fsstat reports. Address 0 is how istat prints a sparse block (ext,
     * NTFS), and no file's data starts at a FAT filesystem's boot sector, so zeros are skipped.
     */
    private static final class IstatOracle {
        private final Path image;
        private final java.util.Map<Long, Long> unitByPartition = new java.util.HashMap<>();
        private final java.util.Map<Long, Boolean> ntfsByPartition = new java.util.HashMap<>();

        IstatOracle(Path image) {
            this.image = image;
        }

        /** Where a file's content lies: its first block's image byte offset (-1: none), and its runs. */
        record Layout(long first, int runs) {
        }

        Layout layout(long partitionOffset, long inode, String stream) throws Exception {
            String sector = Long.toString(partitionOffset / 512);
            if (!unitByPartition.containsKey(partitionOffset)) {
                String fsstat = text("fsstat", "-o", sector, image.toString());
                boolean ntfs = fsstat.contains("File System Type: NTFS");
                String key = ntfs ? "Cluster Size: " : fsstat.contains("Block Size: ") ? "Block Size: " : "Sector Size: ";
                java.util.regex.Matcher m = java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(key) + "(\\d+)").matcher(fsstat);
                assertTrue(m.find(), "fsstat gives no " + key + "for " + image + " at sector " + sector);
                unitByPartition.put(partitionOffset, Long.parseLong(m.group(1)));
                ntfsByPartition.put(partitionOffset, ntfs);
            }
            long unit = unitByPartition.get(partitionOffset);
            String istat = text("istat", "-o", sector, image.toString(), Long.toString(inode));
            boolean inList = false;
            long first = -1;
            long previous = -2;
            int runs = 0;
            for (String line : istat.split("\n")) {
                if (ntfsByPartition.get(partitionOffset)) {
                    if (line.startsWith("Type: ")) {
                        String name = stream == null ? "N/A" : stream;
                        inList = line.startsWith("Type: $DATA") && line.contains("Name: " + name + " ");
                        continue;
                    }
                } else if (line.equals("Sectors:") || line.equals("Direct Blocks:")) {
                    inList = true;
                    continue;
                }
                if (!inList) continue;
                if (!line.matches("[0-9 ]+")) {
                    inList = false;
                    continue;
                }
                for (String b : line.trim().split(" +")) {
                    long block = Long.parseLong(b);
                    if (block == 0) continue;
                    if (first < 0) first = partitionOffset + block * unit;
                    if (block != previous + 1) runs++;
                    previous = block;
                }
            }
            return new Layout(first, runs);
        }

        private String text(String... command) throws Exception {
            return new String(ImageOracle.run(image.getParent(), command), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Test
    void verifyHashesTheMediaAndComparesWithTheStoredAcquisitionHashes() throws Exception {
        String md5 = md5(dir.resolve("gpt.img"));
        String sha1 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(Files.readAllBytes(dir.resolve("gpt.img"))));
        for (String image : List.of("gpt.E01", "gpt.raw.000", "gpt.img")) {
            try (TskImageSource s = TskImageSource.open(dir.resolve(image).toString(), JvmMediaDigest::of, true)) {
                scan(s);
                var info = s.image();
                assertEquals(md5, info.md5(), image);
                assertEquals(sha1, info.sha1(), image);
                assertNull(info.problem(), image);
                assertEquals(20L << 20, info.size());
                if (image.endsWith(".E01")) {
                    assertEquals("ewf", info.format());
                    assertEquals(3, info.segments().size());
                    assertEquals(md5, info.storedMd5());
                    assertEquals(sha1, info.storedSha1());
                    assertEquals(Boolean.TRUE, info.matchesStored());
                }
                if (image.endsWith(".000")) assertEquals(List.of("split-raw", 3), List.of(info.format(), info.segments().size()));
            }
        }
    }

    @Test
    void imagesAreUnchangedByAScan() throws Exception {
        List<String> images = List.of("fat32.img", "ext4.img", "ntfs.img", "exfat.img", "mbr.img", "gpt.img",
                "gpt.E01", "gpt.E02", "gpt.E03", "gpt.raw.000", "gpt.raw.001", "gpt.raw.002");
        String before = sha256(images);
        for (String image : List.of("fat32.img", "ext4.img", "ntfs.img", "exfat.img", "mbr.img", "gpt.E01", "gpt.raw.000")) {
            try (TskImageSource s = TskImageSource.open(dir.resolve(image).toString(), JvmMediaDigest::of, true)) {
                scan(s);
                s.image();
            }
        }
        assertEquals(before, sha256(images));
    }

    @Test
    void blockDeviceIsReadLikeItsImage() throws Exception {
        Path image = dir.resolve("mbr.img");
        String loop;
        try {
            loop = new String(ImageOracle.run(dir, "losetup", "-f", "--show", "-r", image.toString()),
                    java.nio.charset.StandardCharsets.US_ASCII).trim();
        } catch (java.io.IOException e) {
            org.junit.jupiter.api.Assumptions.abort("losetup does not work here (needs root and loop devices): " + e.getMessage());
            return;
        }
        try (TskImageSource s = TskImageSource.open(loop, null, true)) {
            Scanned mine = scan(s);
            assertEquals(List.of(), mine.errors());
            assertEquals(new TreeSet<>(strings(ImageOracle.items(image))), new TreeSet<>(strings(mine.items())));
            assertEquals("device", s.image().format());
            assertEquals(Files.size(image), s.image().size(), "size from the device, not from stat (which says 0)");
        } finally {
            ImageOracle.run(dir, "losetup", "-d", loop);
        }
    }

    @Test
    void imagesAreOpenedReadOnlyEvenWhenImmutable() throws Exception {
        Path image = dir.resolve("gpt.E01");
        boolean immutable;
        try {
            ImageOracle.run(dir, "chattr", "+i", "gpt.E01", "gpt.E02", "gpt.E03");
            immutable = true;
        } catch (java.io.IOException e) {
            immutable = false;
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(immutable, "chattr +i is not supported here: skipping");
        try (TskImageSource s = TskImageSource.open(image.toString(), JvmMediaDigest::of, true)) {
            assertEquals(List.of(), scan(s).errors());
            assertNull(s.image().problem());
        } finally {
            ImageOracle.run(dir, "chattr", "-i", "gpt.E01", "gpt.E02", "gpt.E03");
        }
    }

    private static String sha256(List<String> files) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("sha256sum"));
        cmd.addAll(files);
        return new String(ImageOracle.run(dir, cmd.toArray(new String[0])), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static List<String> strings(Set<ImageOracle.Item> items) {
        List<String> out = new ArrayList<>();
        for (ImageOracle.Item i : items) out.add(i.toString());
        return out;
    }

    /**
     * Progress totals for images come from listings, complete and exact: the first image's from the
     * scan's own, later ones' listed ahead by the pre-walk, each counted once.
     */
    @ParameterizedTest
    @ValueSource(strings = {"mbr.img", "gpt.E01", "mbr.img gpt.E01 fat32.img"})
    void progressTotalsOfAnImageAreItsListing(String images) throws Exception {
        String image = images.replace(' ', '+');
        Path db = dir.resolve("empty-store-" + image);
        org.triage.store.RocksHashStore.openWritable(db).close();
        List<org.triage.model.FileRecord> records = java.util.Collections.synchronizedList(new ArrayList<>());
        try (org.triage.store.HashStore store = org.triage.Triage.openStore(db)) {
            String[] sources = java.util.Arrays.stream(images.split(" ")).map(i -> dir.resolve(i).toString())
                    .toArray(String[]::new);
            org.triage.ScanConfig cfg = org.triage.ScanConfig.builder().source(sources)
                    .prewalk(true).listener(records::add).build();
            org.triage.Scan scan = org.triage.Triage.newScan(cfg, store);
            scan.run();
            org.triage.model.Progress totals = scan.progress();
            assertTrue(totals.totalsKnown(), "totals complete once the image was listed");
            assertEquals(records.size(), totals.totalFiles(), image);
            long bytes = records.stream().filter(r -> r.type().hasContent()).mapToLong(r -> r.size()).sum();
            assertEquals(bytes, totals.totalBytes(), image);
            assertTrue(totals.totalBytes() > 0);
        }
    }
}
