package org.triage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.triage.model.Algorithm;
import org.triage.model.EntryType;
import org.triage.model.FileRecord;
import org.triage.model.RawPath;
import org.triage.model.ScanResult;
import org.triage.store.HashStore;
import org.triage.store.RocksHashStore;

/**
 * A scan of a share of an item ({@link ScanConfig.Builder#share}) records only the entries of its
 * share and reads only their content: the shares of a raw ext4 image (mke2fs -d), and of a
 * directory, are disjoint, together hold every entry once, and their MD5s are md5sum's.
 */
class EntryShareTest {
    @TempDir
    static Path dir;
    static Path tree;
    static Path image;
    static Path db;

    @BeforeAll
    static void build() throws Exception {
        tree = Files.createDirectories(dir.resolve("tree"));
        Random rnd = new Random(15);
        for (int i = 0; i < 120; i++) {
            Path d = Files.createDirectories(tree.resolve("d" + (i % 7)));
            byte[] b = new byte[i % 10 == 0 ? 300_000 : 200 + rnd.nextInt(20_000)];
            rnd.nextBytes(b);
            Files.write(d.resolve("f" + i + ".bin"), b);
        }
        image = dir.resolve("disk.img");
        Oracle.run(dir, "bash", "-c", "PATH=$PATH:/usr/sbin:/sbin mke2fs -q -t ext4 -b 1024 -d tree disk.img 24M");
        db = dir.resolve("db");
        RocksHashStore.openWritable(db).close();
    }

    @Test
    void theSharesOfAnImageAreDisjointCompleteAndEachReadsOnlyItsFiles() throws Exception {
        checkShares(image.toString(), 4);
    }

    @Test
    void theSharesOfADirectoryAreDisjointAndComplete() throws Exception {
        checkShares(tree.toString(), 3);
    }

    /** A disk image in a folder is examined as one under a share too (the share is not taken for another kind of item). */
    @Test
    void aShareOfAFolderStillExaminesTheDiskImagesInIt() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("folder"));
        if (!Files.exists(folder.resolve("disk.img"))) {
            Files.copy(image, folder.resolve("disk.img"));
            Files.writeString(folder.resolve("a.txt"), "a\n");
            Files.writeString(folder.resolve("b.txt"), "b\n");
        }
        try (HashStore store = Triage.openStore(db)) {
            java.util.Set<String> whole = keys(scan(folder.toString(), null, store));
            java.util.Set<String> union = new java.util.HashSet<>();
            for (int p = 0; p < 2; p++) union.addAll(keys(scan(folder.toString(), new EntryShare(p, 2), store)));
            assertTrue(whole.size() > 100, "the image's files are in the folder's records: " + whole.size());
            assertEquals(whole, union);
        }
    }

    private static java.util.Set<String> keys(List<FileRecord> records) {
        java.util.Set<String> out = new java.util.HashSet<>();
        for (FileRecord r : records) {
            byte[] md5 = r.digests().get(Algorithm.MD5);
            out.add(r.container() + "!" + r.path().display() + " " + (md5 == null ? "-" : HexFormat.of().formatHex(md5)) + " " + r.note());
        }
        return out;
    }

    @Test
    void aShareNamesItsPartAndCount() {
        assertThrows(IllegalArgumentException.class, () -> new EntryShare(3, 3));
        assertThrows(IllegalArgumentException.class, () -> new EntryShare(0, 0));
        assertThrows(IllegalArgumentException.class, () -> new EntryShare(-1, 2));
        assertEquals("share 2 of 3", new EntryShare(1, 3).describe());
    }

    private static void checkShares(String item, int parts) throws Exception {
        Map<RawPath, String> md5sum = Oracle.digests(tree, "md5sum");
        try (HashStore store = Triage.openStore(db)) {
            List<FileRecord> whole = scan(item, null, store);
            long wholeBytes = bytes(item, null, store);
            Map<RawPath, String> union = new HashMap<>();
            List<RawPath> seen = new ArrayList<>();
            long sharedBytes = 0;
            int nonEmpty = 0;
            for (int p = 0; p < parts; p++) {
                List<FileRecord> share = scan(item, new EntryShare(p, parts), store);
                if (share.stream().anyMatch(r -> r.type() == EntryType.FILE)) nonEmpty++;
                assertTrue(share.size() < whole.size(), "share " + p + " holds every entry");
                for (FileRecord r : share) {
                    assertFalse(seen.contains(r.path()), r.path().display() + " in two shares");
                    seen.add(r.path());
                    if (r.type() == EntryType.FILE) union.put(rel(r.path()), HexFormat.of().formatHex(r.digests().get(Algorithm.MD5)));
                }
                sharedBytes += bytes(item, new EntryShare(p, parts), store);
            }
            assertEquals(whole.size(), seen.size(), "the shares together hold every entry once");
            assertEquals(md5sum, union);
            assertEquals(wholeBytes, sharedBytes, "the shares read the item's bytes once between them");
            assertEquals(parts, nonEmpty, "every share has files to read");
        }
    }

    /** A tree's paths are relative already; an image's start at its root ("/d0/f0.bin" or "d0/f0.bin"). */
    private static RawPath rel(RawPath p) {
        String s = p.display();
        return RawPath.of(s.startsWith("/") ? s.substring(1) : s);
    }

    private static List<FileRecord> scan(String item, EntryShare share, HashStore store) throws Exception {
        List<FileRecord> out = java.util.Collections.synchronizedList(new ArrayList<>());
        ScanConfig.Builder b = ScanConfig.builder().source(item).algorithms(java.util.EnumSet.of(Algorithm.MD5))
                .listener(r -> {
                    if (!r.path().display().contains("lost+found") && r.type() != EntryType.DIRECTORY) out.add(r);
                });
        if (share != null) b.share(share);
        ScanResult result = Triage.scan(b.build(), store);
        assertFalse(result.interrupted());
        return out;
    }

    private static long bytes(String item, EntryShare share, HashStore store) throws Exception {
        ScanConfig.Builder b = ScanConfig.builder().source(item).algorithms(java.util.EnumSet.of(Algorithm.MD5));
        if (share != null) b.share(share);
        try (Scan s = Triage.newScan(b.build(), store)) {
            s.run();
            return s.progress().bytes();
        }
    }
}
