package org.triage.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
 * An import's phases as its {@link ImportObserver} sees them: in order, each with the set's id once
 * it has one; and an import stopped at each phase leaves the store without the set. Stopped by an
 * exception, it removes what it wrote at once; stopped by an Error (as by a kill), what it wrote
 * stays invisible until the next writable open purges it. The expected state is the store as it
 * was before the import: its sets, its export, its physical keys.
 */
class ImportPhasesTest {
    private static final String BASE = "0123456789abcdef0123456789abcdef";
    private static final String NEW_MD5 = "fedcba9876543210fedcba9876543210";
    // Not the empty file's SHA-256, which an alert set leaves out (trivial).
    private static final String NEW_SHA256 = "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03";

    @TempDir
    Path tmp;
    Path store;
    Path list;
    String exportBefore;
    List<HashSetInfo> setsBefore;

    @BeforeEach
    void baseline() throws Exception {
        store = tmp.resolve("store");
        list = write(tmp.resolve("new.txt"), NEW_MD5 + ",A\n" + BASE + ",B\n" + NEW_SHA256 + "\n");
        try (HashStoreAdmin s = RocksHashStore.openWritable(store)) {
            s.importHashList(write(tmp.resolve("base.txt"), BASE + "\n"), "base", SetKind.ALERT, null, false);
            exportBefore = export(s, null);
            setsBefore = s.sets();
        }
    }

    @Test
    void theObserverSeesEveryPhaseInOrderAndTheSetIsLiveOnlyAfterTheLast() throws Exception {
        List<String> seen = new ArrayList<>();
        ImportObserver record = (phase, id) -> {
            seen.add(phase.label() + " " + id);
            // From outside, at every phase: the set is not there yet.
            try (RocksHashStore r = RocksHashStore.openReadOnly(store)) {
                assertAsBefore(r);
            }
        };
        try (HashStoreAdmin w = RocksHashStore.openWritable(store, record)) {
            w.importHashList(list, "new", SetKind.ALERT, null, false);
            assertEquals(List.of(new Match("new", SetKind.ALERT, "A")), w.lookup(Algorithm.MD5, unhex(NEW_MD5)));
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
            IOException e = assertThrows(IOException.class, () -> w.importHashList(list, "new", SetKind.ALERT, null, false));
            assertEquals("injected entering " + at.label(), e.getMessage());
            assertAsBefore(w);
            try (RocksHashStore r = RocksHashStore.openReadOnly(store)) {
                assertAsBefore(r); // as another process sees it, from the database rather than this handle's view
            }
            assertEquals(1, w.countKeys(Algorithm.MD5), "the failed import's records are purged at once");
            assertEquals(0, w.countKeys(Algorithm.SHA256));
            assertNoTemporaryDirectory();

            w.importHashList(list, "new", SetKind.ALERT, null, false);
            assertEquals(List.of(new Match("new", SetKind.ALERT, "A")), w.lookup(Algorithm.MD5, unhex(NEW_MD5)));
        }
        try (RocksHashStore r = RocksHashStore.openReadOnly(store)) {
            assertEquals(List.of(new Match("base", SetKind.ALERT, null), new Match("new", SetKind.ALERT, "B")),
                    r.lookup(Algorithm.MD5, unhex(BASE)));
        }
    }

    @ParameterizedTest(name = "crashed entering {0}")
    @EnumSource(ImportObserver.Phase.class)
    void aCrashAtEachPhaseLeavesNothingVisibleAndTheNextWritableOpenPurgesTheRest(ImportObserver.Phase at) throws Exception {
        ImportObserver crash = (phase, id) -> {
            if (phase == at) throw new SimulatedCrash(phase);
        };
        try (HashStoreAdmin w = RocksHashStore.openWritable(store, crash)) {
            assertThrows(SimulatedCrash.class, () -> w.importHashList(list, "new", SetKind.ALERT, null, false));
            assertAsBefore(w);
        }
        try (RocksHashStore r = RocksHashStore.openReadOnly(store)) {
            assertAsBefore(r);
            if (at == ImportObserver.Phase.COMMIT) {
                // Ingested, not committed: the records are there, and seen by nothing.
                assertEquals(2, r.countKeys(Algorithm.MD5));
                assertEquals(1, r.countKeys(Algorithm.SHA256));
            }
        }
        try (HashStoreAdmin w = RocksHashStore.openWritable(store)) {
            assertAsBefore(w);
            assertEquals(1, w.countKeys(Algorithm.MD5), "the dead import's records are purged on the writable open");
            assertEquals(0, w.countKeys(Algorithm.SHA256));
            assertNoTemporaryDirectory();
        }
    }

    /** The sets, export and lookups of the store before the import. */
    private void assertAsBefore(StoreHandle s) throws IOException {
        assertEquals(setsBefore, s.sets());
        assertEquals(exportBefore, export(s, null));
        assertSame(List.of(), s.lookup(Algorithm.MD5, unhex(NEW_MD5)));
        assertSame(List.of(), s.lookup(Algorithm.SHA256, unhex(NEW_SHA256)));
        assertEquals(List.of(new Match("base", SetKind.ALERT, null)), s.lookup(Algorithm.MD5, unhex(BASE)));
    }

    private void assertNoTemporaryDirectory() throws IOException {
        try (Stream<Path> files = Files.list(store)) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().startsWith(DigestIngester.TEMP_PREFIX)));
        }
    }
}
