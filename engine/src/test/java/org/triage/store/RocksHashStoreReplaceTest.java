package org.triage.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.triage.store.StoreFixture.export;
import static org.triage.store.StoreFixture.unhex;
import static org.triage.store.StoreFixture.write;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.triage.model.Algorithm;
import org.triage.model.HashSetInfo;
import org.triage.model.Match;
import org.triage.model.SetKind;

/** Importing under an existing name: refused, or with replace, a switch from old to new in one step. */
class RocksHashStoreReplaceTest {
    private static final String A = "0123456789abcdef0123456789abcdef";
    private static final String B = "fedcba9876543210fedcba9876543210";
    private static final String C = "00000000000000000000000000000001";
    private static final String S1 = "da39a3ee5e6b4b0d3255bfef95601890afd80709";

    @TempDir
    Path tmp;

    @Test
    void existingNameFailsWithoutReplaceAndIsReplacedWithIt() throws Exception {
        Path store = tmp.resolve("store");
        Path v1 = write(tmp.resolve("v1.txt"), A + ",old\n" + B + ",old\n" + S1 + "\n");
        Path v2 = write(tmp.resolve("v2.txt"), B + ",new\n" + C + "\n");
        Path other = write(tmp.resolve("other.txt"), A + "\n");
        try (HashStoreAdmin s = RocksHashStore.openWritable(store)) {
            s.importHashList(v1, "list", SetKind.ALERT, null, false);
            s.importHashList(other, "other", SetKind.KNOWN_GOOD, null, false);
            // This thread's iterators are made now, before the replace; they must not go stale.
            assertEquals(List.of(new Match("list", SetKind.ALERT, "old"), new Match("other", SetKind.KNOWN_GOOD, null)),
                    s.lookup(Algorithm.MD5, unhex(A)));
            String before = export(s, null);
            List<HashSetInfo> setsBefore = s.sets();

            StoreException e = assertThrows(StoreException.class, () -> s.importHashList(v2, "list", SetKind.ALERT, null, false));
            assertTrue(e.getMessage().contains("a set named 'list' already exists"), e.getMessage());
            assertEquals(before, export(s, null));
            assertEquals(setsBefore, s.sets());

            ImportSummary summary = s.importHashList(v2, "list", SetKind.KNOWN_GOOD, null, true);
            assertTrue(summary.replaced());
            assertEquals(List.of(new Match("other", SetKind.KNOWN_GOOD, null)), s.lookup(Algorithm.MD5, unhex(A)));
            assertEquals(List.of(new Match("list", SetKind.KNOWN_GOOD, "new")), s.lookup(Algorithm.MD5, unhex(B)));
            assertEquals(List.of(new Match("list", SetKind.KNOWN_GOOD, null)), s.lookup(Algorithm.MD5, unhex(C)));
            assertEquals(List.of(), s.lookup(Algorithm.SHA1, unhex(S1)));
            String after = "list\tknown-good\tmd5\t" + C + "\t\n"
                    + "list\tknown-good\tmd5\t" + B + "\tnew\n"
                    + "other\tknown-good\tmd5\t" + A + "\t\n";
            assertEquals(after, export(s, null));
            assertEquals(Map.of(Algorithm.MD5, 2L), s.sets().get(0).byAlgorithm());
            assertEquals("v2.txt", s.sets().get(0).sourceFile());
            // The old version's keys are gone, not just hidden.
            assertEquals(3, s.countKeys(Algorithm.MD5));
            assertEquals(0, s.countKeys(Algorithm.SHA1));
        }
        try (RocksHashStore s = RocksHashStore.openReadOnly(store)) {
            assertEquals(List.of(new Match("list", SetKind.KNOWN_GOOD, "new")), s.lookup(Algorithm.MD5, unhex(B)));
            assertEquals(List.of("list", "other"), s.sets().stream().map(HashSetInfo::name).toList());
            assertEquals(Map.of(Algorithm.MD5, 2L), s.sets().get(0).byAlgorithm());
        }
    }

    @Test
    void readerOpenedBeforeAReplaceKeepsSeeingTheOldVersion() throws Exception {
        Path store = tmp.resolve("store");
        try (HashStoreAdmin w = RocksHashStore.openWritable(store)) {
            w.importHashList(write(tmp.resolve("v1.txt"), A + "\n"), "list", SetKind.ALERT, null, false);
            try (RocksHashStore before = RocksHashStore.openReadOnly(store)) {
                w.importHashList(write(tmp.resolve("v2.txt"), B + "\n"), "list", SetKind.ALERT, null, true);
                assertEquals(List.of(new Match("list", SetKind.ALERT, null)), before.lookup(Algorithm.MD5, unhex(A)));
                assertEquals(List.of(), before.lookup(Algorithm.MD5, unhex(B)));
                try (RocksHashStore after = RocksHashStore.openReadOnly(store)) {
                    assertEquals(List.of(), after.lookup(Algorithm.MD5, unhex(A)));
                    assertEquals(List.of(new Match("list", SetKind.ALERT, null)), after.lookup(Algorithm.MD5, unhex(B)));
                }
            }
        }
    }
}
