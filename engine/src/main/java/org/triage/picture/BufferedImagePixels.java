package org.triage.picture;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;
import java.awt.image.SampleModel;
import org.triage.pdq.PdqHasher;
import org.triage.pdq.PdqPixels;
import org.triage.pdq.PixelLayout;

/**
 * The pixels PDQ reads of an ImageIO picture, taken as ImageMagick (the reference's decoder) hands
 * them over: samples as stored, never through Java's colour model conversions (a grey
 * {@link ComponentColorModel} would turn grey levels into sRGB ones), alpha dropped.
 *
 * <p>An 8-bit interleaved RGB or grey raster is read in place. Anything else (palettes, 16-bit
 * samples, packed bits, CMYK, packed ints) is converted at the points the hasher reads: every
 * pixel of a picture up to 512 x 512, else the 512 x 512 nearest-neighbour sample the hasher would
 * take, into a buffer this object keeps.
 *
 * <p>One owner, one thread; the pixels returned are valid until the next call.
 */
final class BufferedImagePixels {
    private static final int SIDE = PdqHasher.SAMPLED_SIZE;
    private final byte[] rgb = new byte[SIDE * SIDE * 3];
    private int[] px = new int[4];

    PdqPixels of(BufferedImage image) {
        Raster raster = image.getRaster();
        ColorModel cm = image.getColorModel();
        SampleModel sm = raster.getSampleModel();
        int colourType = cm.getColorSpace().getType();
        boolean eightBit = true;
        for (int bits : sm.getSampleSize()) eightBit &= bits == 8;
        if (cm instanceof ComponentColorModel && sm instanceof PixelInterleavedSampleModel pism && eightBit
                && raster.getDataBuffer() instanceof DataBufferByte db && raster.getParent() == null
                && raster.getSampleModelTranslateX() == 0 && raster.getSampleModelTranslateY() == 0
                && (colourType == ColorSpace.TYPE_RGB || colourType == ColorSpace.TYPE_GRAY)) {
            int[] band = pism.getBandOffsets();
            PixelLayout layout = colourType == ColorSpace.TYPE_GRAY
                    ? new PixelLayout(pism.getPixelStride(), band[0], band[0], band[0])
                    : new PixelLayout(pism.getPixelStride(), band[0], band[1], band[2]);
            return new PdqPixels(db.getData(), db.getOffset(), image.getWidth(), image.getHeight(),
                    pism.getScanlineStride(), layout);
        }
        return converted(image.getWidth(), image.getHeight(), raster, cm, colourType);
    }

    private PdqPixels converted(int w, int h, Raster raster, ColorModel cm, int colourType) {
        boolean sampled = w > SIDE || h > SIDE;
        int cols = sampled ? SIDE : w;
        int rows = sampled ? SIDE : h;
        if (px.length < raster.getNumBands()) px = new int[raster.getNumBands()];
        int[] bits = raster.getSampleModel().getSampleSize();
        int minX = raster.getMinX();
        int minY = raster.getMinY();
        int o = 0;
        for (int y = 0; y < rows; y++) {
            int sy = sampled ? (int) ((long) y * h / SIDE) : y;
            for (int x = 0; x < cols; x++) {
                int sx = sampled ? (int) ((long) x * w / SIDE) : x;
                raster.getPixel(minX + sx, minY + sy, px);
                int r;
                int g;
                int b;
                if (cm instanceof IndexColorModel icm) {
                    r = icm.getRed(px[0]);
                    g = icm.getGreen(px[0]);
                    b = icm.getBlue(px[0]);
                } else if (colourType == ColorSpace.TYPE_CMYK) {
                    // a CMYK TIFF's ink as stored: red = (1 - C)(1 - K), as ImageMagick converts it
                    int k = 255 - eight(px[3], bits[3]);
                    r = ((255 - eight(px[0], bits[0])) * k + 127) / 255;
                    g = ((255 - eight(px[1], bits[1])) * k + 127) / 255;
                    b = ((255 - eight(px[2], bits[2])) * k + 127) / 255;
                } else if (colourType == ColorSpace.TYPE_GRAY || raster.getNumBands() < 3) {
                    r = g = b = eight(px[0], bits[0]);
                } else {
                    r = eight(px[0], bits[0]);
                    g = eight(px[1], bits[1]);
                    b = eight(px[2], bits[2]);
                }
                rgb[o++] = (byte) r;
                rgb[o++] = (byte) g;
                rgb[o++] = (byte) b;
            }
        }
        return PdqPixels.packed(rgb, cols, rows, PixelLayout.RGB);
    }

    /**
     * A sample of {@code bits} bits as 8 bits, as ImageMagick scales it: exact for 1, 2 and 4 bits;
     * 16 bits by its {@code ScaleQuantumToChar}, which rounds.
     */
    static int eight(int sample, int bits) {
        if (bits == 8) return sample;
        if (bits == 16) return ((sample + 128) - ((sample + 128) >> 8)) >> 8;
        if (bits > 8) return sample >> (bits - 8);
        return sample * 255 / ((1 << bits) - 1);
    }
}
