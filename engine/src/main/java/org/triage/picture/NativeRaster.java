package org.triage.picture;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import org.triage.pdq.PdqHasher;
import org.triage.pdq.PdqPixels;
import org.triage.pdq.PixelLayout;

/**
 * A native decoder's output raster, and the pixels PDQ reads from it copied onto the heap.
 *
 * <p>Why sample here: the hasher reads a picture with a side over 512 at 512 x 512 points only
 * (nearest neighbour, {@code floor(i * size / 512)}), so those are the only pixels copied out of
 * native memory, with the same formula: the hash is the one the whole raster would give, the copy
 * is 768 KiB whatever the picture's size, and the heap never holds a raster that the
 * {@link PictureLimits#maxNativeBytes() native limit} let through. (One difference: the hasher
 * treats an RGB raster whose every pixel is grey as grey; here only the sampled pixels are seen,
 * which for a lossy picture changes nothing measurable.)
 *
 * <p>One owner, one thread; the pixels returned are valid until the next {@link #pixels} call.
 */
final class NativeRaster implements AutoCloseable {
    private static final int SIDE = PdqHasher.SAMPLED_SIZE;
    private static final long RETAINED = 32L << 20;

    /** What the native bytes of a pixel are. */
    enum Channels {
        GREY(1), BGR(3), RGB(3),
        /** libjpeg's CMYK samples as an Adobe JPEG stores them (inverted); converted as ImageMagick converts them. */
        INVERTED_CMYK(4);

        final int bytes;

        Channels(int bytes) {
            this.bytes = bytes;
        }
    }

    private Memory out;
    private byte[] row = new byte[0];
    private final byte[] sample = new byte[SIDE * SIDE * 3];
    private final int[] column = new int[SIDE];

    /** Native memory for a raster of {@code bytes}, this object's own, reused between pictures. */
    Pointer buffer(long bytes) {
        if (out == null || out.size() < bytes) {
            close();
            out = new Memory(Math.max(bytes, 1 << 20));
        }
        return out;
    }

    /** The pixels PDQ reads of a {@code width} x {@code height} raster at {@code from}, {@code pitch} bytes a row. */
    PdqPixels pixels(Pointer from, int width, int height, long pitch, Channels channels) {
        boolean sampled = width > SIDE || height > SIDE;
        int cols = sampled ? SIDE : width;
        int rows = sampled ? SIDE : height;
        int in = channels.bytes;
        int outBytes = channels == Channels.GREY ? 1 : 3;
        int rowBytes = Math.multiplyExact(width, in);
        if (row.length < rowBytes) row = new byte[rowBytes];
        for (int x = 0; x < cols; x++) column[x] = (sampled ? (int) ((long) x * width / SIDE) : x) * in;
        int at = 0;
        int lastY = -1;
        for (int y = 0; y < rows; y++) {
            int sy = sampled ? (int) ((long) y * height / SIDE) : y;
            if (sy != lastY) from.read(sy * pitch, row, 0, rowBytes);
            lastY = sy;
            switch (channels) {
                case GREY -> {
                    for (int x = 0; x < cols; x++) sample[at++] = row[column[x]];
                }
                case BGR, RGB -> {
                    for (int x = 0; x < cols; x++) {
                        int c = column[x];
                        sample[at++] = row[c];
                        sample[at++] = row[c + 1];
                        sample[at++] = row[c + 2];
                    }
                }
                case INVERTED_CMYK -> {
                    for (int x = 0; x < cols; x++) {
                        int c = column[x];
                        int k = row[c + 3] & 0xFF;
                        sample[at++] = cmyk(row[c], k);
                        sample[at++] = cmyk(row[c + 1], k);
                        sample[at++] = cmyk(row[c + 2], k);
                    }
                }
            }
        }
        PixelLayout layout = switch (channels) {
            case GREY -> PixelLayout.GREY;
            case BGR -> PixelLayout.BGR;
            case RGB, INVERTED_CMYK -> PixelLayout.RGB;
        };
        return new PdqPixels(sample, 0, cols, rows, cols * outBytes, layout);
    }

    /**
     * ImageMagick reads an Adobe CMYK JPEG's samples as inverted ink, {@code C = 255 - c}, and
     * writes red as {@code (255 - C)(255 - K) / 255}: so {@code c * k / 255}, rounded.
     */
    private static byte cmyk(byte ink, int k) {
        return (byte) (((ink & 0xFF) * k + 127) / 255);
    }

    /** Frees an unusually large raster once its pixels are copied out. */
    void trim() {
        if (out != null && out.size() > RETAINED) close();
    }

    @Override
    public void close() {
        if (out != null) out.close();
        out = null;
    }
}
