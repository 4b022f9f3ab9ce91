package org.triage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code triage hashset import --format pdq}: imported, listed with its PDQ count, a bad line refused with file:line. */
class HashsetPdqCliTest {
    private static final String A = "f".repeat(16) + "0".repeat(48);
    private static final String B = "0123456789abcdef".repeat(4);
    private static final String C = "8".repeat(64);

    @TempDir
    Path tmp;

    @Test
    void importsAPdqListAndInfoCountsIt() throws Exception {
        Path list = tmp.resolve("known.pdq");
        Files.writeString(list, "# from pdq-photo-hasher\n" + A + ",100\n" + B + ",87,1\n" + C + ",,2\n" + A + ",100\n",
                StandardCharsets.US_ASCII);
        Path db = tmp.resolve("db");
        Cli.Result r = Cli.run("hashset", "import", list.toString(), "--db", db.toString(), "--name", "pdq-known",
                "--format", "pdq");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("pdq 3"), r.out());
        assertTrue(r.out().contains("1 duplicates"), r.out());
        Cli.Result info = Cli.run("hashset", "info", "--db", db.toString());
        assertEquals(0, info.code(), info.err());
        assertTrue(info.out().contains("pdq 3"), info.out());
        assertTrue(info.out().contains("format: pdq"), info.out());
    }

    @Test
    void aBadLineIsRefusedWithFileAndLineAndTheStoreHasNoSet() throws Exception {
        Path list = tmp.resolve("bad.pdq");
        Files.writeString(list, A + ",100\n" + B + ",1000\n", StandardCharsets.US_ASCII);
        Path db = tmp.resolve("db");
        Cli.Result r = Cli.run("hashset", "import", list.toString(), "--db", db.toString(), "--name", "p", "--format", "pdq");
        assertEquals(ExitCodes.USAGE, r.code(), r.out());
        assertTrue(r.err().contains("bad.pdq:2"), r.err());
        assertTrue(r.err().contains("quality"), r.err());
        Cli.Result info = Cli.run("hashset", "info", "--db", db.toString());
        assertTrue(info.out().contains("no sets"), info.out());
    }

    @Test
    void helpListsThePdqFormat() {
        Cli.Result r = Cli.run("hashset", "import", "--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("plain or pdq"), r.out());
        assertTrue(r.out().contains("hash[,quality][,category]"), r.out());
    }
}
