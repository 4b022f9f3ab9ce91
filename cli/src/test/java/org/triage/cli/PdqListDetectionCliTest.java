package org.triage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 leftover: a PDQ list imported without {@code --format} used to become SHA-256 digests
 * (64 hex digits look like one), so that a scan found none of its pictures and said nothing. Without
 * {@code --format}, a file whose name or first comment says PDQ is imported as PDQ; one whose lines
 * are in PDQ's form ({@code hash,quality[,...]}) or are bare 64-hex values (SHA-256 or PDQ alike) is
 * refused with file:line and the fix, the store left without the set. Whether a set holds SHA-256
 * digests or PDQ hashes is read back from {@code hashset info} (its per-algorithm counts).
 */
class PdqListDetectionCliTest {
    private static final String A = "f".repeat(16) + "0".repeat(48);
    private static final String B = "0123456789abcdef".repeat(4);
    private static final String MD5 = "d41d8cd98f00b204e9800998ecf8427f".replace('d', 'a');

    @TempDir
    Path tmp;

    private Cli.Result importWithout(Path list, Path db, String... more) {
        String[] args = new String[7 + more.length];
        String[] base = {"hashset", "import", list.toString(), "--db", db.toString(), "--name", "known"};
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(more, 0, args, base.length, more.length);
        return Cli.run(args);
    }

    private static void assertNoSet(Path db) {
        Cli.Result info = Cli.run("hashset", "info", "--db", db.toString());
        assertTrue(info.out().contains("no sets"), "the import is all or nothing: " + info);
    }

    @Test
    void theReferenceHashersOutputWithoutFormatIsRefusedWithLineAndFix() throws Exception {
        // pdq-photo-hasher prints hash,quality,path: as a plain list each became a SHA-256 digest.
        Path list = tmp.resolve("hashes.txt");
        Files.writeString(list, "# from the hasher\n" + A + ",100,/pics/a.jpg\n" + B + ",87,/pics/b.jpg\n",
                StandardCharsets.US_ASCII);
        Path db = tmp.resolve("db");
        Cli.Result r = importWithout(list, db);
        assertEquals(ExitCodes.USAGE, r.code(), r.toString());
        assertTrue(r.err().contains("hashes.txt:2"), r.err());
        assertTrue(r.err().contains("--format pdq"), r.err());
        assertNoSet(db);
    }

    @Test
    void hashCommaQualityWithoutFormatIsRefusedNamingBothReadings() throws Exception {
        Path list = tmp.resolve("list.txt");
        Files.writeString(list, A + ",100\n" + B + ",3\n", StandardCharsets.US_ASCII);
        Path db = tmp.resolve("db");
        Cli.Result r = importWithout(list, db);
        assertEquals(ExitCodes.USAGE, r.code(), r.toString());
        assertTrue(r.err().contains("list.txt:1"), r.err());
        assertTrue(r.err().contains("--format pdq"), r.err());
        assertTrue(r.err().contains("--format plain"), r.err());
        assertNoSet(db);
        // Told, each reading is taken as asked.
        Cli.Result pdq = importWithout(list, db, "--format", "pdq");
        assertEquals(0, pdq.code(), pdq.toString());
        assertTrue(pdq.out().contains("pdq 2"), pdq.out());
    }

    @Test
    void bareSixtyFourHexLinesAreAmbiguousAndRefusedUntilTheFormatIsGiven() throws Exception {
        Path list = tmp.resolve("bare.txt");
        Files.writeString(list, A + "\n" + B + "\n", StandardCharsets.US_ASCII);
        Path db = tmp.resolve("db");
        Cli.Result r = importWithout(list, db);
        assertEquals(ExitCodes.USAGE, r.code(), r.toString());
        assertTrue(r.err().contains("bare.txt:1"), r.err());
        assertTrue(r.err().contains("--format plain"), r.err());
        assertTrue(r.err().contains("--format pdq"), r.err());
        assertNoSet(db);
        Cli.Result sha = importWithout(list, db, "--format", "plain");
        assertEquals(0, sha.code(), sha.toString());
        assertTrue(sha.out().contains("sha256 2"), sha.out());
    }

    @Test
    void aDigestListThatShowsItIsOneIsStillDetectedAsPlain() throws Exception {
        // An MD5 among them, a SHA-256 with a category that is no quality, sha256sum output: digests for sure.
        Path list = tmp.resolve("lab.txt");
        Files.writeString(list, A + "\n" + MD5 + ",B\n" + B + ",1\n", StandardCharsets.US_ASCII);
        Path named = tmp.resolve("sums.txt");
        Files.writeString(named, A + "  photo.jpg\n" + B + "  other.jpg\n", StandardCharsets.US_ASCII);
        Path cat = tmp.resolve("cat.txt");
        Files.writeString(cat, A + ",B\n" + B + "\n", StandardCharsets.US_ASCII);
        int n = 0;
        for (Path p : new Path[] {list, named, cat}) {
            Path db = tmp.resolve("db" + n++);
            Cli.Result r = importWithout(p, db);
            assertEquals(0, r.code(), p + ": " + r);
            assertTrue(r.err().contains("detected format plain"), r.err());
            assertTrue(r.out().contains("sha256 2"), p + ": " + r.out());
        }
    }

    @Test
    void aFileNamedPdqOrHeadedPdqIsImportedAsPdq() throws Exception {
        Path named = tmp.resolve("known.pdq");
        Files.writeString(named, A + ",100\n" + B + "\n", StandardCharsets.US_ASCII);
        Path headed = tmp.resolve("known.txt");
        Files.writeString(headed, "# PDQ hashes, hash,quality\n" + A + ",100\n" + B + ",,A\n", StandardCharsets.US_ASCII);
        int n = 0;
        for (Path p : new Path[] {named, headed}) {
            Path db = tmp.resolve("db" + n++);
            Cli.Result r = importWithout(p, db);
            assertEquals(0, r.code(), p + ": " + r);
            assertTrue(r.err().contains("detected format pdq"), r.err());
            assertTrue(r.out().contains("pdq 2"), r.out());
            assertTrue(!r.out().contains("sha256"), r.out());
        }
    }

    @Test
    void standardInputIsCheckedAlike() throws Exception {
        Path db = tmp.resolve("db");
        java.io.InputStream saved = System.in;
        System.setIn(new java.io.ByteArrayInputStream((A + ",100\n").getBytes(StandardCharsets.US_ASCII)));
        Cli.Result r;
        try {
            r = Cli.run("hashset", "import", "-", "--db", db.toString(), "--name", "known");
        } finally {
            System.setIn(saved);
        }
        assertEquals(ExitCodes.USAGE, r.code(), r.toString());
        assertTrue(r.err().contains("-:1"), r.err());
        assertTrue(r.err().contains("--format pdq"), r.err());
    }
}
