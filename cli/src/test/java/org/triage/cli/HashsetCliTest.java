package org.triage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code triage hashset} doing what it says (issue 9, item 11, and the import half of item 10):
 * each test starts from the command line and the wrong output the issue reports. Digests come from
 * md5sum/sha1sum/sha256sum, sizes from stat; hashdeep itself reads our hashdeep export.
 */
class HashsetCliTest extends EvidenceFixture {
    @BeforeEach
    void files() throws Exception {
        Files.writeString(evidence.resolve("one.jpg"), "first pretend picture");
        Files.writeString(evidence.resolve("two.jpg"), "second pretend picture, longer");
        Files.writeString(evidence.resolve("three.txt"), "not in any set");
        evidenceUnchanged.watch(evidence); // read, never written: every test ends with the bytes it began with
    }

    static String run(Path dir, String... command) throws IOException, InterruptedException {
        return new String(Cli.exec(dir, command), StandardCharsets.UTF_8);
    }

    private String digest(String tool, String file) throws Exception {
        return run(evidence, tool, file).split(" ")[0];
    }

    /** A VICS file as CAID would ship it (MediaSize from stat), with or without a Category per Media. */
    private Path vics(String name, Integer... categories) throws Exception {
        String[] names = {"one.jpg", "two.jpg"};
        StringBuilder b = new StringBuilder("{\"@odata.context\": \"http://github.com/VICSDATAMODEL/ProjectVic/DataModels/2.0.xml/Default/$metadata#Media\",\n \"value\": [");
        for (int i = 0; i < categories.length; i++) {
            String f = names[i];
            b.append(i == 0 ? "\n" : ",\n").append("  {\"MediaID\": ").append(i + 1);
            if (categories[i] != null) b.append(", \"Category\": ").append(categories[i]);
            b.append(", \"MD5\": \"").append(digest("md5sum", f).toUpperCase(Locale.ROOT))
                    .append("\", \"SHA1\": \"").append(digest("sha1sum", f).toUpperCase(Locale.ROOT))
                    .append("\", \"MediaSize\": ").append(run(evidence, "stat", "-c", "%s", f).trim())
                    .append(", \"MediaFiles\": [{\"FileName\": \"").append(f).append("\", \"FilePath\": \"C:\\\\cases\\\\1\"}]}");
        }
        b.append("\n]}\n");
        Path v = tmp.resolve(name);
        Files.writeString(v, b);
        return v;
    }

    private Path md5sumList(String name, String... of) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("md5sum", "--"));
        cmd.addAll(List.of(of));
        Path list = tmp.resolve(name);
        Files.write(list, Cli.exec(evidence, cmd.toArray(new String[0])));
        return list;
    }

    private String tsv() {
        Cli.Result r = Cli.run("hashset", "export", "--db", db.toString());
        assertEquals(0, r.code(), r.toString());
        return r.out();
    }

    @Test
    void categoryGivenOnAReimportWithReplaceIsApplied() throws Exception {
        // Issue: `hashset import list.md5 --name lab --replace --category B` said "nothing to do".
        Path list = md5sumList("lab.md5", "one.jpg", "two.jpg");
        assertEquals(0, Cli.run("hashset", "import", list.toString(), "--db", db.toString(), "--name", "lab").code());
        Cli.Result again = Cli.run("hashset", "import", list.toString(), "--db", db.toString(), "--name", "lab",
                "--replace", "--category", "B");
        assertEquals(0, again.code(), again.toString());
        assertFalse(again.out().contains("nothing to do"), again.toString());
        assertTrue(again.out().contains("replaced set 'lab'"), again.toString());
        for (String line : tsv().lines().toList()) assertTrue(line.endsWith("\tB"), line);

        // The same file and the same category: now, and only now, there is nothing to do.
        Cli.Result third = Cli.run("hashset", "import", list.toString(), "--db", db.toString(), "--name", "lab",
                "--replace", "--category", "B");
        assertTrue(third.out().contains("nothing to do"), third.toString());
        // Without --replace a changed category is refused rather than silently ignored.
        Cli.Result noReplace = Cli.run("hashset", "import", list.toString(), "--db", db.toString(), "--name", "lab",
                "--category", "A");
        assertEquals(2, noReplace.code(), noReplace.toString());
        assertTrue(noReplace.err().contains("already exists"), noReplace.toString());
    }

    @Test
    void importIntoAMissingStoreSaysItCreatedOne() throws Exception {
        // Issue: a mistyped --db (/cases/hashez) silently made a new store.
        Path list = md5sumList("lab.md5", "one.jpg");
        Path typo = tmp.resolve("hashez");
        Cli.Result r = Cli.run("hashset", "import", list.toString(), "--db", typo.toString(), "--name", "lab");
        assertEquals(0, r.code(), r.toString());
        assertEquals(1, r.err().lines().filter(l -> l.contains("created a new, empty store at " + typo.toAbsolutePath())).count(),
                r.toString());
        Cli.Result second = Cli.run("hashset", "import", md5sumList("b.md5", "two.jpg").toString(), "--db", typo.toString(),
                "--name", "other");
        assertEquals(0, second.code(), second.toString());
        assertFalse(second.err().contains("created"), "an existing store is not new: " + second);
    }

    @Test
    void theSameFileUnderASecondNameIsAcceptedWithAWarningNamingTheFirst() throws Exception {
        Path list = md5sumList("lab.md5", "one.jpg");
        assertEquals(0, Cli.run("hashset", "import", list.toString(), "--db", db.toString(), "--name", "lab").code());
        Cli.Result r = Cli.run("hashset", "import", list.toString(), "--db", db.toString(), "--name", "lab-copy");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.err().contains("warning") && r.err().contains("'lab'"), r.toString());
        String sha256 = run(tmp, "sha256sum", "lab.md5").split(" ")[0];
        assertTrue(r.err().contains(sha256), "names the file by its SHA-256: " + r);
    }

    @Test
    void infoShowsFilesAndDigests() throws Exception {
        // Issue: info said "entries: 4" for a VICS file of 2 Media (MD5 and SHA1 each).
        Path v = vics("two.json", 1, 1);
        Cli.Result imp = Cli.run("hashset", "import", v.toString(), "--db", db.toString(), "--name", "caid");
        assertEquals(0, imp.code(), imp.toString());
        assertTrue(imp.out().contains("2 files"), imp.out());
        Cli.Result info = Cli.run("hashset", "info", "--db", db.toString());
        assertTrue(info.out().contains("files: 2 "), info.out());
        assertTrue(info.out().contains("digests: 4 (md5 2, sha1 2)"), info.out());
    }

    @Test
    void vicsMediaWithoutCategoryAreRefusedIntoAnAlertSetUnlessSaidSo() throws Exception {
        // Issue: Media without Category became priority-raising alert entries, silently.
        Path v = vics("mixed.json", 1, null);
        Cli.Result r = Cli.run("hashset", "import", v.toString(), "--db", db.toString(), "--name", "seen");
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("1 of 2 Media have no Category"), r.toString());
        assertTrue(r.err().contains("--category") && r.err().contains("--allow-uncategorised"), r.toString());
        assertTrue(Cli.run("hashset", "info", "--db", db.toString()).out().contains("no sets"));

        Cli.Result allowed = Cli.run("hashset", "import", v.toString(), "--db", db.toString(), "--name", "seen",
                "--allow-uncategorised");
        assertEquals(0, allowed.code(), allowed.toString());
        Cli.Result categorised = Cli.run("hashset", "import", v.toString(), "--db", db.toString(), "--name", "graded",
                "--category", "0");
        assertEquals(0, categorised.code(), categorised.toString());
        String md5two = digest("md5sum", "two.jpg");
        assertTrue(tsv().contains("graded\talert\tmd5\t" + md5two + "\t0\n"), tsv());
        assertTrue(tsv().contains("seen\talert\tmd5\t" + md5two + "\t\n"), tsv());
        Cli.Result good = Cli.run("hashset", "import", v.toString(), "--db", db.toString(), "--name", "good",
                "--kind", "known-good");
        assertEquals(0, good.code(), "a known-good set needs no category: " + good);
    }

    @Test
    void hashdeepExportIsReadByHashdeepItself() throws Exception {
        // Issue: `hashdeep -m -k exported.txt ...` failed, rc 64: "Invalid sha256 hash in line 5".
        Path v = vics("caid.json", 1, 2);
        assertEquals(0, Cli.run("hashset", "import", v.toString(), "--db", db.toString(), "--name", "caid").code());
        Path out = tmp.resolve("caid.hashdeep");
        Cli.Result ex = Cli.run("hashset", "export", "--db", db.toString(), "--name", "caid", "--format", "hashdeep",
                "-o", out.toString());
        assertEquals(0, ex.code(), ex.toString());
        Hashdeep hd = hashdeep(out, "one.jpg", "two.jpg", "three.txt");
        assertEquals(0, hd.code, hd.toString());
        assertEquals(List.of("one.jpg", "two.jpg"), hd.matched(), hd.toString());

        // A plain list has digests without sizes and without any link between algorithms: one column
        // is written, the rest is named on stderr, and hashdeep still reads the file.
        Path mixed = tmp.resolve("mixed.txt");
        Files.writeString(mixed, digest("md5sum", "one.jpg") + "\n" + digest("md5sum", "two.jpg") + "\n"
                + digest("sha256sum", "one.jpg") + "\n");
        assertEquals(0, Cli.run("hashset", "import", mixed.toString(), "--db", db.toString(), "--name", "plain").code());
        Path out2 = tmp.resolve("plain.hashdeep");
        Cli.Result ex2 = Cli.run("hashset", "export", "--db", db.toString(), "--name", "plain", "--format", "hashdeep",
                "-o", out2.toString());
        assertEquals(0, ex2.code(), ex2.toString());
        assertTrue(ex2.err().contains("1 sha256 digest") && ex2.err().contains("left out"), ex2.toString());
        Hashdeep hd2 = hashdeep(out2, "one.jpg");
        // hashdeep's return value is a bit set: 64 is a file it cannot use; 1 "known hashes not
        // matched", which is all it can say without sizes (it calls the file a hash collision).
        assertEquals(0, hd2.code & 64, hd2.toString());
        assertFalse(hd2.err.contains("Invalid"), hd2.toString());
        assertTrue(hd2.err.contains("one.jpg: Hash collision"), "hashdeep loaded the digests: " + hd2);
    }

    record Hashdeep(int code, String out, String err) {
        List<String> matched() {
            return out.lines().map(l -> Path.of(l).getFileName().toString()).sorted().toList();
        }
    }

    private Hashdeep hashdeep(Path known, String... of) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("hashdeep", "-m", "-k", known.toString()));
        cmd.addAll(List.of(of));
        Process p = new ProcessBuilder(cmd).directory(evidence.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(1, TimeUnit.MINUTES));
        return new Hashdeep(p.exitValue(), out, err);
    }
}
