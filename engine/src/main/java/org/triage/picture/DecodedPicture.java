package org.triage.picture;

import org.triage.pdq.PdqPixels;

/**
 * A decoded picture.
 *
 * @param pixels the pixels to hash, at {@code 1/scale} of the picture's size
 * @param format what the bytes were, in words ("JPEG", "PNG", "HEIF", ...)
 * @param width  the picture's width as its header gives it, before any scaling
 * @param height the picture's height as its header gives it
 * @param scale  the denominator the decoder scaled by (1 when decoded at full size)
 */
public record DecodedPicture(PdqPixels pixels, String format, int width, int height, int scale) {
}
