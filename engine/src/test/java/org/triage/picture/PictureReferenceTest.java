package org.triage.picture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.triage.pdq.PdqHasher;
import org.triage.pdq.PdqResult;
import org.triage.pdq.ReferenceVectors;

/**
 * Every PDQ reference vector ({@code ../shared/pdq}) decoded the way a scan decodes it, through
 * {@link PictureDecoders} (not ImageMagick), hashed, and compared with what the C++ reference
 * printed: lossless pictures (PNG, WebP) bit for bit and at the same quality; JPEGs whose reference
 * quality is 80 or more within distance 10 (issue 12's limits). The JPEGs go through libjpeg-turbo
 * at a reduced DCT scale where they are large enough, so this is what holds the scaling to the
 * limits. Prints every distance and the scale it was decoded at.
 */
class PictureReferenceTest {
    private static final int JPEG_LIMIT = 10;
    private static final int JPEG_MIN_QUALITY = 80;
    private static ReferenceVectors vectors;

    @BeforeAll
    static void findVectors() throws Exception {
        vectors = ReferenceVectors.find();
        assumeTrue(vectors != null, "no shared/pdq/expected.tsv above " + Path.of("").toAbsolutePath() + "; skipping");
    }

    @Test
    void everyVectorThroughTheScansDecoderIsWithinTheIssuesLimits() throws Exception {
        PdqHasher hasher = new PdqHasher();
        List<String> failures = new ArrayList<>();
        int lossless = 0;
        int held = 0;
        int sumJpeg = 0;
        System.out.println("PDQ reference vectors through PictureDecoders.create()");
        System.out.printf("  %-46s %-5s %5s %4s  %7s  %s%n", "file", "fmt", "scale", "bits", "quality", "");
        try (PictureDecoder decoder = PictureDecoders.create()) {
            for (ReferenceVectors.Row row : vectors.rows()) {
                Path file = row.source(vectors.images());
                DecodedPicture picture = decoder.decode(ByteBuffer.wrap(Files.readAllBytes(file)));
                PdqResult got = hasher.hash(picture.pixels());
                int distance = row.hash().distance(got.hash());
                int limit = row.jpeg() ? (row.quality() >= JPEG_MIN_QUALITY ? JPEG_LIMIT : -1) : 0;
                String verdict = "ok";
                if (limit < 0) {
                    verdict = "not held (reference quality < " + JPEG_MIN_QUALITY + ")";
                } else if (distance > limit || (limit == 0 && got.quality() != row.quality())) {
                    verdict = "FAIL (limit " + limit + ")";
                    failures.add(row.file() + ": distance " + distance + ", quality " + got.quality() + " (reference " + row.quality() + ")");
                }
                if (limit == 0) lossless++;
                if (limit > 0) {
                    held++;
                    sumJpeg += distance;
                }
                System.out.printf("  %-46s %-5s %5s %4d  %3d/%3d  %s%n", row.file(), picture.format(), "1/" + picture.scale(),
                        distance, got.quality(), row.quality(), verdict);
            }
        }
        System.out.printf("  JPEG vectors held to %d: %d, mean distance %.2f%n", JPEG_LIMIT, held, held == 0 ? 0.0 : (double) sumJpeg / held);
        assertEquals(16, lossless, "lossless rows in expected.tsv: 6 PNG, 5 WebP, the 5 WebP converted to PNG");
        assertEquals(List.of(), failures, "vectors beyond the limits");
    }
}
