package org.triage.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.triage.store.StoreFixture.export;
import static org.triage.store.StoreFixture.snapshot;
import static org.triage.store.StoreFixture.write;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.triage.model.HashSetInfo;
import org.triage.model.SetKind;

/** A bad hash list fails with file:line and leaves the store logically as it was. */
class HashListImportErrorTest {
    private static final List<String> GOOD = List.of(
            "d41d8cd98f00b204e9800998ecf8427e",
            "da39a3ee5e6b4b0d3255bfef95601890afd80709,os",
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\tempty",
            "b1946ac92492d2347c6235b4d2611184  hello.txt",
            "f572d396fae9206628714fb2ce00f72e94f2258f *hello.txt");

    @TempDir
    Path tmp;
    Path store;
    String exportBefore;
    List<HashSetInfo> setsBefore;

    @BeforeEach
    void baseline() throws Exception {
        store = tmp.resolve("store");
        try (HashStoreAdmin s = RocksHashStore.openWritable(store)) {
            s.importHashList(write(tmp.resolve("base.txt"), String.join("\n", GOOD) + "\n"), "base", SetKind.KNOWN_GOOD, null, false);
            exportBefore = export(s, null);
            setsBefore = s.sets();
        }
        assertEquals(5, exportBefore.lines().count());
    }

    /** GOOD with {@code bad} put in at {@code position} (0 = first line). */
    private Path listWith(String bad, int position) throws Exception {
        List<String> lines = new ArrayList<>(GOOD);
        lines.add(position, bad);
        return write(tmp.resolve("sets.txt"), String.join("\n", lines) + "\n");
    }

    @ParameterizedTest(name = "{0} at {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "abc|0|'abc' is not a hex digest of 32, 40 or 64 characters",
            "abc|2|'abc' is not a hex digest of 32, 40 or 64 characters",
            "abc|5|'abc' is not a hex digest of 32, 40 or 64 characters",
            "d41d8cd98f00b204e9800998ecf8427|3|'d41d8cd98f00b204e9800998ecf8427' is not a hex digest of 32, 40 or 64 characters",
            "d41d8cd98f00b204e9800998ecf8427g|5|(column 32 is 'g')",
            "d41d8cd98f00b204e9800998ecf8427e,|0|empty category after ','",
            "\"d41d8cd98f00b204e9800998ecf8427e,   \"|2|empty category after ','",
            "\"d41d8cd98f00b204e9800998ecf8427e\t\t\"|5|empty category after TAB",
            "d41d8cd98f00b204e9800998ecf8427e x|1|expected '<digest>  <file name>'",
            "MD5 (hello.txt) = b1946ac92492d2347c6235b4d2611184|4|'MD5' is not a hex digest",
            "\\d41d8cd98f00b204e9800998ecf8427e,cat|5|a line starting with '\\' must be md5sum output",
    })
    void badLineFailsWithFileAndLineAndChangesNothing(String bad, int position, String reason) throws Exception {
        Path list = listWith(bad, position);
        for (boolean replace : new boolean[] {false, true}) {
            String name = replace ? "base" : "new";
            try (HashStoreAdmin s = RocksHashStore.openWritable(store)) {
                ImportException e = assertThrows(ImportException.class,
                        () -> s.importHashList(list, name, SetKind.ALERT, null, replace));
                String prefix = list + ":" + (position + 1) + ": ";
                assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
                assertTrue(e.getMessage().contains(reason), e.getMessage());
                assertEquals(position + 1, e.line());
                assertEquals(exportBefore, export(s, null));
                assertEquals(setsBefore, s.sets());
            }
            try (RocksHashStore s = RocksHashStore.openReadOnly(store)) {
                assertEquals(exportBefore, export(s, null));
                assertEquals(setsBefore, s.sets());
            }
        }
    }

    @Test
    void badLineAfterManyGoodOnesAcrossReadChunksHasTheRightNumber() throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 20_000; i++) text.append(String.format("%032x,category %d%n", i, i % 7));
        text.append("0123\n");
        Path list = write(tmp.resolve("long.txt"), text.toString());
        try (HashStoreAdmin s = RocksHashStore.openWritable(store)) {
            Map<String, String> filesBefore = snapshot(store);
            ImportException e = assertThrows(ImportException.class, () -> s.importHashList(list, "long", SetKind.ALERT, null, false));
            assertEquals(list + ":20001: '0123' is not a hex digest of 32, 40 or 64 characters", e.getMessage());
            assertEquals(exportBefore, export(s, null));
            // Nothing was written at all: validation comes before the first write.
            assertEquals(filesBefore, snapshot(store));
        }
    }

    @Test
    void fileWithoutDigestsIsRejected() throws Exception {
        Path list = write(tmp.resolve("comments.txt"), "# nothing\n\n   \n");
        try (HashStoreAdmin s = RocksHashStore.openWritable(store)) {
            ImportException e = assertThrows(ImportException.class, () -> s.importHashList(list, "c", SetKind.ALERT, null, false));
            assertEquals(list + ":0: no digest in the file", e.getMessage());
            assertEquals(setsBefore, s.sets());
        }
    }

    @Test
    void missingFileIsAStoreExceptionNamingIt() throws Exception {
        Path list = tmp.resolve("absent.txt");
        try (HashStoreAdmin s = RocksHashStore.openWritable(store)) {
            StoreException e = assertThrows(StoreException.class, () -> s.importHashList(list, "c", SetKind.ALERT, null, false));
            assertTrue(e.getMessage().contains(list.toString()), e.getMessage());
            assertEquals(setsBefore, s.sets());
        }
    }

    @Test
    void badNameOrCategoryArgumentIsRejectedUpFront() throws Exception {
        Path list = write(tmp.resolve("ok.txt"), GOOD.get(0) + "\n");
        try (HashStoreAdmin s = RocksHashStore.openWritable(store)) {
            assertThrows(IllegalArgumentException.class, () -> s.importHashList(list, " ", SetKind.ALERT, null, false));
            assertThrows(IllegalArgumentException.class, () -> s.importHashList(list, "a\tb", SetKind.ALERT, null, false));
            assertThrows(IllegalArgumentException.class, () -> s.importHashList(list, "a", SetKind.ALERT, "", false));
            assertEquals(setsBefore, s.sets());
        }
    }
}
