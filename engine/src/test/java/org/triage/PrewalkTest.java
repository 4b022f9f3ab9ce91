package org.triage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.triage.model.Algorithm;
import org.triage.model.ScanResult;
import org.triage.pipeline.PipelineSettings;
import org.triage.store.HashStore;
import org.triage.store.RocksHashStore;

/**
 * Issue 10, item 5: progress totals of a directory tree come from the scan's own listing when the
 * walk ends ahead of the readers, not from a second metadata-only walk of the evidence; only a tree
 * larger than the listing queue is walked a second time. The totals are checked against find(1):
 * every entry but directories, and the bytes of each regular file once however many links it has.
 */
class PrewalkTest {
    @TempDir
    static Path dir;
    static Path first;
    static Path second;
    static Path db;

    @BeforeAll
    static void setUp() throws Exception {
        Random rnd = new Random(5);
        first = tree("first", rnd, 300);
        second = tree("second", rnd, 120);
        db = dir.resolve("db");
        RocksHashStore.openWritable(db).close();
    }

    private static Path tree(String name, Random rnd, int files) throws Exception {
        Path root = Files.createDirectories(dir.resolve(name));
        for (int i = 0; i < files; i++) {
            Path sub = Files.createDirectories(root.resolve("d" + i % 7));
            byte[] b = new byte[rnd.nextInt(20_000)];
            rnd.nextBytes(b);
            Files.write(sub.resolve("f" + i), b);
        }
        Files.createLink(root.resolve("hard-link"), root.resolve("d0/f0"));
        Files.createSymbolicLink(root.resolve("sym"), Path.of("d1/f1"));
        return root;
    }

    /** find(1)'s count of entries (directories excepted) and of content bytes, each inode once. */
    private static long[] findTotals(Path... roots) throws Exception {
        long entries = 0;
        long bytes = 0;
        for (Path root : roots) {
            Process p = new ProcessBuilder("find", ".", "-mindepth", "1", "!", "-type", "d", "-printf", "%y %i %s\\n")
                    .directory(root.toFile()).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertEquals(0, p.waitFor());
            Set<String> inodes = new HashSet<>();
            for (String line : out.split("\n")) {
                String[] f = line.split(" ");
                entries++;
                if (f[0].equals("f") && inodes.add(f[1])) bytes += Long.parseLong(f[2]);
            }
        }
        return new long[] {entries, bytes};
    }

    private static Prewalk scan(PipelineSettings settings, Path... items) throws Exception {
        String[] names = new String[items.length];
        for (int i = 0; i < items.length; i++) names[i] = items[i].toString();
        try (HashStore store = Triage.openStore(db);
             Scan scan = Triage.newScan(ScanConfig.builder().source(names).settings(settings).prewalk(true)
                     .algorithms(EnumSet.of(Algorithm.MD5)).build(), store)) {
            ScanResult result = scan.run();
            assertTrue(result.evidence().stream().allMatch(e -> e.unreadable() == 0), result.toString());
            return scan.totals();
        }
    }

    @Test
    void aTreeThatFitsTheListingQueueIsWalkedOnce() throws Exception {
        Prewalk totals = scan(PipelineSettings.defaults(), first);
        long[] expected = findTotals(first);
        assertTrue(totals.done());
        assertEquals(expected[0], totals.files(), "entries");
        assertEquals(expected[1], totals.bytes(), "bytes");
        assertEquals(0, totals.treeWalks(), "the tree was walked a second time for its totals");
    }

    @Test
    void aTreeLargerThanTheListingQueueStillGetsItsTotals() throws Exception {
        PipelineSettings d = PipelineSettings.defaults();
        PipelineSettings tiny = new PipelineSettings(d.hashThreads(), d.lookupThreads(), d.readers(), d.ringSize(),
                d.chunkSize(), d.buffers(), 4, d.lanes(), d.stride());
        Prewalk totals = scan(tiny, first);
        long[] expected = findTotals(first);
        assertTrue(totals.done());
        assertEquals(expected[0], totals.files(), "entries");
        assertEquals(expected[1], totals.bytes(), "bytes");
    }

    @Test
    void laterTreesAreCountedInAdvanceAndEachOnce() throws Exception {
        Prewalk totals = scan(PipelineSettings.defaults(), first, second);
        long[] expected = findTotals(first, second);
        assertTrue(totals.done());
        assertEquals(expected[0], totals.files(), "entries");
        assertEquals(expected[1], totals.bytes(), "bytes");
        assertTrue(totals.treeWalks() <= 1, "only the later tree may be walked in advance: " + totals.treeWalks());
    }
}
