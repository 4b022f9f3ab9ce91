package org.triage.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.triage.store.StoreFixture.unhex;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.triage.model.Algorithm;
import org.triage.model.HashSetInfo;
import org.triage.model.Match;
import org.triage.model.SetKind;

/**
 * Each import format from a hand-written file in the structure its documentation gives (VICS
 * 2.0 and 1.3, NSRL RDS v3 SQLite built here with RDS's schema, NSRLFile.txt, hashdeep). Digests are
 * of known content, as md5sum/sha1sum/sha256sum print them: "hello\n", "" (empty), "a", "abc".
 */
class FormatImportTest {
    static final String HELLO_MD5 = "b1946ac92492d2347c6235b4d2611184";
    static final String HELLO_SHA1 = "f572d396fae9206628714fb2ce00f72e94f2258f";
    static final String HELLO_SHA256 = "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03";
    static final String EMPTY_MD5 = "d41d8cd98f00b204e9800998ecf8427e";
    static final String EMPTY_SHA1 = "da39a3ee5e6b4b0d3255bfef95601890afd80709";
    static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    static final String A_MD5 = "0cc175b9c0f1b6a831c399e269772661";
    static final String ABC_MD5 = "900150983cd24fb0d6963f7d28e17f72";
    static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    @TempDir
    Path tmp;

    static Path resource(Path dir, String name) throws Exception {
        Path out = dir.resolve(name);
        try (InputStream in = FormatImportTest.class.getResourceAsStream("/vics/" + name)) {
            Files.copy(in, out);
        }
        return out;
    }

    /**
     * An alert import; vics-2.0.json's fourth Media has no Category, so uncategorised Media are
     * allowed, and its second is the empty file, so trivial digests are kept (these tests are about
     * formats; HostileListImportTest about trivial digests).
     */
    static ImportRequest request(Path file, String name, ImportFormat format) {
        return new ImportRequest(file, name, SetKind.ALERT, format, null, false, "test", true, true, CategoryColumn.AUTO);
    }

    @Test
    void vics20KeepsCategoryAsGivenAndEveryFieldForExport() throws Exception {
        Path file = resource(tmp, "vics-2.0.json");
        assertEquals(ImportFormat.VICS, ImportFormat.detect(file));
        try (HashStoreAdmin s = RocksHashStore.openWritable(tmp.resolve("db"))) {
            ImportSummary sum = s.importSet(request(file, "vic", null));
            assertEquals("vics-2.0", sum.format());
            assertEquals(4, sum.byAlgorithm().get(Algorithm.MD5));
            assertEquals(3, sum.byAlgorithm().get(Algorithm.SHA1));
            assertEquals(List.of(new Match("vic", SetKind.ALERT, "1")), s.lookup(Algorithm.MD5, unhex(HELLO_MD5)));
            assertEquals(List.of(new Match("vic", SetKind.ALERT, "1")), s.lookup(Algorithm.SHA1, unhex(HELLO_SHA1)));
            assertEquals(List.of(new Match("vic", SetKind.ALERT, "0")), s.lookup(Algorithm.MD5, unhex(EMPTY_MD5)));
            assertEquals(List.of(new Match("vic", SetKind.ALERT, "3")), s.lookup(Algorithm.MD5, unhex(A_MD5)));
            assertEquals(List.of(new Match("vic", SetKind.ALERT, null)), s.lookup(Algorithm.MD5, unhex(ABC_MD5)));
            HashSetInfo info = s.sets().get(0);
            assertEquals(4, info.kept());
            assertEquals(4, info.sourceEntries());
            assertEquals(Files.size(file), info.sourceSize());
            assertEquals(StoreFixture.run(tmp, "sha256sum", file.getFileName().toString()).substring(0, 64), info.sourceSha256());
            assertEquals("test", info.toolVersion());

            // Lossless: the exported value array is the source's, field for field (PhotoDNA, Score 0.125...).
            JsonNode exported = JSON.readTree(export(s, "vic", ExportFormat.VICS));
            assertTrue(exported.get("@odata.context").asText().contains("/DataModels/2.0.xml/"));
            assertEquals(JSON.readTree(file.toFile()).get("value"), exported.get("value"));

            // And back in: the same Media again.
            Path again = tmp.resolve("again.json");
            Files.writeString(again, export(s, "vic", ExportFormat.VICS));
            s.importSet(request(again, "vic-again", ImportFormat.VICS));
            assertEquals(export(s, "vic", ExportFormat.VICS), export(s, "vic-again", ExportFormat.VICS));
            assertEquals(List.of(new Match("vic", SetKind.ALERT, "1"), new Match("vic-again", SetKind.ALERT, "1")),
                    s.lookup(Algorithm.MD5, unhex(HELLO_MD5)));
        }
    }

    @Test
    void vics13ContextIsAccepted() throws Exception {
        Path file = resource(tmp, "vics-1.3.json");
        try (HashStoreAdmin s = RocksHashStore.openWritable(tmp.resolve("db"))) {
            ImportSummary sum = s.importSet(request(file, "old", null));
            assertEquals("vics-1.3", sum.format());
            assertEquals(List.of(new Match("old", SetKind.ALERT, "2")), s.lookup(Algorithm.MD5, unhex(HELLO_MD5)));
            assertEquals(List.of(new Match("old", SetKind.ALERT, "4")),
                    s.lookup(Algorithm.MD5, unhex("e4d909c290d0fb1ca068ffaddf22cbd0")));
            assertEquals("Zm9vYmFy", JSON.readTree(export(s, "old", ExportFormat.VICS)).get("value").get(0).get("PhotoDNA").asText());
        }
    }

    @Test
    void vics13CasesWrappingMediaAreDescendedInto() throws Exception {
        Path file = tmp.resolve("cases.json");
        Files.writeString(file, "{\"odata.metadata\": \"http://github.com/ICMEC/ProjectVic/DataModels/1.3.xml/$metadata#Cases\",\n"
                + " \"value\": [{\"CaseID\": \"c1\", \"Media\": [\n"
                + "   {\"MediaID\": 1, \"Category\": 1, \"MD5\": \"" + HELLO_MD5.toUpperCase() + "\"},\n"
                + "   {\"MediaID\": 2, \"Category\": 3, \"MD5\": \"" + A_MD5.toUpperCase() + "\"}]}]}\n");
        try (HashStoreAdmin s = RocksHashStore.openWritable(tmp.resolve("db"))) {
            ImportSummary sum = s.importSet(request(file, "cases", null));
            assertEquals("vics-1.3", sum.format());
            assertEquals(List.of(new Match("cases", SetKind.ALERT, "3")), s.lookup(Algorithm.MD5, unhex(A_MD5)));
            assertEquals(2, s.sets().get(0).kept());
        }
    }

    /** RDS v3's tables as NIST ships them (FILE with its composite key; PKG, OS, MFG, VERSION). */
    static Path nsrlDatabase(Path file, String[][] rows) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement st = c.createStatement()) {
            st.executeUpdate("CREATE TABLE FILE (sha256 VARCHAR NOT NULL, sha1 VARCHAR NOT NULL, md5 VARCHAR NOT NULL,"
                    + " crc32 VARCHAR NOT NULL, file_name VARCHAR NOT NULL, file_size INTEGER NOT NULL,"
                    + " package_id INTEGER NOT NULL,"
                    + " CONSTRAINT PK_FILE__FILE PRIMARY KEY (sha256, sha1, md5, crc32, file_name, file_size, package_id))");
            st.executeUpdate("CREATE TABLE MFG (manufacturer_id INTEGER NOT NULL, name VARCHAR NOT NULL,"
                    + " CONSTRAINT PK_MFG__MFG_ID PRIMARY KEY (manufacturer_id))");
            st.executeUpdate("CREATE TABLE OS (operating_system_id INTEGER, name VARCHAR NOT NULL, version VARCHAR NOT NULL,"
                    + " manufacturer_id INTEGER NOT NULL, CONSTRAINT PK_OS__OS_ID PRIMARY KEY (operating_system_id, manufacturer_id))");
            st.executeUpdate("CREATE TABLE PKG (package_id INTEGER NOT NULL, name VARCHAR NOT NULL, version VARCHAR NOT NULL,"
                    + " operating_system_id INTEGER NOT NULL, manufacturer_id INTEGER NOT NULL, language VARCHAR NOT NULL,"
                    + " application_type VARCHAR NOT NULL, CONSTRAINT PK_PKG__PACKAGE_ID PRIMARY KEY (package_id))");
            st.executeUpdate("CREATE TABLE VERSION (version VARCHAR UNIQUE NOT NULL, build_set VARCHAR NOT NULL,"
                    + " build_date TIMESTAMP NOT NULL, release_date TIMESTAMP NOT NULL, description VARCHAR NOT NULL)");
            st.executeUpdate("INSERT INTO MFG VALUES (1, 'Test Corp')");
            st.executeUpdate("INSERT INTO OS VALUES (1, 'TestOS', '1.0', 1)");
            st.executeUpdate("INSERT INTO PKG VALUES (1, 'Tools', '1.0', 1, 1, 'English', 'Utility')");
            st.executeUpdate("INSERT INTO VERSION VALUES ('2024.03.1', 'Modern', '2024-03-01', '2024-03-05', 'test')");
            try (PreparedStatement p = c.prepareStatement("INSERT INTO FILE VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                for (String[] r : rows) {
                    for (int i = 0; i < 7; i++) p.setString(i + 1, r[i]);
                    p.executeUpdate();
                }
            }
        }
        return file;
    }

    static final String[][] NSRL_ROWS = {
            {HELLO_SHA256.toUpperCase(), HELLO_SHA1.toUpperCase(), HELLO_MD5.toUpperCase(), "363A3020", "hello.txt", "6", "1"},
            {HELLO_SHA256.toUpperCase(), HELLO_SHA1.toUpperCase(), HELLO_MD5.toUpperCase(), "363A3020", "hello-copy.txt", "6", "1"},
            {EMPTY_SHA256.toUpperCase(), EMPTY_SHA1.toUpperCase(), EMPTY_MD5.toUpperCase(), "00000000", "empty", "0", "1"},
    };

    @Test
    void nsrlRds3SqliteIsKnownGoodWithAllThreeDigests() throws Exception {
        Path db = nsrlDatabase(tmp.resolve("RDS_2024.03.1_modern.db"), NSRL_ROWS);
        assertEquals(ImportFormat.NSRL, ImportFormat.detect(db));
        try (HashStoreAdmin s = RocksHashStore.openWritable(tmp.resolve("db"))) {
            ImportSummary sum = s.importSet(request(db, "nsrl", null));
            assertEquals(SetKind.KNOWN_GOOD, sum.kind(), "NSRL is known-good whatever was asked");
            assertEquals("nsrl-rds3-sqlite", sum.format());
            assertEquals(3, sum.linesRead());
            assertEquals(3, sum.duplicates());
            Match good = new Match("nsrl", SetKind.KNOWN_GOOD, null);
            assertEquals(List.of(good), s.lookup(Algorithm.SHA256, unhex(HELLO_SHA256)));
            assertEquals(List.of(good), s.lookup(Algorithm.SHA1, unhex(HELLO_SHA1)));
            assertEquals(List.of(good), s.lookup(Algorithm.MD5, unhex(EMPTY_MD5)));
            assertEquals(List.of(), s.lookup(Algorithm.MD5, unhex(A_MD5)));
        }
    }

    @Test
    void legacyNsrlFileTxt() throws Exception {
        Path csv = tmp.resolve("NSRLFile.txt");
        Files.writeString(csv, "\"SHA-1\",\"MD5\",\"CRC32\",\"FileName\",\"FileSize\",\"ProductCode\",\"OpSystemCode\",\"SpecialCode\"\r\n"
                + "\"" + HELLO_SHA1.toUpperCase() + "\",\"" + HELLO_MD5.toUpperCase() + "\",\"363A3020\",\"hello, world.txt\",6,1,\"358\",\"\"\r\n"
                + "\"" + EMPTY_SHA1.toUpperCase() + "\",\"" + EMPTY_MD5.toUpperCase() + "\",\"00000000\",\"empty\",0,1,\"358\",\"\"\r\n");
        assertEquals(ImportFormat.NSRL, ImportFormat.detect(csv));
        try (HashStoreAdmin s = RocksHashStore.openWritable(tmp.resolve("db"))) {
            ImportSummary sum = s.importSet(request(csv, "nsrl2", null));
            assertEquals("nsrl-rds2-csv", sum.format());
            assertEquals(SetKind.KNOWN_GOOD, sum.kind());
            assertEquals(List.of(new Match("nsrl2", SetKind.KNOWN_GOOD, null)), s.lookup(Algorithm.SHA1, unhex(EMPTY_SHA1)));
            assertEquals(List.of(new Match("nsrl2", SetKind.KNOWN_GOOD, null)), s.lookup(Algorithm.MD5, unhex(HELLO_MD5)));
        }
    }

    /** "files" counts the entries of a list, as an examiner counts them: never its header, comments or blank lines. */
    @Test
    void filesReadCountEntriesNotHeadersOrComments() throws Exception {
        Path plain = tmp.resolve("list.txt");
        Files.writeString(plain, "# a comment\n\n" + HELLO_MD5 + ",A\n# another\n" + A_MD5 + "\n\n");
        Path csv = tmp.resolve("NSRLFile.txt");
        Files.writeString(csv, "\"SHA-1\",\"MD5\",\"CRC32\",\"FileName\",\"FileSize\",\"ProductCode\",\"OpSystemCode\",\"SpecialCode\"\r\n"
                + "\"" + HELLO_SHA1.toUpperCase() + "\",\"" + HELLO_MD5.toUpperCase() + "\",\"363A3020\",\"hello.txt\",6,1,\"358\",\"\"\r\n");
        Path hd = tmp.resolve("known.hashdeep");
        Files.writeString(hd, "%%%% HASHDEEP-1.0\n%%%% size,md5,filename\n## Invoked from: /x\n##\n6," + HELLO_MD5 + ",/x/hello.txt\n");
        try (HashStoreAdmin s = RocksHashStore.openWritable(tmp.resolve("db"))) {
            s.importSet(new ImportRequest(plain, "plain", SetKind.ALERT, null, "C", false, "test"));
            s.importSet(request(csv, "nsrl", null));
            s.importSet(new ImportRequest(hd, "hd", SetKind.ALERT, null, "C", false, "test"));
            java.util.Map<String, Long> files = new java.util.TreeMap<>();
            for (HashSetInfo info : s.sets()) files.put(info.name(), info.sourceEntries());
            assertEquals(java.util.Map.of("plain", 2L, "nsrl", 1L, "hd", 1L), files);
        }
    }

    @Test
    void hashdeepFileAsHashdeepWritesIt() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("files"));
        Files.writeString(dir.resolve("hello.txt"), "hello\n");
        Files.writeString(dir.resolve("a, comma.txt"), "a");
        Path list = tmp.resolve("known.hashdeep");
        // The header hashdeep -c md5,sha256 writes, with its own comment lines.
        Files.writeString(list, "%%%% HASHDEEP-1.0\n%%%% size,md5,sha256,filename\n## Invoked from: " + dir + "\n"
                + "## $ hashdeep -c md5,sha256 -r .\n##\n"
                + "6," + HELLO_MD5 + "," + HELLO_SHA256 + "," + dir.resolve("hello.txt") + "\n"
                + "1," + A_MD5 + ",ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb," + dir.resolve("a, comma.txt") + "\n");
        assertEquals(ImportFormat.HASHDEEP, ImportFormat.detect(list));
        try (HashStoreAdmin s = RocksHashStore.openWritable(tmp.resolve("db"))) {
            ImportSummary sum = s.importSet(new ImportRequest(list, "hd", SetKind.ALERT, null, "C", false, "test"));
            assertEquals("hashdeep", sum.format());
            assertEquals(List.of(new Match("hd", SetKind.ALERT, "C")), s.lookup(Algorithm.SHA256, unhex(HELLO_SHA256)));
            assertEquals(List.of(new Match("hd", SetKind.ALERT, "C")), s.lookup(Algorithm.MD5, unhex(A_MD5)));

            // Round trip through our own hashdeep and md5 exports.
            // A set of bare digests links no MD5 to its SHA-256: hashdeep's one header can hold one
            // algorithm for every line (the first of the most numerous), and the rest is named.
            Path hd = tmp.resolve("out.hashdeep");
            StringWriter hdOut = new StringWriter();
            assertEquals(List.of("2 sha256 digests left out: this set links no digest to another or to a size, and"
                            + " hashdeep needs every column on every line (the md5 digests are written)",
                    "the set has no file sizes: hashdeep -m reports a file with one of these digests as a hash collision"
                            + " rather than a match"),
                    s.export("hd", ExportFormat.HASHDEEP, hdOut));
            Files.writeString(hd, hdOut.toString());
            s.importSet(new ImportRequest(hd, "hd2", SetKind.ALERT, null, "C", false, "test"));
            Path md5 = tmp.resolve("out.md5");
            Files.writeString(md5, export(s, "hd", ExportFormat.MD5));
            assertEquals(A_MD5 + "\n" + HELLO_MD5 + "\n", Files.readString(md5));
            s.importSet(new ImportRequest(md5, "listed", SetKind.ALERT, null, "C", false, "test"));
            assertEquals(tsvOf(s, "hd").lines().filter(l -> l.contains("\tmd5\t")).map(l -> l.replace("hd\t", "X\t")).toList(),
                    tsvOf(s, "hd2").lines().map(l -> l.replace("hd2\t", "X\t")).toList());
            assertEquals(tsvOf(s, "hd").lines().filter(l -> l.contains("\tmd5\t")).map(l -> l.replace("hd\t", "X\t")).toList(),
                    tsvOf(s, "listed").lines().map(l -> l.replace("listed\t", "X\t")).toList());
        }
    }

    @Test
    void aDigestInSeveralSetsReportsAllAndRemoveTakesOneAway() throws Exception {
        Path vics = resource(tmp, "vics-2.0.json");
        Path db = nsrlDatabase(tmp.resolve("rds.db"), NSRL_ROWS);
        Path plain = StoreFixture.write(tmp.resolve("plain.txt"), HELLO_MD5 + ",B\n");
        try (HashStoreAdmin s = RocksHashStore.openWritable(tmp.resolve("db"))) {
            s.importSet(request(vics, "vic", null));
            s.importSet(request(db, "nsrl", null));
            s.importSet(request(plain, "uk", null));
            assertEquals(List.of(new Match("vic", SetKind.ALERT, "1"), new Match("nsrl", SetKind.KNOWN_GOOD, null),
                    new Match("uk", SetKind.ALERT, "B")), s.lookup(Algorithm.MD5, unhex(HELLO_MD5)));
            s.remove("nsrl");
            assertEquals(List.of(new Match("vic", SetKind.ALERT, "1"), new Match("uk", SetKind.ALERT, "B")),
                    s.lookup(Algorithm.MD5, unhex(HELLO_MD5)));
            assertEquals(List.of(), s.lookup(Algorithm.SHA256, unhex(HELLO_SHA256)));
            assertEquals(0, s.countKeys(Algorithm.SHA256), "the removed set's records are purged");
            assertFalse(s.sets().stream().anyMatch(i -> i.name().equals("nsrl")));
        }
        try (RocksHashStore r = RocksHashStore.openReadOnly(tmp.resolve("db"))) {
            assertEquals(2, r.sets().size());
            assertEquals(List.of(new Match("vic", SetKind.ALERT, "1"), new Match("uk", SetKind.ALERT, "B")),
                    r.lookup(Algorithm.MD5, unhex(HELLO_MD5)));
        }
    }

    @Test
    void reimportingTheSameFileIsANoOp() throws Exception {
        Path vics = resource(tmp, "vics-2.0.json");
        Path store = tmp.resolve("db");
        try (HashStoreAdmin s = RocksHashStore.openWritable(store)) {
            s.importSet(request(vics, "vic", null));
        }
        var before = StoreFixture.snapshot(store);
        try (HashStoreAdmin s = RocksHashStore.openWritable(store)) {
            var setsBefore = s.sets();
            var snapOpen = StoreFixture.snapshot(store);
            ImportSummary again = s.importSet(request(vics, "vic", null));
            assertTrue(again.unchanged());
            ImportSummary replace = s.importSet(new ImportRequest(vics, "vic", SetKind.ALERT, null, null, true, "test", true,
                    true, CategoryColumn.AUTO));
            assertTrue(replace.unchanged(), "--replace with the very same file changes nothing either");
            assertEquals(setsBefore, s.sets());
            assertEquals(snapOpen, StoreFixture.snapshot(store));
        }
        assertEquals(before.keySet().stream().filter(k -> k.endsWith(".sst")).toList(),
                StoreFixture.snapshot(store).keySet().stream().filter(k -> k.endsWith(".sst")).toList());
    }

    static String export(StoreHandle s, String set, ExportFormat f) throws Exception {
        return StoreFixture.export(s, set, f);
    }

    static String tsvOf(StoreHandle s, String set) throws Exception {
        return export(s, set, ExportFormat.TSV);
    }

    static byte[] utf8(String s) { return s.getBytes(StandardCharsets.UTF_8); }
}
