package org.triage.pdq;

/**
 * Where a pixel's channels lie in a byte raster: each pixel takes {@code pixelStride} bytes, with
 * red, green and blue at the given offsets. A grey raster has one offset for all three. Other bytes
 * of the pixel (alpha, padding) are not read: the reference drops alpha rather than blending it.
 */
public record PixelLayout(int pixelStride, int red, int green, int blue) {
    public static final PixelLayout GREY = new PixelLayout(1, 0, 0, 0);
    public static final PixelLayout GREY_ALPHA = new PixelLayout(2, 0, 0, 0);
    public static final PixelLayout RGB = new PixelLayout(3, 0, 1, 2);
    public static final PixelLayout BGR = new PixelLayout(3, 2, 1, 0);
    public static final PixelLayout RGBA = new PixelLayout(4, 0, 1, 2);
    public static final PixelLayout BGRA = new PixelLayout(4, 2, 1, 0);
    public static final PixelLayout ARGB = new PixelLayout(4, 1, 2, 3);
    public static final PixelLayout ABGR = new PixelLayout(4, 3, 2, 1);

    public PixelLayout {
        if (pixelStride < 1 || pixelStride > 16) {
            throw new IllegalArgumentException("pixel stride " + pixelStride + " is not in 1-16 bytes");
        }
        check("red", red, pixelStride);
        check("green", green, pixelStride);
        check("blue", blue, pixelStride);
    }

    private static void check(String channel, int offset, int pixelStride) {
        if (offset < 0 || offset >= pixelStride) {
            throw new IllegalArgumentException(channel + " offset " + offset + " is outside a " + pixelStride + "-byte pixel");
        }
    }

    /** One channel read for all three: the picture is grey by construction. */
    public boolean grey() {
        return red == green && green == blue;
    }
}
