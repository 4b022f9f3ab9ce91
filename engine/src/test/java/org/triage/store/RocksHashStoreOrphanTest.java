package org.triage.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.triage.store.StoreFixture.export;
import static org.triage.store.StoreFixture.unhex;
import static org.triage.store.StoreFixture.write;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.triage.model.Algorithm;
import org.triage.model.HashSetInfo;
import org.triage.model.Match;
import org.triage.model.SetKind;

/** Keys ingested for an import that never committed belong to no live set: nothing sees them. */
class RocksHashStoreOrphanTest {
    private static final String KEPT = "0123456789abcdef0123456789abcdef";
    private static final String ORPHAN_MD5 = "fedcba9876543210fedcba9876543210";
    // Not the empty file's SHA-256, which an alert set leaves out (trivial).
    private static final String ORPHAN_SHA256 = "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03";

    @TempDir
    Path tmp;
    Path store;
    Path interrupted;
    String exportBefore;
    List<HashSetInfo> setsBefore;

    @BeforeEach
    void baseline() throws Exception {
        store = tmp.resolve("store");
        interrupted = write(tmp.resolve("interrupted.txt"), ORPHAN_MD5 + "\n" + KEPT + ",again\n" + ORPHAN_SHA256 + "\n");
        try (HashStoreAdmin s = RocksHashStore.openWritable(store)) {
            s.importHashList(write(tmp.resolve("base.txt"), KEPT + "\n"), "base", SetKind.ALERT, null, false);
            exportBefore = export(s, null);
            setsBefore = s.sets();
        }
    }

    private void assertOnlyBaseVisible(StoreHandle s) throws IOException {
        assertSame(List.of(), s.lookup(Algorithm.MD5, unhex(ORPHAN_MD5)));
        assertSame(List.of(), s.lookup(Algorithm.SHA256, unhex(ORPHAN_SHA256)));
        assertEquals(List.of(new Match("base", SetKind.ALERT, null)), s.lookup(Algorithm.MD5, unhex(KEPT)));
        assertEquals(exportBefore, export(s, null));
        assertEquals(setsBefore, s.sets());
    }

    @Test
    void ingestedButUncommittedKeysAreInvisibleToAnotherReaderAndRemovedOnFailure() throws Exception {
        ImportObserver lookThenFail = (phase, id) -> {
            if (phase != ImportObserver.Phase.COMMIT) return;
            // The keys are in the store now; a reader opening at this moment must not see them.
            try (RocksHashStore r = RocksHashStore.openReadOnly(store)) {
                assertEquals(2, r.countKeys(Algorithm.MD5)); // KEPT (shared with base) and the orphan
                assertEquals(1, r.countKeys(Algorithm.SHA256));
                assertOnlyBaseVisible(r);
            }
            throw new IOException("simulated failure before commit");
        };
        try (HashStoreAdmin w = RocksHashStore.openWritable(store, lookThenFail)) {
            IOException e = assertThrows(IOException.class,
                    () -> w.importHashList(interrupted, "interrupted", SetKind.ALERT, null, false));
            assertEquals("simulated failure before commit", e.getMessage());
            assertOnlyBaseVisible(w);
            assertEquals(1, w.countKeys(Algorithm.MD5));
            assertEquals(0, w.countKeys(Algorithm.SHA256));
            assertTrue(Files.list(store).noneMatch(p -> p.getFileName().toString().startsWith(DigestIngester.TEMP_PREFIX)));
        }
    }

    @Test
    void keysLeftByACrashAreInvisibleUntilTheNextWritableOpenDeletesThem() throws Exception {
        // As if the process died right after ingestion.
        ImportObserver crashAtCommit = (phase, id) -> {
            if (phase == ImportObserver.Phase.COMMIT) throw new SimulatedCrash(phase);
        };
        try (HashStoreAdmin w = RocksHashStore.openWritable(store, crashAtCommit)) {
            assertThrows(SimulatedCrash.class, () -> w.importHashList(interrupted, "interrupted", SetKind.ALERT, null, false));
            assertOnlyBaseVisible(w);
        }
        try (RocksHashStore r = RocksHashStore.openReadOnly(store)) {
            assertOnlyBaseVisible(r);
            assertEquals(2, r.countKeys(Algorithm.MD5)); // KEPT (shared with base) and the orphan
            assertEquals(1, r.countKeys(Algorithm.SHA256));
        }
        try (HashStoreAdmin w = RocksHashStore.openWritable(store)) {
            assertOnlyBaseVisible(w);
            assertEquals(1, w.countKeys(Algorithm.MD5));
            assertEquals(0, w.countKeys(Algorithm.SHA256));
            // The id of the dead import is not handed out again; the retry is seen whole.
            w.importHashList(interrupted, "interrupted", SetKind.ALERT, null, false);
            assertEquals(List.of(new Match("base", SetKind.ALERT, null), new Match("interrupted", SetKind.ALERT, "again")),
                    w.lookup(Algorithm.MD5, unhex(KEPT)));
            assertEquals(List.of(new Match("interrupted", SetKind.ALERT, null)), w.lookup(Algorithm.MD5, unhex(ORPHAN_MD5)));
        }
    }
}
