package org.triage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.triage.model.PictureHash;

/**
 * {@code triage hashset pdq FILE|DIR...}: a lab's own known pictures to a PDQ list, judged by
 * {@link MagickPdqOracle}; the list imports with {@code --format pdq}, and what cannot be hashed is
 * named on stderr (exit 3) while the rest is still printed.
 */
class HashsetPdqHashCliTest {
    @TempDir
    Path tmp;

    @Test
    void printsHashAndQualityOfEveryPictureAndTheListImports() throws Exception {
        Path known = Files.createDirectories(tmp.resolve("known/sub"));
        Cli.exec(known, MagickPdqOracle.CONVERT, "-size", "500x400", "-seed", "5", "plasma:fractal", "-quality", "90", "a.jpg");
        Cli.exec(known, MagickPdqOracle.CONVERT, "-size", "420x380", "-seed", "6", "plasma:fractal", "b.png");
        Files.writeString(known.resolve("readme.txt"), "not a picture\n");
        Path single = tmp.resolve("single.png");
        Cli.exec(tmp, MagickPdqOracle.CONVERT, "-size", "400x400", "-seed", "7", "plasma:fractal", single.toString());

        Cli.Result r = Cli.run("hashset", "pdq", tmp.resolve("known").toString(), single.toString());
        assertEquals(ExitCodes.INCOMPLETE, r.code(), r.toString());
        assertTrue(r.err().contains("readme.txt"), r.err());
        StringBuilder expected = new StringBuilder();
        for (Path p : List.of(known.resolve("a.jpg"), known.resolve("b.png"), single)) {
            PictureHash h = MagickPdqOracle.hash(p, tmp);
            expected.append(h.hash().hex()).append(',').append(h.quality()).append('\n');
        }
        assertEquals(expected.toString(), r.out());

        Path list = Files.writeString(tmp.resolve("known.pdq"), r.out());
        Cli.Result imported = Cli.importSet(list, tmp.resolve("db"), "lab-pdq", "--format", "pdq", "--category", "A");
        assertTrue(imported.out().contains("pdq 3"), imported.out());

        Cli.Result missing = Cli.run("hashset", "pdq", tmp.resolve("nowhere").toString());
        assertEquals(ExitCodes.USAGE, missing.code(), missing.toString());
        assertTrue(missing.err().contains("nowhere"), missing.err());
        assertTrue(Cli.run("hashset", "--help").out().contains("pdq"));
    }
}
