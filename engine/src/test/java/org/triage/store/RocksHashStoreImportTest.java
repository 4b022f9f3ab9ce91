package org.triage.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.triage.store.StoreFixture.digest;
import static org.triage.store.StoreFixture.export;
import static org.triage.store.StoreFixture.hex;
import static org.triage.store.StoreFixture.run;
import static org.triage.store.StoreFixture.unhex;
import static org.triage.store.StoreFixture.write;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.TableProperties;
import org.triage.model.Algorithm;
import org.triage.model.HashSetInfo;
import org.triage.model.Match;
import org.triage.model.SetKind;

/** Import and lookup round trips, with coreutils' md5sum/sha1sum/sha256sum as the oracle. */
class RocksHashStoreImportTest {
    @TempDir
    Path tmp;
    Path evidence;
    Path store;
    /** Contents of the evidence files, by name. */
    final Map<String, byte[]> files = new java.util.TreeMap<>();

    @BeforeEach
    void makeEvidence() throws Exception {
        evidence = Files.createDirectory(tmp.resolve("evidence"));
        store = tmp.resolve("store");
        byte[] random = new byte[10_000];
        new Random(42).nextBytes(random);
        // Not empty: an alert set leaves the empty file's digests out (HostileListImportTest).
        files.put("one-byte", new byte[] {0x0a});
        files.put("hello.txt", "hello\n".getBytes(StandardCharsets.UTF_8));
        files.put("random.bin", random);
        // md5sum escapes this name with a leading backslash on its line.
        files.put("back\\slash", "escaped name".getBytes(StandardCharsets.UTF_8));
        for (Map.Entry<String, byte[]> f : files.entrySet()) Files.write(evidence.resolve(f.getKey()), f.getValue());
    }

    /** md5sum + sha1sum + sha256sum output of the evidence files, as one file mixing algorithms. */
    private Path coreutilsList() throws Exception {
        String[] names = files.keySet().toArray(new String[0]);
        StringBuilder sums = new StringBuilder();
        for (String tool : List.of("md5sum", "sha1sum", "sha256sum")) {
            List<String> cmd = new ArrayList<>(List.of(tool));
            Collections.addAll(cmd, names);
            sums.append(run(evidence, cmd.toArray(new String[0])));
        }
        sums.append(run(evidence, "md5sum", "-b", "hello.txt")); // "<hex> *hello.txt": a duplicate
        assertTrue(sums.toString().contains("\\"), "coreutils should have escaped one name:\n" + sums);
        return write(tmp.resolve("sums.txt"), sums.toString());
    }

    @Test
    void coreutilsOutputRoundTripsForEveryAlgorithm() throws Exception {
        Path list = coreutilsList();
        try (HashStoreAdmin s = RocksHashStore.openWritable(store)) {
            ImportSummary summary = s.importHashList(list, "coreutils", SetKind.ALERT, "test-cat", false);
            assertEquals(Map.of(Algorithm.MD5, 4L, Algorithm.SHA1, 4L, Algorithm.SHA256, 4L), summary.byAlgorithm());
            assertEquals(1, summary.duplicates());
            assertEquals(13, summary.linesRead());
            assertEquals(run(tmp, "sha256sum", "sums.txt").substring(0, 64), summary.sourceSha256());
            assertEquals(EnumSet.allOf(Algorithm.class), s.algorithms());
        }
        try (RocksHashStore s = RocksHashStore.openReadOnly(store)) {
            for (Algorithm a : Algorithm.values()) {
                for (Map.Entry<String, byte[]> f : files.entrySet()) {
                    byte[] d = digest(a, f.getValue());
                    assertEquals(List.of(new Match("coreutils", SetKind.ALERT, "test-cat")), s.lookup(a, d),
                            a + " of " + f.getKey());
                }
                assertMisses(s, a, digest(a, files.get("hello.txt")));
            }
            HashSetInfo info = s.sets().get(0);
            assertEquals("coreutils", info.name());
            assertEquals(12, info.entries());
            assertEquals(Map.of("test-cat", 12L), info.byCategory());
            assertEquals("sums.txt", info.sourceFile());
            assertEquals(1, info.duplicates());
            // Every line of the export against the coreutils output itself.
            List<String> expected = new ArrayList<>();
            for (String line : Files.readAllLines(list)) {
                String h = line.startsWith("\\") ? line.substring(1, line.indexOf(' ')) : line.substring(0, line.indexOf(' '));
                String alg = Algorithm.forHexLength(h.length()).id();
                String e = "coreutils\talert\t" + alg + "\t" + h + "\ttest-cat";
                if (!expected.contains(e)) expected.add(e);
            }
            expected.sort(RocksHashStoreImportTest::exportOrder);
            assertEquals(String.join("\n", expected) + "\n", export(s, null));
        }
    }

    /** Set name, then md5 &lt; sha1 &lt; sha256, then digest: the order export promises. */
    private static int exportOrder(String a, String b) {
        String[] x = a.split("\t");
        String[] y = b.split("\t");
        int c = x[0].compareTo(y[0]);
        if (c != 0) return c;
        c = Integer.compare(Algorithm.parse(x[2]).ordinal(), Algorithm.parse(y[2]).ordinal());
        return c != 0 ? c : x[3].compareTo(y[3]);
    }

    /** Neighbours of a stored digest, the ends of the key space and an unrelated digest all miss. */
    private static void assertMisses(HashStore s, Algorithm a, byte[] stored) {
        byte[] up = stored.clone();
        up[up.length - 1]++;
        byte[] down = stored.clone();
        down[down.length - 1]--;
        byte[] ones = new byte[a.length()];
        java.util.Arrays.fill(ones, (byte) 0xff);
        for (byte[] d : List.of(up, down, new byte[a.length()], ones, digest(a, "in no set".getBytes(StandardCharsets.UTF_8)))) {
            assertSame(List.of(), s.lookup(a, d), a + " " + hex(d));
        }
    }

    @Test
    void digestInTwoSetsReturnsBothWithTheirCategories() throws Exception {
        byte[] hello = files.get("hello.txt");
        String md5 = hex(digest(Algorithm.MD5, hello));
        String sha1 = hex(digest(Algorithm.SHA1, hello));
        String sha256 = hex(digest(Algorithm.SHA256, hello));
        String other = hex(digest(Algorithm.MD5, new byte[0])); // in a known-good set: trivial digests stay
        Path comma = write(tmp.resolve("comma.csv"), "# alert list\n" + md5.toUpperCase() + ",series A\n" + sha256 + ",series B\n");
        Path tab = write(tmp.resolve("tab.tsv"), "\n" + md5 + "\tos files\r\n" + other + "\n" + sha1 + "\tos files");
        try (HashStoreAdmin s = RocksHashStore.openWritable(store)) {
            s.importHashList(comma, "alerts", SetKind.ALERT, null, false);
            s.importHashList(tab, "nsrl", SetKind.KNOWN_GOOD, "default", false);
            assertEquals(List.of(new Match("alerts", SetKind.ALERT, "series A"), new Match("nsrl", SetKind.KNOWN_GOOD, "os files")),
                    s.lookup(Algorithm.MD5, unhex(md5)));
        }
        try (RocksHashStore s = RocksHashStore.openReadOnly(store)) {
            assertEquals(List.of(new Match("alerts", SetKind.ALERT, "series A"), new Match("nsrl", SetKind.KNOWN_GOOD, "os files")),
                    s.lookup(Algorithm.MD5, unhex(md5)));
            assertEquals(List.of(new Match("nsrl", SetKind.KNOWN_GOOD, "default")), s.lookup(Algorithm.MD5, unhex(other)));
            assertEquals(List.of(new Match("nsrl", SetKind.KNOWN_GOOD, "os files")), s.lookup(Algorithm.SHA1, unhex(sha1)));
            assertEquals(List.of(new Match("alerts", SetKind.ALERT, "series B")), s.lookup(Algorithm.SHA256, unhex(sha256)));
            assertEquals(List.of("alerts", "nsrl"), s.sets().stream().map(HashSetInfo::name).toList());
            assertEquals(Map.of("os files", 2L, "default", 1L), s.sets().get(1).byCategory());
            assertEquals("alerts\talert\tmd5\t" + md5 + "\tseries A\n"
                    + "alerts\talert\tsha256\t" + sha256 + "\tseries B\n"
                    + "nsrl\tknown-good\tmd5\t" + md5 + "\tos files\n" // b1946ac9...
                    + "nsrl\tknown-good\tmd5\t" + other + "\tdefault\n" // d41d8cd9...
                    + "nsrl\tknown-good\tsha1\t" + sha1 + "\tos files\n", export(s, null));
            assertEquals("alerts\talert\tmd5\t" + md5 + "\tseries A\n"
                    + "alerts\talert\tsha256\t" + sha256 + "\tseries B\n", export(s, "alerts"));
            StoreException e = assertThrows(StoreException.class, () -> export(s, "nope"));
            assertTrue(e.getMessage().contains("no set named 'nope'"), e.getMessage());
        }
    }

    @Test
    void repeatedDigestIsStoredOnceWithTheFirstCategory() throws Exception {
        String md5 = hex(digest(Algorithm.MD5, files.get("random.bin")));
        Path list = write(tmp.resolve("dups.txt"), md5 + ",first\n" + md5.toUpperCase() + ",second\n" + md5 + "\n");
        try (HashStoreAdmin s = RocksHashStore.openWritable(store)) {
            ImportSummary summary = s.importHashList(list, "d", SetKind.ALERT, null, false);
            assertEquals(2, summary.duplicates());
            assertEquals(1, summary.entries());
            assertEquals(List.of(new Match("d", SetKind.ALERT, "first")), s.lookup(Algorithm.MD5, unhex(md5)));
            assertEquals(1, s.countKeys(Algorithm.MD5));
        }
    }

    @Test
    void untidyButValidLinesAreAccepted() throws Exception {
        String md5 = hex(digest(Algorithm.MD5, files.get("hello.txt")));
        String sha1 = hex(digest(Algorithm.SHA1, files.get("hello.txt")));
        String sha256 = hex(digest(Algorithm.SHA256, files.get("hello.txt")));
        // BOM, CRLF, leading blanks, upper case, blanks around a category, comment, no final newline.
        String text = "\uFEFF# exported by hand\r\n"
                + "  " + md5.toUpperCase() + "  \r\n"
                + "\t" + sha1 + ",  caf\u00e9 cr\u00e8me  \r\n"
                + "\r\n"
                + sha256 + " *name with spaces";
        Path list = write(tmp.resolve("untidy.txt"), text);
        try (HashStoreAdmin s = RocksHashStore.openWritable(store)) {
            ImportSummary summary = s.importHashList(list, "untidy", SetKind.ALERT, null, false);
            assertEquals(3, summary.linesRead()); // digest-bearing lines: not the comment or the blank line
            assertEquals("untidy\talert\tmd5\t" + md5 + "\t\n"
                    + "untidy\talert\tsha1\t" + sha1 + "\tcaf\u00e9 cr\u00e8me\n"
                    + "untidy\talert\tsha256\t" + sha256 + "\t\n", export(s, null));
        }
    }

    @Test
    void ingestedTablesCarryTheWholeKeyBloomFilterAndMergeOperator() throws Exception {
        try (HashStoreAdmin s = RocksHashStore.openWritable(store)) {
            s.importHashList(coreutilsList(), "coreutils", SetKind.ALERT, null, false);
            for (Algorithm a : Algorithm.values()) {
                Map<String, TableProperties> tables = s.tableProperties(a);
                assertEquals(1, tables.size(), a.id());
                for (TableProperties t : tables.values()) {
                    assertEquals("nullptr", t.getPrefixExtractorName(), a.id());
                    assertTrue(t.getFilterPolicyName().toLowerCase().contains("bloom"), t.getFilterPolicyName());
                    assertTrue(t.getMergeOperatorName().contains("StringAppend"), t.getMergeOperatorName());
                    assertTrue(t.getFilterSize() > 0, a.id());
                }
            }
        }
    }

    @Test
    void lookupRejectsADigestOfTheWrongLength() throws Exception {
        try (HashStoreAdmin s = RocksHashStore.openWritable(store)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.lookup(Algorithm.SHA1, new byte[16]));
            assertTrue(e.getMessage().contains("20"), e.getMessage());
        }
    }
}
