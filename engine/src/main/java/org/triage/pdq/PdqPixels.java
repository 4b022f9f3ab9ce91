package org.triage.pdq;

/**
 * A decoded picture as the hasher reads it: 8-bit channels in a byte raster, rows top to bottom,
 * stored as decoded (no EXIF rotation). The raster is borrowed, not copied: the caller keeps it
 * unchanged until the hash returns.
 *
 * @param data      the raster
 * @param offset    index of the first byte of the top-left pixel
 * @param width     pixels per row
 * @param height    rows
 * @param rowStride bytes from the start of one row to the start of the next
 * @param layout    where the channels lie within a pixel
 */
public record PdqPixels(byte[] data, int offset, int width, int height, int rowStride, PixelLayout layout) {
    public PdqPixels {
        if (data == null) throw new IllegalArgumentException("pixel data is null");
        if (layout == null) throw new IllegalArgumentException("pixel layout is null");
        if (width < 1 || height < 1) throw new IllegalArgumentException("picture size " + width + "x" + height + " is empty");
        if (offset < 0) throw new IllegalArgumentException("offset " + offset + " is negative");
        long rowBytes = (long) width * layout.pixelStride();
        if (rowStride < rowBytes) {
            throw new IllegalArgumentException("row stride " + rowStride + " is shorter than a row of " + width + " pixels ("
                    + rowBytes + " bytes)");
        }
        long end = offset + (long) (height - 1) * rowStride + rowBytes;
        if (end > data.length) {
            throw new IllegalArgumentException(width + "x" + height + " pixels of " + layout.pixelStride() + " bytes from offset "
                    + offset + " with row stride " + rowStride + " need " + end + " bytes; the raster has " + data.length);
        }
    }

    /** Rows packed one after another from the start of {@code data}. */
    public static PdqPixels packed(byte[] data, int width, int height, PixelLayout layout) {
        return new PdqPixels(data, 0, width, height, Math.multiplyExact(width, layout.pixelStride()), layout);
    }
}
