package org.triage.picture;

import org.triage.pdq.PdqPixels;

/**
 * A decoded picture.
 *
 * @param pixels the pixels to hash: the picture decoded at {@code 1/scale} of its size, or, where
 *               that has a side over 512, the 512x512 nearest-neighbour sample of it that
 *               {@code PdqHasher} would take (the native decoders and ImageIO's converted rasters
 *               hand over only that, so the heap never holds a large raster twice); the hash is the
 *               same either way
 * @param format what the bytes were, by their signature ("JPEG", "PNG", "GIF", "BMP", "TIFF",
 *               "WEBP", "HEIF")
 * @param width  the picture's width as its header gives it, before any scaling
 * @param height the picture's height as its header gives it
 * @param scale  the denominator the decoder reduced the picture by: a JPEG's DCT scale (2, 4, 8),
 *               or ImageIO's source subsampling step for a picture over the heap limit; 1 at full size
 */
public record DecodedPicture(PdqPixels pixels, String format, int width, int height, int scale) {
}
