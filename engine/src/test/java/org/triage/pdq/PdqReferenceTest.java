package org.triage.pdq;

import org.triage.model.PdqHash;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.triage.picture.ImageIoPixels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hasher against the C++ reference's own output on ThreatExchange's test pictures
 * ({@code ../shared/pdq}, see its README): the oracle is what {@code pdq-photo-hasher} printed, never
 * this code. Every test prints a table of the distances it saw.
 *
 * <p>Three ways in. Pictures decoded by ImageMagick as the reference decodes them must give the
 * reference's hash bit for bit and its quality: that checks the arithmetic alone, on all 48
 * vectors. Lossless files decoded by ImageIO must too (the same pixels by another decoder). JPEGs
 * decoded by ImageIO differ from libjpeg-turbo's pixels by rounding, so they are held to distance 10
 * where the reference's quality is 80 or more.
 */
class PdqReferenceTest {
    private static final int JPEG_LIMIT = 10;
    private static final int JPEG_MIN_QUALITY = 80;

    @TempDir
    static Path scratch;
    private static ReferenceVectors vectors;
    private final PdqHasher hasher = new PdqHasher();

    @BeforeAll
    static void findVectors() throws Exception {
        vectors = ReferenceVectors.find();
        assumeTrue(vectors != null, "no shared/pdq/expected.tsv above " + Path.of("").toAbsolutePath()
                + ": the PDQ reference vectors live beside the project, not in it; skipping");
    }

    @Test
    void everyVectorDecodedAsTheReferenceDecodesHashesBitForBit() throws Exception {
        Table table = new Table("ImageMagick's pixels (convert FILE pnm:-), as the reference reads them");
        for (ReferenceVectors.Row row : vectors.rows()) {
            PdqPixels pixels = MagickPixels.decode(row.source(vectors.images()), scratch);
            table.add(row, hasher.hash(pixels), 0);
        }
        table.print();
        table.assertAllWithin();
    }

    @Test
    void losslessVectorsThroughImageIoEqualTheReference() throws Exception {
        Table table = new Table("lossless pictures through ImageIO (WebP converted to PNG by ImageMagick first)");
        for (ReferenceVectors.Row row : vectors.rows()) {
            if (row.jpeg()) continue;
            Path source = row.source(vectors.images());
            Path png = source.toString().endsWith(".webp")
                    ? MagickPixels.convert(source, scratch.resolve(row.file() + ".png")) : source;
            table.add(row, hasher.hash(ImageIoPixels.decode(png)), 0);
        }
        table.print();
        assertEquals(16, table.rows.size(), "lossless rows in expected.tsv: 6 PNG, 5 WebP, the 5 WebP converted to PNG");
        table.assertAllWithin();
    }

    @Test
    void jpegVectorsThroughImageIoAreWithinTenBits() throws Exception {
        Table table = new Table("JPEG through ImageIO: within " + JPEG_LIMIT + " where the reference's quality >= "
                + JPEG_MIN_QUALITY);
        for (ReferenceVectors.Row row : vectors.rows()) {
            if (!row.jpeg()) continue;
            PdqResult got = hasher.hash(ImageIoPixels.decode(vectors.images().resolve(row.file())));
            table.add(row, got, row.quality() >= JPEG_MIN_QUALITY ? JPEG_LIMIT : -1);
        }
        table.print();
        table.assertAllWithin();
    }

    @Test
    void dihedralHashesOfALosslessCopyOfTheBridgeEqualTheReadmeList() throws Exception {
        assertEquals(8, vectors.bridgeDihedrals().size(), "eight dihedral hashes in " + vectors.dir().resolve("README.md"));
        Path png = MagickPixels.convert(vectors.images().resolve(ReferenceVectors.BRIDGE), scratch.resolve("bridge-1.png"));
        PdqDihedralResult got = hasher.hashDihedral(ImageIoPixels.decode(png));
        assertDihedrals("ImageMagick's pixels of " + ReferenceVectors.BRIDGE + " as PNG, through ImageIO", got, 0);
    }

    @Test
    void dihedralHashesOfTheBridgeJpegThroughImageIoAreWithinTenBits() throws Exception {
        PdqDihedralResult got = hasher.hashDihedral(ImageIoPixels.decode(vectors.images().resolve(ReferenceVectors.BRIDGE)));
        assertDihedrals(ReferenceVectors.BRIDGE + " through ImageIO", got, JPEG_LIMIT);
    }

    private static void assertDihedrals(String title, PdqDihedralResult got, int limit) {
        System.out.println("PDQ dihedral hashes, " + title + " (limit " + limit + ")");
        List<String> far = new ArrayList<>();
        for (Dihedral d : Dihedral.values()) {
            PdqHash want = vectors.bridgeDihedrals().get(d);
            int distance = want.distance(got.hash(d));
            System.out.printf("  %-12s %s  distance %3d%n", d, got.hash(d).hex(), distance);
            if (distance > limit) far.add(d + " at distance " + distance + ": got " + got.hash(d) + ", reference " + want);
        }
        assertEquals(List.of(), far, "dihedral hashes beyond distance " + limit);
        assertEquals(100, got.quality(), "the README's --details quality for the original");
    }

    /** The distances seen, printed as a table, then checked. */
    private static final class Table {
        private final String title;
        private final List<String> rows = new ArrayList<>();
        private final List<String> failures = new ArrayList<>();

        Table(String title) {
            this.title = title;
        }

        /** {@code limit} is the largest distance allowed, 0 for bit for bit (and the same quality), -1 for none. */
        void add(ReferenceVectors.Row row, PdqResult got, int limit) {
            int distance = row.hash().distance(got.hash());
            String verdict;
            if (limit < 0) {
                verdict = "not held (reference quality " + row.quality() + " < " + JPEG_MIN_QUALITY + ")";
            } else if (distance > limit || (limit == 0 && got.quality() != row.quality())) {
                verdict = "FAIL (limit " + limit + ")";
                failures.add(row.file() + ": distance " + distance + ", quality " + got.quality() + " (reference "
                        + row.quality() + "), got " + got.hash() + ", reference " + row.hash());
            } else {
                verdict = "ok";
            }
            rows.add(String.format("  %-46s %3d  %3d/%3d  %s", row.file(), distance, got.quality(), row.quality(), verdict));
        }

        void print() {
            System.out.println("PDQ reference vectors, " + title);
            System.out.printf("  %-46s %3s  %7s  %s%n", "file", "bits", "quality", "");
            rows.forEach(System.out::println);
        }

        void assertAllWithin() {
            assertEquals(List.of(), failures, title);
        }
    }
}
