package org.triage.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.triage.store.StoreFixture.export;
import static org.triage.store.StoreFixture.unhex;
import static org.triage.store.StoreFixture.write;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.triage.model.Algorithm;
import org.triage.model.HashSetInfo;
import org.triage.model.Match;
import org.triage.model.SetKind;

/**
 * Keys ingested for an import that never committed belong to no live set: nothing sees them. The
 * import's phases as its {@link ImportObserver} sees them: in order, each with the set's id once it
 * has one; and an import stopped entering each phase leaves the store as it was. Stopped by an
 * exception, it removes what it wrote at once; stopped by an Error (as by a kill), what it wrote
 * stays invisible until the next writable open purges it.
 */
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

    @Test
    void theObserverSeesEveryPhaseInOrderAndTheSetIsLiveOnlyAfterTheLast() throws Exception {
        List<String> seen = new ArrayList<>();
        ImportObserver record = (phase, id) -> {
            seen.add(phase.label() + " " + id);
            // From outside, at every phase: the set is not there yet.
            try (RocksHashStore r = RocksHashStore.openReadOnly(store)) {
                assertOnlyBaseVisible(r);
            }
        };
        try (HashStoreAdmin w = RocksHashStore.openWritable(store, record)) {
            w.importHashList(interrupted, "interrupted", SetKind.ALERT, null, false);
            assertEquals(List.of(new Match("interrupted", SetKind.ALERT, null)), w.lookup(Algorithm.MD5, unhex(ORPHAN_MD5)));
        }
        // The base set took id 1; ids are never reused, so the import's is 2.
        assertEquals(List.of("parse 0", "write 2", "ingest 2", "commit 2"), seen);
    }

    @ParameterizedTest(name = "failed entering {0}")
    @EnumSource(ImportObserver.Phase.class)
    void aFailureAtEachPhaseRemovesWhatTheImportWroteAndTheHandleImportsAgain(ImportObserver.Phase at) throws Exception {
        AtomicBoolean armed = new AtomicBoolean(true);
        ImportObserver failOnce = (phase, id) -> {
            if (phase == at && armed.getAndSet(false)) throw new IOException("injected entering " + phase.label());
        };
        try (HashStoreAdmin w = RocksHashStore.openWritable(store, failOnce)) {
            IOException e = assertThrows(IOException.class, () -> w.importHashList(interrupted, "interrupted", SetKind.ALERT, null, false));
            assertEquals("injected entering " + at.label(), e.getMessage());
            assertOnlyBaseVisible(w);
            try (RocksHashStore r = RocksHashStore.openReadOnly(store)) {
                assertOnlyBaseVisible(r); // as another process sees it, from the database rather than this handle's view
            }
            assertEquals(1, w.countKeys(Algorithm.MD5), "the failed import's records are purged at once");
            assertEquals(0, w.countKeys(Algorithm.SHA256));
            assertNoTemporaryDirectory();

            w.importHashList(interrupted, "interrupted", SetKind.ALERT, null, false);
            assertEquals(List.of(new Match("interrupted", SetKind.ALERT, null)), w.lookup(Algorithm.MD5, unhex(ORPHAN_MD5)));
        }
        try (RocksHashStore r = RocksHashStore.openReadOnly(store)) {
            assertEquals(List.of(new Match("base", SetKind.ALERT, null), new Match("interrupted", SetKind.ALERT, "again")),
                    r.lookup(Algorithm.MD5, unhex(KEPT)));
        }
    }

    @ParameterizedTest(name = "crashed entering {0}")
    @EnumSource(ImportObserver.Phase.class)
    void aCrashAtEachPhaseLeavesNothingVisibleAndTheNextWritableOpenPurgesTheRest(ImportObserver.Phase at) throws Exception {
        ImportObserver crash = (phase, id) -> {
            if (phase == at) throw new SimulatedCrash(phase);
        };
        try (HashStoreAdmin w = RocksHashStore.openWritable(store, crash)) {
            assertThrows(SimulatedCrash.class, () -> w.importHashList(interrupted, "interrupted", SetKind.ALERT, null, false));
            assertOnlyBaseVisible(w);
        }
        try (RocksHashStore r = RocksHashStore.openReadOnly(store)) {
            assertOnlyBaseVisible(r);
            if (at == ImportObserver.Phase.COMMIT) {
                // Ingested, not committed: the records are there, and seen by nothing.
                assertEquals(2, r.countKeys(Algorithm.MD5));
                assertEquals(1, r.countKeys(Algorithm.SHA256));
            }
        }
        try (HashStoreAdmin w = RocksHashStore.openWritable(store)) {
            assertOnlyBaseVisible(w);
            assertEquals(1, w.countKeys(Algorithm.MD5), "the dead import's records are purged on the writable open");
            assertEquals(0, w.countKeys(Algorithm.SHA256));
            assertNoTemporaryDirectory();
        }
    }

    private void assertNoTemporaryDirectory() throws IOException {
        try (Stream<Path> files = Files.list(store)) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().startsWith(DigestIngester.TEMP_PREFIX)));
        }
    }
}
