package org.triage.picture;

/**
 * How much a decoder may take on for one picture, checked against the picture's header before any
 * pixel is decoded.
 *
 * @param maxPixels      pixels a header may claim; a picture claiming more is refused (a JPEG or
 *                       PNG header can claim 4 G pixels in a few dozen bytes)
 * @param maxNativeBytes bytes of decoded raster a native decoder (libjpeg-turbo, libheif) may fill
 *                       outside the heap; a JPEG over it is decoded at a smaller DCT scale, a HEIF
 *                       picture (libheif does not scale) is refused
 * @param maxHeapBytes   bytes of decoded raster an ImageIO reader may allocate on the heap; a
 *                       picture over it is decoded with source subsampling (every n-th pixel of
 *                       every n-th row), so its hash is an approximation
 */
public record PictureLimits(long maxPixels, long maxNativeBytes, long maxHeapBytes) {
    /**
     * A scan's limits: 1 G pixels claimed (a 32,768 x 32,768 picture), 256 MiB of native raster
     * (an 85-megapixel HEIF picture; a JPEG of any size fits at 1/8 scale), 96 MiB on the heap
     * (a 32-megapixel 8-bit RGB PNG at full size), which two decoding threads can hold under a
     * 512 MiB heap beside the scan's own buffers.
     */
    public static final PictureLimits DEFAULT = new PictureLimits(1L << 30, 256L << 20, 96L << 20);

    public PictureLimits {
        if (maxPixels < 1) throw new IllegalArgumentException("pixel limit " + maxPixels + " is not positive");
        if (maxNativeBytes < 1) throw new IllegalArgumentException("native raster limit " + maxNativeBytes + " is not positive");
        if (maxHeapBytes < 1) throw new IllegalArgumentException("heap raster limit " + maxHeapBytes + " is not positive");
    }

    /** Refuses a header that claims too much, naming the size. */
    void checkClaim(String format, long width, long height) throws PictureException {
        if (width < 1 || height < 1) {
            throw new PictureException(format + " header gives no picture size (" + width + "x" + height + "): truncated or corrupt");
        }
        if (width * height > maxPixels) {
            throw new PictureException(format + " header claims " + width + "x" + height + " = " + width * height
                    + " pixels, over the limit of " + maxPixels);
        }
    }
}
