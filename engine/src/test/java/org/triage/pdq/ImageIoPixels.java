package org.triage.pdq;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;
import java.awt.image.SampleModel;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Pictures decoded by the JDK's ImageIO, for the tests (the scan's decoder is chosen later, issue 12
 * item 2). Samples are taken as stored, never through the colour model's conversions: a grey
 * {@link ComponentColorModel} would turn grey levels into sRGB ones, which ImageMagick (the
 * reference's decoder) does not do.
 */
final class ImageIoPixels {
    private ImageIoPixels() {
    }

    static PdqPixels decode(Path file) throws IOException {
        BufferedImage image = ImageIO.read(file.toFile());
        if (image == null) throw new IOException(file + ": no ImageIO reader for this format");
        return pixels(image);
    }

    static PdqPixels pixels(BufferedImage image) {
        Raster raster = image.getRaster();
        ColorModel cm = image.getColorModel();
        SampleModel sm = raster.getSampleModel();
        int colourType = cm.getColorSpace().getType();
        boolean eightBit = true;
        for (int bits : sm.getSampleSize()) eightBit &= bits == 8;
        if (cm instanceof ComponentColorModel && sm instanceof PixelInterleavedSampleModel pism && eightBit
                && raster.getDataBuffer() instanceof DataBufferByte db && raster.getParent() == null
                && (colourType == ColorSpace.TYPE_RGB || colourType == ColorSpace.TYPE_GRAY)) {
            // the decoder's own raster, read in place
            int[] band = pism.getBandOffsets();
            PixelLayout layout = colourType == ColorSpace.TYPE_GRAY
                    ? new PixelLayout(pism.getPixelStride(), band[0], band[0], band[0])
                    : new PixelLayout(pism.getPixelStride(), band[0], band[1], band[2]);
            return new PdqPixels(db.getData(), db.getOffset(), image.getWidth(), image.getHeight(),
                    pism.getScanlineStride(), layout);
        }
        return copied(image, raster, cm, colourType);
    }

    /** Palettes, packed bits and CMYK, one pixel at a time into an RGB raster. */
    private static PdqPixels copied(BufferedImage image, Raster raster, ColorModel cm, int colourType) {
        int w = image.getWidth();
        int h = image.getHeight();
        byte[] rgb = new byte[w * h * 3];
        int[] px = new int[raster.getNumBands()];
        int[] bits = raster.getSampleModel().getSampleSize();
        for (int y = 0, o = 0; y < h; y++) {
            for (int x = 0; x < w; x++, o += 3) {
                raster.getPixel(x, y, px);
                int r, g, b;
                if (cm instanceof IndexColorModel icm) {
                    r = icm.getRed(px[0]);
                    g = icm.getGreen(px[0]);
                    b = icm.getBlue(px[0]);
                } else if (colourType == ColorSpace.TYPE_CMYK) {
                    // as ImageMagick turns CMYK into sRGB for a PPM: (1 - C)(1 - K)
                    int k = 255 - eight(px[3], bits[3]);
                    r = (255 - eight(px[0], bits[0])) * k / 255;
                    g = (255 - eight(px[1], bits[1])) * k / 255;
                    b = (255 - eight(px[2], bits[2])) * k / 255;
                } else if (colourType == ColorSpace.TYPE_GRAY) {
                    r = g = b = eight(px[0], bits[0]);
                } else {
                    r = eight(px[0], bits[0]);
                    g = eight(px[1], bits[1]);
                    b = eight(px[2], bits[2]);
                }
                rgb[o] = (byte) r;
                rgb[o + 1] = (byte) g;
                rgb[o + 2] = (byte) b;
            }
        }
        return PdqPixels.packed(rgb, w, h, PixelLayout.RGB);
    }

    /** A sample of {@code bits} bits scaled to 0-255. */
    private static int eight(int sample, int bits) {
        if (bits == 8) return sample;
        if (bits > 8) return sample >> (bits - 8);
        return sample * 255 / ((1 << bits) - 1);
    }
}
