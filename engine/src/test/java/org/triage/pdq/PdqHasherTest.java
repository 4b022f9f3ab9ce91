package org.triage.pdq;

import org.triage.model.PdqHash;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The hasher's reading of pixels, on generated pictures: each test compares two rasters that the
 * reference, reading them through ImageMagick, would hash alike (or not), down to the float
 * coefficients, since the hash bits hardly ever show a difference in the last bit of a float.
 */
class PdqHasherTest {
    private final PdqHasher hasher = new PdqHasher();

    @Test
    void everyLayoutOfTheSamePixelsGivesTheSameCoefficients() {
        Random random = new Random(5);
        int w = 301, h = 207;
        byte[] rgb = new byte[w * h * 3];
        random.nextBytes(rgb);
        float[] want = coefficients(PdqPixels.packed(rgb, w, h, PixelLayout.RGB));
        for (PixelLayout layout : new PixelLayout[] {PixelLayout.BGR, PixelLayout.RGBA, PixelLayout.BGRA, PixelLayout.ARGB,
                PixelLayout.ABGR}) {
            int offset = 7;
            int rowStride = w * layout.pixelStride() + 5; // padded rows
            byte[] data = new byte[offset + h * rowStride];
            random.nextBytes(data); // padding and alpha hold noise, which must not count
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int at = offset + y * rowStride + x * layout.pixelStride();
                    int src = (y * w + x) * 3;
                    data[at + layout.red()] = rgb[src];
                    data[at + layout.green()] = rgb[src + 1];
                    data[at + layout.blue()] = rgb[src + 2];
                }
            }
            assertArrayEquals(want, coefficients(new PdqPixels(data, offset, w, h, rowStride, layout)), layout.toString());
        }
    }

    /**
     * ImageMagick hands the reference a one-channel PGM for a picture whose every pixel is grey, and
     * the reference then takes the grey level itself; 0.299 v + 0.587 v + 0.114 v in float is not v
     * for 35 of the 256 levels.
     */
    @Test
    void anAllGreyColourRasterIsHashedAsGrey() {
        for (int[] size : new int[][] {{300, 200}, {1000, 800}}) { // as is, and sampled down to 512x512
            int w = size[0], h = size[1];
            byte[] grey = greyLevels(w, h, new Random(w));
            float[] asGrey = coefficients(PdqPixels.packed(grey, w, h, PixelLayout.GREY));
            byte[] rgb = asRgb(grey);
            assertArrayEquals(asGrey, coefficients(PdqPixels.packed(rgb, w, h, PixelLayout.RGB)), w + "x" + h);
        }
    }

    /** A single coloured pixel makes the picture colour, even one the 512x512 sampling skips. */
    @Test
    void oneColouredPixelAnywhereMakesItColour() {
        int w = 1000, h = 800;
        byte[] grey = greyLevels(w, h, new Random(3));
        float[] asGrey = coefficients(PdqPixels.packed(grey, w, h, PixelLayout.GREY));
        // column 2 and row 2 are not sampled: the sampled columns are floor(x * 1000 / 512) = 0, 1, 3, ...
        byte[] tinted = asRgb(grey);
        int at = (2 * w + 2) * 3;
        tinted[at] = 10;
        tinted[at + 1] = 20;
        tinted[at + 2] = 30;
        float[] colour = coefficients(PdqPixels.packed(tinted, w, h, PixelLayout.RGB));
        assertFalse(java.util.Arrays.equals(asGrey, colour), "taken as colour, the luminance is the three-term sum");
        tinted[at] = (byte) 200;
        assertArrayEquals(colour, coefficients(PdqPixels.packed(tinted, w, h, PixelLayout.RGB)),
                "the pixel itself is not sampled, so its colour does not matter, only that it has one");
    }

    @Test
    void picturesUnderFivePixelsASideHashToZeroAtQualityZero() {
        byte[] noise = new byte[4 * 300];
        new Random(9).nextBytes(noise);
        PdqResult narrow = hasher.hash(PdqPixels.packed(noise, 4, 300, PixelLayout.GREY));
        assertEquals(new PdqResult(new PdqHash(0, 0, 0, 0), 0), narrow);
        PdqDihedralResult all = hasher.hashDihedral(PdqPixels.packed(noise, 300, 4, PixelLayout.GREY));
        for (Dihedral d : Dihedral.values()) assertEquals(new PdqHash(0, 0, 0, 0), all.hash(d), d.toString());
        assertEquals(0, all.quality());
        // over 512 on the other side, it is sampled to 512x512 first and hashed like any picture
        byte[] tall = new byte[4 * 600];
        new Random(10).nextBytes(tall);
        assertNotEquals(new PdqHash(0, 0, 0, 0), hasher.hash(PdqPixels.packed(tall, 4, 600, PixelLayout.GREY)).hash());
    }

    @Test
    void theDihedralOriginalIsTheSingleHash() {
        Random random = new Random(11);
        for (int n = 0; n < 5; n++) {
            int w = 5 + random.nextInt(900), h = 5 + random.nextInt(900);
            byte[] rgb = new byte[w * h * 3];
            random.nextBytes(rgb);
            PdqPixels p = PdqPixels.packed(rgb, w, h, PixelLayout.RGB);
            PdqResult single = hasher.hash(p);
            PdqDihedralResult all = hasher.hashDihedral(p);
            assertEquals(single.hash(), all.hash(Dihedral.ORIGINAL), w + "x" + h);
            assertEquals(single.quality(), all.quality(), w + "x" + h);
        }
    }

    private float[] coefficients(PdqPixels p) {
        float[] out = new float[256];
        hasher.coefficients(p, out);
        return out;
    }

    /** Every level, many times over (so the 35 levels the float sum misses are among the sampled pixels too). */
    private static byte[] greyLevels(int w, int h, Random random) {
        byte[] grey = new byte[w * h];
        random.nextBytes(grey);
        return grey;
    }

    private static byte[] asRgb(byte[] grey) {
        byte[] rgb = new byte[grey.length * 3];
        for (int i = 0; i < grey.length; i++) rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = grey[i];
        return rgb;
    }
}
