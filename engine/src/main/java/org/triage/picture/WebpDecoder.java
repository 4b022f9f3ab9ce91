package org.triage.picture;

import com.sun.jna.Pointer;
import java.nio.ByteBuffer;

/**
 * WebP (lossy and lossless) through libwebp, into this object's native raster. An animated WebP,
 * which libwebp's simple API does not take, or one whose raster would be over the native limit
 * gives {@code null}, for ImageIO (TwelveMonkeys reads the first frame, and subsamples a large one).
 *
 * <p>One owner, one thread; the result's pixels are this object's, valid until the next decode.
 */
final class WebpDecoder implements AutoCloseable {
    private final PictureLimits limits;
    private final NativeInput input = new NativeInput();
    private final NativeRaster raster = new NativeRaster();
    private final int[] width = new int[1];
    private final int[] height = new int[1];

    WebpDecoder(PictureLimits limits) {
        this.limits = limits;
    }

    DecodedPicture decode(ByteBuffer content) throws PictureException {
        if (animated(content)) return null;
        try {
            Pointer data = input.of(content);
            long size = content.remaining();
            if (LibWebp.WebPGetInfo(data, size, width, height) == 0) {
                throw new PictureException("corrupt WebP: libwebp finds no valid header");
            }
            int w = width[0];
            int h = height[0];
            limits.checkClaim("WEBP", w, h);
            long pitch = (long) w * 3;
            if (pitch * h > limits.maxNativeBytes()) return null;
            Pointer out = raster.buffer(pitch * h);
            if (LibWebp.WebPDecodeRGBInto(data, size, out, pitch * h, (int) pitch) == null) {
                throw new PictureException("corrupt or truncated WebP: libwebp could not decode its " + w + "x" + h + " picture");
            }
            return new DecodedPicture(raster.pixels(out, w, h, pitch, NativeRaster.Channels.RGB), "WEBP", w, h, 1);
        } finally {
            input.trim();
            raster.trim();
        }
    }

    /** An extended-format WebP ({@code VP8X} chunk first) with its animation flag set. */
    private static boolean animated(ByteBuffer content) {
        int p = content.position();
        return content.remaining() > 20 && content.get(p + 12) == 'V' && content.get(p + 13) == 'P' && content.get(p + 14) == '8'
                && content.get(p + 15) == 'X' && (content.get(p + 20) & 0x02) != 0;
    }

    @Override
    public void close() {
        input.close();
        raster.close();
    }
}
