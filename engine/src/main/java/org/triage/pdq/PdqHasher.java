package org.triage.pdq;

import org.triage.model.PdqHash;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * PDQ, Meta's perceptual hash, computed as ThreatExchange's C++ reference computes it, bit for bit
 * on the same pixels. The steps, after the paper ({@code hashing.pdf}) and the reference's sources:
 * <ol>
 * <li>A picture with a side over 512 is first sampled to exactly 512x512, nearest neighbour, aspect
 * ignored (what the reference's CImg {@code resize(512, 512)} does: source index
 * {@code floor(x * size / 512)}). This bounds the work whatever the picture's size.
 * <li>Luminance {@code 0.299 R + 0.587 G + 0.114 B} in float, or the grey level itself for a grey
 * picture.
 * <li>The Jarosz tent filter and 64x64 decimation ({@link JaroszFilter}); the quality from the
 * 64x64's gradients.
 * <li>The 16x16 DCT and the median threshold ({@link Dct16}); for the dihedral variants, the eight
 * hashes from that one DCT.
 * </ol>
 *
 * <p>Grey pictures: the reference reads pixels through ImageMagick, which hands over a one-channel
 * PGM whenever every pixel has R = G = B, and the reference then takes the grey level as the
 * luminance. The three-term float sum does not give back the grey level exactly for 35 of the 256
 * levels, so a colour raster that happens to be all grey is hashed as grey here too. The check costs
 * nothing for a colour photo (it stops at the first coloured pixel among those sampled) and one pass
 * over the raster for a grey one that was sampled down.
 *
 * <p>Ownership and threading: one hasher per thread, reused for every picture; it holds about 2 MiB
 * of buffers, allocated once, and allocates only its small results per picture. The caller's pixels
 * are read, never kept or changed.
 */
public final class PdqHasher {
    /** Pictures with a side over this are sampled to this square first, as the reference does. */
    public static final int SAMPLED_SIZE = 512;
    /** The reference hashes nothing narrower: a zero hash of quality 0. */
    static final int MIN_SIDE = 5;
    private static final int GRID = 64;
    private static final float LUMA_R = 0.299f;
    private static final float LUMA_G = 0.587f;
    private static final float LUMA_B = 0.114f;
    private static final PdqHash ZERO = new PdqHash(0, 0, 0, 0);

    private final float[] luma = new float[SAMPLED_SIZE * SAMPLED_SIZE];
    private final float[] scratch = new float[SAMPLED_SIZE * SAMPLED_SIZE];
    private final int[] sourceColumn = new int[SAMPLED_SIZE];
    private final float[] grid = new float[GRID * GRID];
    private final float[] dct = new float[Dct16.N * Dct16.N];
    private final JaroszFilter filter = new JaroszFilter(SAMPLED_SIZE);
    private final Dct16 dct16 = new Dct16();
    private int rows;
    private int cols;

    /** The picture's hash and quality. */
    public PdqResult hash(PdqPixels pixels) {
        int quality = transform(pixels, true);
        if (quality < 0) return new PdqResult(ZERO, 0);
        return new PdqResult(dct16.bits(dct, Dihedral.ORIGINAL), quality);
    }

    /** The hashes of the picture's eight rotations and flips, from one DCT, and its quality. */
    public PdqDihedralResult hashDihedral(PdqPixels pixels) {
        int quality = transform(pixels, false);
        List<PdqHash> hashes = new ArrayList<>(Dihedral.values().length);
        for (Dihedral d : Dihedral.values()) hashes.add(quality < 0 ? ZERO : dct16.bits(dct, d));
        return new PdqDihedralResult(hashes, Math.max(quality, 0));
    }

    /**
     * The 16x16 DCT coefficients the hash is taken from, row-major, into {@code out}; returns the
     * quality, or -1 for a picture too small to hash. For tests that compare the float arithmetic
     * with the reference's, which hash bits alone hardly show.
     */
    int coefficients(PdqPixels pixels, float[] out) {
        int quality = transform(pixels, true);
        System.arraycopy(dct, 0, out, 0, dct.length);
        return quality;
    }

    /** Luminance, filter, quality and DCT into {@link #dct}; the quality, or -1 when a side is under {@value #MIN_SIDE}. */
    private int transform(PdqPixels pixels, boolean single) {
        loadLuminance(pixels);
        if (rows < MIN_SIDE || cols < MIN_SIDE) {
            Arrays.fill(dct, 0f);
            return -1;
        }
        if (single && rows == GRID && cols == GRID) {
            // The reference takes a 64x64 picture as already downsampled (its video path relies on
            // it) in the single hash, though not in the dihedral one; so must we.
            System.arraycopy(luma, 0, grid, 0, GRID * GRID);
        } else {
            downsample();
        }
        int quality = quality(grid);
        dct16.transform(grid, dct);
        return quality;
    }

    private void downsample() {
        filter.filter(luma, scratch, rows, cols, JaroszFilter.windowSize(cols, GRID), JaroszFilter.windowSize(rows, GRID));
        JaroszFilter.decimate(luma, rows, cols, grid, GRID, GRID);
    }

    /**
     * Fills {@link #luma} ({@link #rows} x {@link #cols}) from the picture, sampled to 512x512 when a
     * side is over 512.
     */
    private void loadLuminance(PdqPixels p) {
        int w = p.width();
        int h = p.height();
        boolean sampled = w > SAMPLED_SIZE || h > SAMPLED_SIZE;
        cols = sampled ? SAMPLED_SIZE : w;
        rows = sampled ? SAMPLED_SIZE : h;
        PixelLayout layout = p.layout();
        int stride = layout.pixelStride();
        for (int x = 0; x < cols; x++) {
            sourceColumn[x] = (sampled ? (int) ((long) x * w / SAMPLED_SIZE) : x) * stride;
        }
        if (layout.grey()) {
            loadGrey(p, layout.red(), sampled);
            return;
        }
        byte[] data = p.data();
        int red = layout.red();
        int green = layout.green();
        int blue = layout.blue();
        boolean allGrey = true;
        for (int y = 0; y < rows; y++) {
            int row = p.offset() + sourceRow(y, h, sampled) * p.rowStride();
            int o = y * cols;
            for (int x = 0; x < cols; x++) {
                int at = row + sourceColumn[x];
                int r = data[at + red] & 0xFF;
                int g = data[at + green] & 0xFF;
                int b = data[at + blue] & 0xFF;
                luma[o + x] = LUMA_R * r + LUMA_G * g + LUMA_B * b;
                allGrey &= r == g & g == b;
            }
        }
        if (allGrey && (!sampled || allGrey(p))) loadGrey(p, red, sampled);
    }

    private void loadGrey(PdqPixels p, int channel, boolean sampled) {
        byte[] data = p.data();
        for (int y = 0; y < rows; y++) {
            int row = p.offset() + sourceRow(y, p.height(), sampled) * p.rowStride() + channel;
            int o = y * cols;
            for (int x = 0; x < cols; x++) luma[o + x] = data[row + sourceColumn[x]] & 0xFF;
        }
    }

    private static int sourceRow(int y, int height, boolean sampled) {
        return sampled ? (int) ((long) y * height / SAMPLED_SIZE) : y;
    }

    /** Whether every pixel of the whole raster has R = G = B. */
    private static boolean allGrey(PdqPixels p) {
        byte[] data = p.data();
        PixelLayout layout = p.layout();
        int stride = layout.pixelStride();
        for (int y = 0; y < p.height(); y++) {
            int at = p.offset() + y * p.rowStride();
            for (int x = 0; x < p.width(); x++, at += stride) {
                byte r = data[at + layout.red()];
                if (r != data[at + layout.green()] || r != data[at + layout.blue()]) return false;
            }
        }
        return true;
    }

    /**
     * The reference's quality heuristic: the sum of the significant steps between neighbours of the
     * 64x64 grid, each truncated to whole hundredths of full scale, over 90, at most 100.
     */
    static int quality(float[] grid) {
        int sum = 0;
        for (int i = 0; i < GRID - 1; i++) {
            for (int j = 0; j < GRID; j++) {
                sum += step(grid[i * GRID + j], grid[(i + 1) * GRID + j]);
            }
        }
        for (int i = 0; i < GRID; i++) {
            for (int j = 0; j < GRID - 1; j++) {
                sum += step(grid[i * GRID + j], grid[i * GRID + j + 1]);
            }
        }
        return Math.min(sum / 90, 100);
    }

    private static int step(float u, float v) {
        return Math.abs((int) (((u - v) * 100) / 255));
    }
}
