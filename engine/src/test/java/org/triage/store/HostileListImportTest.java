package org.triage.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.triage.store.FormatImportTest.ABC_MD5;
import static org.triage.store.FormatImportTest.A_MD5;
import static org.triage.store.FormatImportTest.HELLO_MD5;
import static org.triage.store.FormatImportTest.HELLO_SHA1;
import static org.triage.store.FormatImportTest.HELLO_SHA256;
import static org.triage.store.StoreFixture.unhex;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.triage.model.Algorithm;
import org.triage.model.Match;
import org.triage.model.SetKind;

/**
 * Hash lists that lie (issue 16, items 7, 17 and 18): each test is the case the issue describes,
 * failing before the fix. Digests of real files come from md5sum/sha1sum/sha256sum.
 */
class HostileListImportTest {
    /** The all-zero block sizes the README documents as trivial, besides the empty file. */
    static final int[] ZERO_SIZES = {512, 1024, 2048, 4096, 8192, 16384, 32768, 65536, 131072, 262144, 524288, 1048576};

    @TempDir
    Path tmp;

    private static ImportRequest alert(Path file, String name) {
        return new ImportRequest(file, name, SetKind.ALERT, null, null, false, "test", true);
    }

    @Test
    void vicsMediaWithMd5TwiceIsRefusedWithItsJsonPath() throws Exception {
        // Issue: the last MD5 won silently, and export no longer gave the object back unchanged.
        Path file = StoreFixture.write(tmp.resolve("twice.json"), MalformedImportTest.VICS_HEAD
                + "    {\"MediaID\": 1, \"Category\": 1, \"MD5\": \"" + HELLO_MD5 + "\"},\n"
                + "    {\"MediaID\": 2, \"Category\": 1, \"MD5\": \"" + HELLO_MD5 + "\", \"MediaSize\": 6, \"MD5\": \"" + A_MD5 + "\"}\n"
                + "  ]\n}\n");
        try (HashStoreAdmin s = RocksHashStore.openWritable(tmp.resolve("db"))) {
            ImportException e = assertThrows(ImportException.class, () -> s.importSet(alert(file, "v")));
            assertTrue(e.getMessage().contains("twice.json:5: $.value[1].MD5"), e.getMessage());
            assertTrue(e.getMessage().contains("twice"), e.getMessage());
            assertTrue(s.sets().isEmpty());
        }
    }

    @Test
    void aDigestListedWithTwoCategoriesKeepsTheMostSevereAndCountsTheConflicts() throws Exception {
        // Issue: the first (less severe) category was kept without a word.
        Path file = StoreFixture.write(tmp.resolve("graded.txt"), HELLO_MD5 + ",2\n" + HELLO_MD5 + ",1\n"
                + A_MD5 + "\tC\n" + A_MD5 + "\tA\n" + A_MD5 + "\tB\n" + ABC_MD5 + ",1\n" + ABC_MD5 + ",1\n");
        try (HashStoreAdmin s = RocksHashStore.openWritable(tmp.resolve("db"))) {
            ImportSummary sum = s.importSet(alert(file, "graded"));
            assertEquals(List.of(new Match("graded", SetKind.ALERT, "1")), s.lookup(Algorithm.MD5, unhex(HELLO_MD5)));
            assertEquals(List.of(new Match("graded", SetKind.ALERT, "A")), s.lookup(Algorithm.MD5, unhex(A_MD5)));
            assertEquals(List.of(new Match("graded", SetKind.ALERT, "1")), s.lookup(Algorithm.MD5, unhex(ABC_MD5)));
            assertTrue(sum.warnings().stream().anyMatch(w -> w.startsWith("2 digests are listed with different categories")),
                    sum.warnings().toString());
        }
    }

    @Test
    void nsrlRowsWithoutAnyDigestAreCountedAndReported() throws Exception {
        // Issue: rows whose digests are all NULL were skipped silently.
        Path file = tmp.resolve("rds.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement st = c.createStatement()) {
            st.executeUpdate("CREATE TABLE FILE (sha256 VARCHAR, sha1 VARCHAR, md5 VARCHAR, crc32 VARCHAR,"
                    + " file_name VARCHAR, file_size INTEGER, package_id INTEGER)");
            st.executeUpdate("INSERT INTO FILE VALUES ('" + HELLO_SHA256.toUpperCase() + "', '" + HELLO_SHA1.toUpperCase()
                    + "', '" + HELLO_MD5.toUpperCase() + "', '363A3020', 'hello.txt', 6, 1)");
            st.executeUpdate("INSERT INTO FILE VALUES (NULL, NULL, NULL, '00000000', 'lost.dll', 10, 1)");
            st.executeUpdate("INSERT INTO FILE VALUES (NULL, NULL, NULL, '00000000', 'lost2.dll', 11, 1)");
        }
        try (HashStoreAdmin s = RocksHashStore.openWritable(tmp.resolve("db"))) {
            ImportSummary sum = s.importSet(alert(file, "nsrl"));
            assertEquals(3, sum.linesRead());
            assertTrue(sum.warnings().contains("2 of 3 FILE rows have no digest (sha256, sha1 and md5 all empty) and were skipped"),
                    sum.warnings().toString());
        }
    }

    @Test
    void nsrlCsvLineWithAnUnterminatedQuoteIsRefusedWithFileAndLine() throws Exception {
        // Issue: the line was accepted (only the digest columns were looked at).
        Path file = StoreFixture.write(tmp.resolve("NSRLFile.txt"),
                "\"SHA-1\",\"MD5\",\"CRC32\",\"FileName\",\"FileSize\",\"ProductCode\",\"OpSystemCode\",\"SpecialCode\"\n"
                        + "\"" + HELLO_SHA1.toUpperCase() + "\",\"" + HELLO_MD5.toUpperCase() + "\",\"363A3020\",\"hello.txt\",6,1,\"358\",\"\"\n"
                        + "\"" + HELLO_SHA1.toUpperCase() + "\",\"" + HELLO_MD5.toUpperCase() + "\",\"363A3020\",\"hello.txt,6,1,358\n");
        try (HashStoreAdmin s = RocksHashStore.openWritable(tmp.resolve("db"))) {
            ImportException e = assertThrows(ImportException.class, () -> s.importSet(alert(file, "nsrl")));
            assertEquals(3, e.line(), e.getMessage());
            assertTrue(e.getMessage().contains("NSRLFile.txt:3: ") && e.getMessage().contains("unterminated"), e.getMessage());
            assertTrue(s.sets().isEmpty());
        }
    }

    @Test
    void aCategoryColumnOfPathsIsRefusedUnlessTheImportSaysWhatItIs() throws Exception {
        // Issue: `digest<TAB>path` exports made every path a category.
        Path file = StoreFixture.write(tmp.resolve("export.tsv"), HELLO_MD5 + "\t/home/u/Pictures/hello.txt\n"
                + A_MD5 + "\tC:\\Users\\u\\a.jpg\n");
        try (HashStoreAdmin s = RocksHashStore.openWritable(tmp.resolve("db"))) {
            ImportException e = assertThrows(ImportException.class, () -> s.importSet(alert(file, "paths")));
            assertTrue(e.getMessage().startsWith(file + ":1: "), e.getMessage());
            assertTrue(e.getMessage().contains("looks like a file path") && e.getMessage().contains("ignore"), e.getMessage());
            assertTrue(s.sets().isEmpty());

            s.importSet(new ImportRequest(file, "ignored", SetKind.ALERT, null, "A", false, "test", false, false,
                    CategoryColumn.IGNORE));
            assertEquals(List.of(new Match("ignored", SetKind.ALERT, "A")), s.lookup(Algorithm.MD5, unhex(A_MD5)));
            assertEquals(Map.of("A", 2L), s.sets().get(0).byCategory());

            s.importSet(new ImportRequest(file, "as-written", SetKind.ALERT, null, null, false, "test", false, false,
                    CategoryColumn.CATEGORY));
            assertEquals(List.of(new Match("ignored", SetKind.ALERT, "A"),
                    new Match("as-written", SetKind.ALERT, "/home/u/Pictures/hello.txt")), s.lookup(Algorithm.MD5, unhex(HELLO_MD5)));
        }
    }

    @Test
    void moreThanAThousandCategoriesIsAColumnOfNamesNotCategories() throws Exception {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i <= CategoryColumn.MAX_CATEGORIES; i++) {
            b.append(StoreFixture.hex(StoreFixture.digest(Algorithm.MD5, ("f" + i).getBytes()))).append("\tIMG_").append(i).append(".jpg\n");
        }
        Path file = StoreFixture.write(tmp.resolve("names.tsv"), b.toString());
        try (HashStoreAdmin s = RocksHashStore.openWritable(tmp.resolve("db"))) {
            ImportException e = assertThrows(ImportException.class, () -> s.importSet(alert(file, "names")));
            assertTrue(e.getMessage().startsWith(file + ":" + (CategoryColumn.MAX_CATEGORIES + 1) + ": "), e.getMessage());
            assertTrue(e.getMessage().contains("--category-column"), e.getMessage());
        }
    }

    @Test
    void trivialDigestsAreLeftOutOfAlertSetsUnlessKept() throws Exception {
        // Issue: many real lists hold the empty file's digest; with it, an empty (or lost) file is a Category A alert.
        List<String> names = new ArrayList<>();
        Files.createFile(tmp.resolve("z0"));
        names.add("z0");
        for (int size : ZERO_SIZES) {
            StoreFixture.run(tmp, "truncate", "-s", Integer.toString(size), "z" + size);
            names.add("z" + size);
        }
        StringBuilder list = new StringBuilder(HELLO_MD5 + ",1\n");
        List<String[]> trivial = new ArrayList<>();
        for (String tool : List.of("md5sum", "sha1sum", "sha256sum")) {
            List<String> cmd = new ArrayList<>(List.of(tool));
            cmd.addAll(names);
            for (String line : StoreFixture.run(tmp, cmd.toArray(new String[0])).split("\n")) {
                String hex = line.substring(0, line.indexOf(' '));
                list.append(hex).append(",1\n");
                trivial.add(new String[] {tool, hex});
            }
        }
        assertEquals(39, trivial.size());
        Path file = StoreFixture.write(tmp.resolve("list.txt"), list.toString());
        try (HashStoreAdmin s = RocksHashStore.openWritable(tmp.resolve("db"))) {
            ImportSummary sum = s.importSet(alert(file, "lab"));
            assertEquals(1, sum.entries(), "only the one real digest stays: " + sum);
            for (String[] t : trivial) {
                assertEquals(List.of(), s.lookup(algorithm(t[0]), unhex(t[1])), t[0] + " " + t[1]);
            }
            assertEquals(List.of(new Match("lab", SetKind.ALERT, "1")), s.lookup(Algorithm.MD5, unhex(HELLO_MD5)));
            assertTrue(sum.warnings().stream().anyMatch(w -> w.startsWith("39 trivial digests left out of alert set 'lab'")
                    && w.contains("the empty file's md5") && w.contains("md5 of 1 MiB of zeros") && w.contains("--keep-trivial")),
                    sum.warnings().toString());

            ImportSummary kept = s.importSet(new ImportRequest(file, "kept", SetKind.ALERT, null, null, false, "test", true,
                    true, CategoryColumn.AUTO));
            assertEquals(40, kept.entries());
            assertTrue(kept.warnings().stream().anyMatch(w -> w.startsWith("39 trivial digests kept")), kept.warnings().toString());
            ImportSummary good = s.importSet(new ImportRequest(file, "good", SetKind.KNOWN_GOOD, null, null, false, "test"));
            assertEquals(40, good.entries(), "a known-good set keeps them: an empty file is known");
            for (String[] t : trivial) {
                assertEquals(List.of("kept", "good"), s.lookup(algorithm(t[0]), unhex(t[1])).stream().map(Match::set).toList());
            }

            Path onlyTrivial = StoreFixture.write(tmp.resolve("empty-only.txt"), trivial.get(0)[1] + "\n");
            ImportException e = assertThrows(ImportException.class, () -> s.importSet(alert(onlyTrivial, "nothing")));
            assertTrue(e.getMessage().contains("trivial"), e.getMessage());
        }
    }

    private static Algorithm algorithm(String tool) {
        return switch (tool) {
            case "md5sum" -> Algorithm.MD5;
            case "sha1sum" -> Algorithm.SHA1;
            default -> Algorithm.SHA256;
        };
    }
}
