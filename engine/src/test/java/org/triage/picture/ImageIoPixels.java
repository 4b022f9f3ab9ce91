package org.triage.picture;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.triage.pdq.PdqPixels;

/**
 * Pictures decoded by the JDK's ImageIO for the PDQ reference tests, their pixels taken as the scan
 * takes them ({@link BufferedImagePixels}: samples as stored, as ImageMagick, the reference's
 * decoder, hands them over). Public for the tests of the {@code pdq} package.
 */
public final class ImageIoPixels {
    private ImageIoPixels() {
    }

    /** The file's pixels; a new buffer each call. */
    public static PdqPixels decode(Path file) throws IOException {
        BufferedImage image = ImageIO.read(file.toFile());
        if (image == null) throw new IOException(file + ": no ImageIO reader for this format");
        return new BufferedImagePixels().of(image);
    }
}
