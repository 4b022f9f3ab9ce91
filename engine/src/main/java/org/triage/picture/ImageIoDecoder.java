package org.triage.picture;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.triage.pdq.PdqPixels;
import org.triage.pdq.PixelLayout;

/**
 * The JDK's own ImageIO readers (JPEG, PNG, GIF, BMP, TIFF, WBMP): the fallback every format the
 * faster decoders do not take comes to. Refuses a picture whose header claims more than
 * {@code maxPixels} before decoding a byte of it.
 */
public final class ImageIoDecoder implements PictureDecoder {
    private final long maxPixels;
    private byte[] raster = new byte[0];

    public ImageIoDecoder(long maxPixels) {
        if (maxPixels < 1) throw new IllegalArgumentException("pixel limit " + maxPixels + " is not positive");
        this.maxPixels = maxPixels;
    }

    @Override
    public DecodedPicture decode(ByteBuffer content) throws PictureException {
        byte[] bytes = new byte[content.remaining()];
        content.duplicate().get(bytes);
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) throw new PictureException("not a picture format ImageIO reads");
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                if ((long) width * height > maxPixels) {
                    throw new PictureException(width + "x" + height + " pixels is over the limit of " + maxPixels);
                }
                BufferedImage image = reader.read(0);
                return new DecodedPicture(pixels(image), reader.getFormatName().toUpperCase(java.util.Locale.ROOT),
                        width, height, 1);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            throw new PictureException("unreadable picture: " + e.getMessage(), e);
        }
    }

    /** The image's colour channels as packed BGR (or grey) bytes, alpha dropped unblended. */
    private PdqPixels pixels(BufferedImage image) {
        int width = image.getWidth();
        int height = image.getHeight();
        if (image.getType() == BufferedImage.TYPE_BYTE_GRAY) {
            return PdqPixels.packed(((DataBufferByte) image.getRaster().getDataBuffer()).getData(), width, height,
                    PixelLayout.GREY);
        }
        if (image.getType() == BufferedImage.TYPE_3BYTE_BGR) {
            return PdqPixels.packed(((DataBufferByte) image.getRaster().getDataBuffer()).getData(), width, height,
                    PixelLayout.BGR);
        }
        int need = Math.multiplyExact(Math.multiplyExact(width, height), 3);
        if (raster.length < need) raster = new byte[need];
        int[] row = new int[width];
        int at = 0;
        for (int y = 0; y < height; y++) {
            image.getRGB(0, y, width, 1, row, 0, width);
            for (int rgb : row) {
                raster[at++] = (byte) rgb;
                raster[at++] = (byte) (rgb >> 8);
                raster[at++] = (byte) (rgb >> 16);
            }
        }
        return PdqPixels.packed(raster, width, height, PixelLayout.BGR);
    }
}
