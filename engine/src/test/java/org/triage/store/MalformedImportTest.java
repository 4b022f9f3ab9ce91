package org.triage.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.triage.store.FormatImportTest.EMPTY_MD5;
import static org.triage.store.FormatImportTest.EMPTY_SHA1;
import static org.triage.store.FormatImportTest.HELLO_MD5;
import static org.triage.store.FormatImportTest.HELLO_SHA1;
import static org.triage.store.StoreFixture.export;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.triage.model.HashSetInfo;
import org.triage.model.SetKind;

/**
 * Malformed files of every format: bad JSON, a digest of the wrong length, an unknown category, a
 * truncated file. Each fails with file:line (and the JSON path or table row) and leaves the store
 * exactly as it was: same sets, same export, same files on disk.
 */
class MalformedImportTest {
    @TempDir
    Path tmp;
    Path store;
    Map<String, String> snapshot;
    String exportBefore;

    @BeforeEach
    void base() throws Exception {
        store = tmp.resolve("store");
        try (HashStoreAdmin s = RocksHashStore.openWritable(store)) {
            s.importSet(FormatImportTest.request(FormatImportTest.resource(tmp, "vics-2.0.json"), "base", null));
            exportBefore = export(s, null);
        }
        snapshot = StoreFixture.snapshot(store);
    }

    static final String VICS_HEAD = "{\n  \"@odata.context\": \"http://github.com/VICSDATAMODEL/ProjectVic/DataModels/2.0.xml/Default/$metadata#Media\",\n"
            + "  \"value\": [\n";
    static final String GOOD_MEDIA = "    {\"MediaID\": 1, \"Category\": 1, \"MD5\": \"" + HELLO_MD5.toUpperCase() + "\", \"SHA1\": \""
            + HELLO_SHA1.toUpperCase() + "\", \"MediaSize\": 6, \"PhotoDNA\": \"AAAA\"}";

    static Stream<Arguments> cases() {
        String goodVics = VICS_HEAD + GOOD_MEDIA + ",\n    {\"MediaID\": 2, \"Category\": 0, \"MD5\": \"" + EMPTY_MD5.toUpperCase()
                + "\", \"MediaSize\": 0}\n  ]\n}\n";
        String nsrlHeader = "\"SHA-1\",\"MD5\",\"CRC32\",\"FileName\",\"FileSize\",\"ProductCode\",\"OpSystemCode\",\"SpecialCode\"\n";
        String nsrlGood = "\"" + HELLO_SHA1.toUpperCase() + "\",\"" + HELLO_MD5.toUpperCase() + "\",\"363A3020\",\"hello.txt\",6,1,\"358\",\"\"\n";
        String hashdeepHead = "%%%% HASHDEEP-1.0\n%%%% size,md5,sha1,filename\n## comment\n##\n";
        return Stream.of(
                Arguments.of("bad JSON (missing comma)", "vics", "v.json",
                        VICS_HEAD + GOOD_MEDIA + "\n    {\"MediaID\": 2, \"MD5\": \"" + EMPTY_MD5 + "\"}\n  ]\n}\n", 5, "invalid JSON at $.value"),
                Arguments.of("MD5 one character short", "vics", "v.json",
                        VICS_HEAD + GOOD_MEDIA + ",\n    {\"MediaID\": 2, \"MD5\": \"" + EMPTY_MD5.substring(1) + "\"}\n  ]\n}\n", 5,
                        "$.value[1].MD5: '\"" + EMPTY_MD5.substring(1) + "\"' is not a MD5 digest (32 hex characters)"),
                Arguments.of("SHA1 not hex", "vics", "v.json",
                        VICS_HEAD + "    {\"MD5\": \"" + EMPTY_MD5 + "\", \"SHA1\": \"" + EMPTY_SHA1.replace('a', 'x') + "\"}\n  ]\n}\n", 4,
                        "$.value[0].SHA1"),
                Arguments.of("unknown category", "vics", "v.json",
                        VICS_HEAD + GOOD_MEDIA + ",\n    {\"MediaID\": 2, \"Category\": 7, \"MD5\": \"" + EMPTY_MD5 + "\"}\n  ]\n}\n", 5,
                        "$.value[1].Category: unknown category '7'"),
                Arguments.of("truncated", "vics", "v.json", goodVics.substring(0, goodVics.length() - 25), 5,
                        "invalid JSON at $.value[1]"),
                Arguments.of("no value array", "vics", "v.json", "{\"@odata.context\": \"x\"}\n", 0, "no 'value' array"),
                Arguments.of("NSRL CSV: MD5 of 31 characters", "nsrl", "NSRLFile.txt",
                        nsrlHeader + nsrlGood + "\"" + EMPTY_SHA1 + "\",\"" + EMPTY_MD5.substring(1) + "\",\"0\",\"e\",0,1,\"358\",\"\"\n", 3,
                        "MD5 '" + EMPTY_MD5.substring(1) + "' is not a MD5 digest"),
                Arguments.of("NSRL CSV: truncated in a digest", "nsrl", "NSRLFile.txt",
                        nsrlHeader + nsrlGood + "\"" + EMPTY_SHA1.substring(0, 17), 3, "unterminated quoted field"),
                Arguments.of("NSRL CSV: wrong header", "nsrl", "NSRLFile.txt", "\"SHA1\",\"MD-5\"\n" + nsrlGood, 1,
                        "no \"SHA-1\" and \"MD5\" columns"),
                Arguments.of("hashdeep: sha1 of 39 characters", "hashdeep", "h.txt",
                        hashdeepHead + "6," + HELLO_MD5 + "," + HELLO_SHA1 + ",/x/hello\n0," + EMPTY_MD5 + "," + EMPTY_SHA1.substring(1) + ",/x/e\n", 6,
                        "sha1 '" + EMPTY_SHA1.substring(1) + "' is not a SHA-1 digest"),
                Arguments.of("hashdeep: truncated line", "hashdeep", "h.txt",
                        hashdeepHead + "6," + HELLO_MD5 + "," + HELLO_SHA1 + ",/x/hello\n0," + EMPTY_MD5.substring(0, 10), 6,
                        "expected 4 comma-separated fields"),
                Arguments.of("hashdeep: no column line", "hashdeep", "h.txt",
                        "%%%% HASHDEEP-1.0\n6," + HELLO_MD5 + "," + HELLO_SHA1 + ",/x/hello\n", 2, "entry before the '%%%% size"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void failsWithFileAndLineAndChangesNothing(String what, String format, String name, String content, long line,
                                              String reason) throws Exception {
        Path file = tmp.resolve(name);
        Files.writeString(file, content);
        assertFailsCleanly(file, ImportFormat.parse(format), line, reason);
        // Detection reaches the same verdict (where the file still looks like its format).
        if (ImportFormat.detect(file) == ImportFormat.parse(format)) assertFailsCleanly(file, null, line, reason);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sqliteCases")
    void nsrlSqliteBadRowsFailWithTheRow(String what, String[][] rows, String reason) throws Exception {
        Path db = FormatImportTest.nsrlDatabase(tmp.resolve("rds.db"), rows);
        assertFailsCleanly(db, ImportFormat.NSRL, 0, reason);
    }

    static Stream<Arguments> sqliteCases() {
        String[] good = FormatImportTest.NSRL_ROWS[0];
        String[] shortMd5 = good.clone();
        shortMd5[2] = shortMd5[2].substring(2);
        return Stream.of(Arguments.of("md5 too short", new String[][] {good, shortMd5}, "FILE row 1 (in sha256 order): md5"),
                Arguments.of("empty FILE table", new String[0][], "the FILE table is empty"));
    }

    private void assertFailsCleanly(Path file, ImportFormat format, long line, String reason) throws Exception {
        for (boolean replace : new boolean[] {false, true}) {
            try (HashStoreAdmin s = RocksHashStore.openWritable(store)) {
                List<HashSetInfo> setsBefore = s.sets();
                ImportException e = assertThrows(ImportException.class, () -> s.importSet(
                        new ImportRequest(file, replace ? "base" : "new", SetKind.ALERT, format, null, replace, "test")));
                assertTrue(e.getMessage().startsWith(file + ":" + line + ": "), e.getMessage());
                assertTrue(e.getMessage().contains(reason), e.getMessage());
                assertEquals(setsBefore, s.sets());
                assertEquals(exportBefore, export(s, null));
            }
        }
        Map<String, String> after = StoreFixture.snapshot(store);
        // A writable open rewrites MANIFEST/OPTIONS; the data files (SSTs) must be exactly the same.
        assertEquals(sstOnly(snapshot), sstOnly(after));
    }

    private static Map<String, String> sstOnly(Map<String, String> snap) {
        Map<String, String> out = new java.util.TreeMap<>();
        snap.forEach((k, v) -> {
            if (k.endsWith(".sst")) out.put(k, v);
        });
        return out;
    }
}
