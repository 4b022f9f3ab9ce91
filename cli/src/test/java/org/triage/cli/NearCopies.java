package org.triage.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.triage.model.PictureHash;

/**
 * Known pictures and their near copies for the PDQ command-line tests, all made by ImageMagick:
 * photo-like originals (fractal plasma, softened: PDQ quality 50 or over) and a flat grey one
 * (quality under 50); copies planted in evidence folders by {@code convert} (re-encoded, resized,
 * cropped...); and the oracle's hash ({@link MagickPdqOracle}) of every original and every copy,
 * against which the tests judge the scan's and the re-match's distances.
 *
 * <p>Two evidence folders come planted: {@link #evidence} with three copies of each photo
 * ({@link #plantThree}), the first photo's pixels in another format (a BMP: PDQ distance 0, bytes
 * no digest knows) and a text file; {@link #flatEvidence} with a copy of the flat picture. A test
 * plants more with {@link #plant}.
 *
 * <p>Not thread-safe: built in a test class's {@code @BeforeAll}, read by its tests.
 */
final class NearCopies {
    /** The known originals by name ({@code photo0}, ..., {@code flat}), in the order they were made. */
    final Map<String, PictureHash> known = new LinkedHashMap<>();
    /** Every planted copy by its path under its evidence folder. */
    final Map<String, PictureHash> copies = new TreeMap<>();
    final Path evidence;
    final Path flatEvidence;
    private final Map<String, String> originalOf = new TreeMap<>();
    private final Path originals;
    private final Path scratch;

    private NearCopies(Path tmp) throws IOException {
        this.originals = Files.createDirectories(tmp.resolve("originals"));
        this.evidence = Files.createDirectories(tmp.resolve("evidence"));
        this.flatEvidence = Files.createDirectories(tmp.resolve("flat-evidence"));
        this.scratch = tmp;
    }

    /**
     * {@code photos} photo-like originals, {@code photo0} of seed {@code firstSeed} and so on, each
     * a little larger than the last, and {@code flat}; made in {@code tmp/originals}, with the
     * evidence folders {@code tmp/evidence} and {@code tmp/flat-evidence} planted.
     */
    static NearCopies make(Path tmp, int photos, int firstSeed) throws Exception {
        NearCopies c = new NearCopies(tmp);
        for (int i = 0; i < photos; i++) {
            Cli.exec(c.originals, MagickPdqOracle.CONVERT, "-size", (480 + 80 * i) + "x" + (400 + 60 * i), "-seed",
                    Integer.toString(firstSeed + i), "plasma:fractal", "-blur", "0x1", "-depth", "8", "photo" + i + ".png");
        }
        Cli.exec(c.originals, MagickPdqOracle.CONVERT, "-size", "400x400", "xc:gray50", "-depth", "8", "flat.png");
        for (int i = 0; i < photos; i++) c.known.put("photo" + i, MagickPdqOracle.hash(c.original("photo" + i), tmp));
        c.known.put("flat", MagickPdqOracle.hash(c.original("flat"), tmp));
        for (int i = 0; i < photos; i++) c.plantThree(c.evidence, i);
        c.plant(c.evidence, "photo0", "Downloads/same_pixels.bmp");
        Files.writeString(c.evidence.resolve("notes.txt"), "not a picture\n");
        c.plant(c.flatEvidence, "flat", "flat_copy.jpg", "-quality", "70");
        return c;
    }

    /** The original's file ({@code originals/NAME.png}). */
    Path original(String name) {
        return originals.resolve(name + ".png");
    }

    /** {@code convert ORIGINAL OPTIONS... root/rel}, and the oracle's hash of the result. */
    void plant(Path root, String original, String rel, String... options) throws Exception {
        Path target = root.resolve(rel);
        Files.createDirectories(target.getParent());
        List<String> cmd = new ArrayList<>(List.of(MagickPdqOracle.CONVERT, original(original).toString()));
        cmd.addAll(List.of(options));
        cmd.add(target.toString());
        Cli.exec(root, cmd.toArray(String[]::new));
        copies.put(rel, MagickPdqOracle.hash(target, scratch));
        originalOf.put(rel, original);
    }

    /** Three copies of {@code photoI}: JPEG at quality 70, half size, cropped by a pixel. */
    void plantThree(Path root, int i) throws Exception {
        String photo = "photo" + i;
        plant(root, photo, "DCIM/IMG_" + i + "_q70.jpg", "-quality", "70");
        plant(root, photo, "Pictures/half_" + i + ".jpg", "-resize", "50%", "-quality", "90");
        plant(root, photo, "Downloads/crop_" + i + ".png", "-crop", "+1+1", "+repage");
    }

    /** The oracle's hash of the copy's known original. */
    PictureHash originalOf(String copy) {
        return known.get(originalOf.get(copy));
    }

    /** The oracle's PDQ distance between the copy and its known original. */
    int distance(String copy) {
        return copies.get(copy).hash().distance(originalOf(copy).hash());
    }

    /** A PDQ list ({@code hash,quality,category}) of the known originals' oracle hashes, category A. */
    String pdqList() {
        StringBuilder s = new StringBuilder();
        for (PictureHash h : known.values()) s.append(h.hash().hex()).append(',').append(h.quality()).append(",A\n");
        return s.toString();
    }
}
