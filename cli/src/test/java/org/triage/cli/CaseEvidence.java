package org.triage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * The evidence of the case-run tests, under a test's folder: a folder of files ({@code ev/laptop}),
 * a raw ext4 image ({@code ev/disk.img}, made by {@code mke2fs -d} from {@code imgsrc}), three known
 * pictures ({@code known/k1.jpg} to {@code k3.jpg}) that the test plants where it wants them, and a
 * store of md5sum's digests of the known pictures (set {@code caid}, alert, category A). The test
 * fills the folder and {@code imgsrc}, plants, then makes the image and the store, in that order.
 *
 * <p>Not thread-safe: one per test.
 */
final class CaseEvidence {
    final Path folder;
    /** What the image is made of: files put here before {@link #image} are in it. */
    final Path imageSource;
    private final Path dir;
    private final Path known;
    private Path image;
    private Path db;

    /** The folders, and the known pictures drawn from {@code rnd} (three draws of {@link DemoCorpus#picture}). */
    CaseEvidence(Path dir, Random rnd) throws IOException {
        this.dir = dir;
        this.folder = Files.createDirectories(dir.resolve("ev/laptop"));
        this.imageSource = Files.createDirectories(dir.resolve("imgsrc"));
        this.known = Files.createDirectories(dir.resolve("known"));
        for (int i = 1; i <= 3; i++) Files.write(known.resolve("k" + i + ".jpg"), DemoCorpus.picture(rnd, "jpg"));
    }

    /** Copies known picture {@code k} (1 to 3) to {@code target}, making its folders. */
    void plant(int k, Path target) throws IOException {
        Files.copy(known.resolve("k" + k + ".jpg"), Files.createDirectories(target.getParent()).resolve(target.getFileName()));
    }

    /** Makes the 16 MiB ext4 image of {@link #imageSource} (1 KiB blocks), and md5sum's list of the known pictures. */
    Path image() throws IOException, InterruptedException {
        image = dir.resolve("ev/disk.img");
        Cli.exec(dir, "bash", "-c", "export PATH=$PATH:/usr/sbin:/sbin; mke2fs -q -t ext4 -b 1024 -d imgsrc ev/disk.img 16M"
                + " && md5sum known/* > known.md5");
        return image;
    }

    /** The store of the known pictures' MD5s (after {@link #image}). */
    Path store() {
        db = dir.resolve("db");
        Cli.importSet(dir.resolve("known.md5"), db, "caid", "--kind", "alert", "--category", "A");
        return db;
    }

    /** A new case named {@code name} in the test's folder holding the folder and the image, on the store. */
    Path newCase(String name) {
        Path kase = dir.resolve(name);
        assertEquals(0, Cli.run("case", "create", kase.toString(), "--case", "C-" + name, "--examiner", "J. Smith", "--db",
                db.toString()).code());
        assertEquals(0, Cli.run("case", "add", kase.toString(), folder.toString(), image.toString()).code());
        return kase;
    }
}
