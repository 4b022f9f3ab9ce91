package org.triage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Hash lists and stores that lie (issue 16, items 7, 12, 13, 17, 18), from the command lines the
 * issue gives. Digests come from md5sum; evidence is hashed before and after every test, and no
 * output may carry Java exception text.
 */
class HostileStoreCliTest extends EvidenceFixture {
    @BeforeEach
    void files() throws Exception {
        Files.writeString(evidence.resolve("one.jpg"), "first pretend picture");
        Files.createFile(evidence.resolve("lost.jpg")); // empty: what a file whose content is lost hashes as
        evidenceUnchanged.watch(evidence);
    }

    private static void assertNoJavaTrace(Cli.Result r) {
        for (String s : List.of(r.out(), r.err())) {
            assertFalse(s.contains("Exception") || s.contains("\tat ") || s.contains("java."), "Java exception text in: " + r);
        }
    }

    private String md5(String file) throws Exception {
        return HashsetCliTest.run(evidence, "md5sum", file).split(" ")[0];
    }

    private Cli.Result importList(String text, String... more) throws Exception {
        Path list = tmp.resolve("list-" + System.nanoTime() + ".txt");
        Files.writeString(list, text);
        List<String> args = new java.util.ArrayList<>(List.of("hashset", "import", list.toString(), "--db", db.toString()));
        args.addAll(List.of(more));
        Cli.Result r = Cli.run(args.toArray(new String[0]));
        assertNoJavaTrace(r);
        return r;
    }

    @Test
    void anImportWhoseFileIsADirectorySaysSo() throws Exception {
        // Issue: "no such file".
        Cli.Result r = Cli.run("hashset", "import", evidence.toString(), "--db", db.toString(), "--name", "x");
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains(evidence + ": is a directory"), r.toString());
        assertNoJavaTrace(r);
    }

    @Test
    void dashReadsStandardInputAndRecordsTheSha256OfWhatWasRead() throws Exception {
        String list = md5("one.jpg") + ",1\n";
        Path copy = tmp.resolve("copy.txt");
        Files.writeString(copy, list);
        String sha256 = HashsetCliTest.run(tmp, "sha256sum", "copy.txt").split(" ")[0];
        Cli.Result r = withStdin(list, "hashset", "import", "-", "--db", db.toString(), "--name", "piped");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("imported set 'piped'"), r.toString());
        Cli.Result info = Cli.run("hashset", "info", "--db", db.toString());
        assertTrue(info.out().contains("source: (standard input) (" + list.length() + " bytes, sha256 " + sha256 + ")"), info.out());
        try (Stream<Path> left = Files.list(db)) {
            assertTrue(left.noneMatch(p -> p.getFileName().toString().startsWith("import-")), "the spooled copy is removed");
        }
        // A bad line is named as standard input's, and nothing changes.
        Cli.Result bad = withStdin(md5("one.jpg") + "\nnot-a-digest\n", "hashset", "import", "-", "--db", db.toString(), "--name", "bad");
        assertEquals(2, bad.code(), bad.toString());
        assertTrue(bad.err().contains("triage: -:2: "), bad.toString());
        assertNoJavaTrace(bad);
        assertFalse(Cli.run("hashset", "info", "--db", db.toString()).out().contains("bad"));
    }

    private static Cli.Result withStdin(String input, String... args) {
        InputStream saved = System.in;
        System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
        try {
            return Cli.run(args);
        } finally {
            System.setIn(saved);
        }
    }

    @Test
    void theEmptyFileDigestInAnAlertListRaisesNoAlertUnlessKept() throws Exception {
        // Issue: a lost (empty) file matched the empty-file digest many real lists hold: a false Category A alert.
        String list = md5("one.jpg") + ",A\n" + md5("lost.jpg") + ",A\n";
        Cli.Result r = importList(list, "--name", "lab");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.err().contains("triage: warning: 1 trivial digests left out of alert set 'lab': the empty file's md5"),
                r.toString());
        Files.delete(evidence.resolve("one.jpg"));
        evidenceUnchanged.watch(evidence);
        Cli.Result scan = Cli.run("scan", evidence.toString(), "--db", db.toString(), "-q");
        assertEquals(0, scan.code(), scan.toString());

        // The same file read another way is not "nothing to do".
        Path same = tmp.resolve("same.txt");
        Files.writeString(same, list);
        assertEquals(0, Cli.run("hashset", "import", same.toString(), "--db", db.toString(), "--name", "same").code());
        Cli.Result again = Cli.run("hashset", "import", same.toString(), "--db", db.toString(), "--name", "same", "--keep-trivial");
        assertEquals(2, again.code(), again.toString());
        assertTrue(again.err().contains("already exists"), again.toString());
        Cli.Result replaced = Cli.run("hashset", "import", same.toString(), "--db", db.toString(), "--name", "same",
                "--keep-trivial", "--replace");
        assertTrue(replaced.out().contains("replaced set 'same'"), replaced.toString());
        assertEquals(0, Cli.run("hashset", "remove", "same", "--db", db.toString()).code());

        Cli.Result kept = importList(list, "--name", "kept", "--keep-trivial");
        assertEquals(0, kept.code(), kept.toString());
        assertTrue(kept.err().contains("kept in alert set 'kept' (--keep-trivial)"), kept.toString());
        assertEquals(1, Cli.run("scan", evidence.toString(), "--db", db.toString(), "-q").code());
    }

    @Test
    void aDigestListedWithTwoCategoriesIsSaid() throws Exception {
        Cli.Result r = importList(md5("one.jpg") + ",C\n" + md5("one.jpg") + ",A\n", "--name", "graded");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.err().contains("warning: 1 digests are listed with different categories"), r.toString());
        assertTrue(Cli.run("hashset", "export", "--db", db.toString()).out().endsWith("\tA\n"));
    }

    @Test
    void aDigestTabPathExportIsRefusedUnlessTheColumnIsSaidToBeNames() throws Exception {
        String list = md5("one.jpg") + "\t" + evidence.resolve("one.jpg") + "\n";
        Cli.Result r = importList(list, "--name", "paths");
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains(".txt:1: ") && r.err().contains("looks like a file path")
                && r.err().contains("--category-column ignore"), r.toString());
        Cli.Result ok = importList(list, "--name", "paths", "--category-column", "ignore", "--category", "B");
        assertEquals(0, ok.code(), ok.toString());
        assertTrue(Cli.run("hashset", "export", "--db", db.toString()).out().endsWith("\tB\n"));
        Cli.Result usage = importList(list, "--name", "x", "--category-column", "paths");
        assertEquals(2, usage.code(), usage.toString());
        assertTrue(usage.err().contains("--category-column: unknown value 'paths'"), usage.toString());
    }

    @Test
    void aScanAgainstAStoreWithoutAnAlertSetIsRefused() throws Exception {
        // Issue: a first import that failed leaves an empty store; a scan against it said "no alert match", exit 0.
        Cli.Result failed = importList(md5("one.jpg") + "\nnot-a-digest\n", "--name", "first");
        assertEquals(2, failed.code(), failed.toString());
        Cli.Result scan = Cli.run("scan", evidence.toString(), "--db", db.toString());
        assertEquals(2, scan.code(), scan.toString());
        assertTrue(scan.err().contains("holds no alert set") && scan.err().contains("no sets at all"), scan.toString());
        assertNoJavaTrace(scan);

        assertEquals(0, importList(md5("one.jpg") + "\n", "--name", "os", "--kind", "known-good").code());
        Cli.Result good = Cli.run("scan", evidence.toString(), "--db", db.toString());
        assertEquals(2, good.code(), good.toString());
        assertTrue(good.err().contains("holds no alert set") && good.err().contains("known-good only: os"), good.toString());
    }

    private Path storeWithASet() throws Exception {
        assertEquals(0, importList(md5("one.jpg") + ",A\n", "--name", "lab").code());
        return db;
    }

    @Test
    void aStoreWithoutCurrentIsCalledDamaged() throws Exception {
        // Issue: "no hash store … run 'triage hashset import' first".
        Files.delete(storeWithASet().resolve("CURRENT"));
        for (Cli.Result r : List.of(Cli.run("scan", evidence.toString(), "--db", db.toString()),
                Cli.run("hashset", "info", "--db", db.toString()),
                importList(md5("one.jpg") + "\n", "--name", "more"))) {
            assertEquals(2, r.code(), r.toString());
            assertTrue(r.err().contains("is damaged") && r.err().contains("its CURRENT file is missing"), r.toString());
            assertTrue(r.err().contains("import the hash lists again"), r.toString());
            assertFalse(r.err().contains("run 'triage hashset import' first"), r.toString());
            assertNoJavaTrace(r);
        }
    }

    @Test
    void aStoreWithAGarbledManifestIsCalledDamaged() throws Exception {
        // Issue: "not a triage hash store".
        storeWithASet();
        String manifest = Files.readString(db.resolve("CURRENT")).trim();
        try (RandomAccessFile f = new RandomAccessFile(db.resolve(manifest).toFile(), "rw")) {
            f.seek(0);
            f.write(new byte[(int) Math.min(f.length(), 64)]);
        }
        for (Cli.Result r : List.of(Cli.run("scan", evidence.toString(), "--db", db.toString()),
                Cli.run("hashset", "info", "--db", db.toString()))) {
            assertEquals(2, r.code(), r.toString());
            assertTrue(r.err().contains("is damaged") && r.err().contains(manifest), r.toString());
            assertFalse(r.err().contains("not a triage hash store"), r.toString());
            assertNoJavaTrace(r);
        }
    }

    @Test
    void aTruncatedTableFileIsCalledDamagedByName() throws Exception {
        storeWithASet();
        Path table;
        try (Stream<Path> files = Files.list(db)) {
            table = files.filter(p -> p.getFileName().toString().endsWith(".sst")).sorted().findFirst().orElseThrow();
        }
        HashsetCliTest.run(db, "truncate", "-s", "200", table.getFileName().toString());
        Cli.Result r = Cli.run("scan", evidence.toString(), "--db", db.toString());
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("is damaged: " + table.getFileName() + " is corrupt"), r.toString());
        assertNoJavaTrace(r);
    }

    @Test
    void anUnreadableStoreSaysPermissionDenied() throws Exception {
        // Issue: "no hash store" for a store the user may not read.
        storeWithASet();
        List<String> asUser = Cli.withoutReadOverride();
        Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("---------"));
        try {
            for (String[] args : List.of(new String[] {"scan", evidence.toString(), "--db", db.toString()},
                    new String[] {"hashset", "info", "--db", db.toString()})) {
                Cli.Result r = Cli.fork(asUser, args);
                assertEquals(2, r.code(), r.toString());
                assertTrue(r.err().contains("permission denied"), r.toString());
                assertFalse(r.err().contains("no hash store"), r.toString());
                assertNoJavaTrace(r);
            }
        } finally {
            Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("rwx------"));
        }
    }
}
