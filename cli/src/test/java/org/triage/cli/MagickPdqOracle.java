package org.triage.cli;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.triage.Triage;
import org.triage.model.PictureHash;

/**
 * The PDQ oracle of the command-line tests: ImageMagick decodes the picture (as ThreatExchange's
 * C++ reference does: it runs {@code convert FILE pnm:-}), its pixels go into a lossless PNG, and
 * the engine hashes that PNG. A PNG's pixels are the same whoever decodes it, so the decoding is
 * ImageMagick's, not the scan's JPEG decoder; {@code PdqNearMatchCliTest.theOracleIsTheReference}
 * shows the chain gives the C++ reference's hash of a JPEG vector bit for bit.
 *
 * <p>Debian's {@code /usr/bin/convert} is named in full: a {@code convert} earlier on the PATH may
 * be something else.
 */
final class MagickPdqOracle {
    static final String CONVERT = "/usr/bin/convert";

    private MagickPdqOracle() {
    }

    /**
     * The oracle's PDQ of {@code picture}, using {@code scratch} for the PNG.
     *
     * @throws IOException when ImageMagick reads no picture in the file
     */
    static PictureHash hash(Path picture, Path scratch) throws IOException, InterruptedException {
        Path png = Files.createTempFile(scratch, "oracle-", ".png");
        try {
            Cli.exec(scratch, CONVERT, picture.toString(), "-depth", "8", "png24:" + png);
            PictureHash h = Triage.pdqOf(png);
            assertNotNull(h.hash(), picture + ": " + h.error());
            return h;
        } finally {
            Files.delete(png);
        }
    }
}
