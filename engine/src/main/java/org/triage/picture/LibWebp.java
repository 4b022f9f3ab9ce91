package org.triage.picture;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import org.triage.natives.JnaSetup;

/**
 * libwebp's simple decoding API (Debian package {@code libwebp7}, soname {@code libwebp.so.7}),
 * bound with JNA direct mapping. It is the library ImageMagick reads WebP with, so its pixels are
 * the reference's, bit for bit, lossy or lossless (TwelveMonkeys' own VP8 decoder rounds
 * differently: 2 to 6 bits of PDQ distance on the reference vectors). If the library is missing,
 * {@link #AVAILABLE} is false and WebP goes to TwelveMonkeys.
 */
final class LibWebp {
    private static final System.Logger LOG = System.getLogger(LibWebp.class.getName());
    static final boolean AVAILABLE;

    static {
        boolean ok = false;
        try {
            JnaSetup.init();
            Native.register(LibWebp.class, NativeLibrary.getInstance(System.getProperty("triage.libwebp", "libwebp.so.7")));
            ok = true;
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            LOG.log(System.Logger.Level.INFO, "libwebp.so.7 not usable, WebP is decoded by ImageIO: " + e);
        }
        AVAILABLE = ok;
    }

    private LibWebp() {
    }

    /** 1 when the header is valid (the size is then in width and height), else 0. */
    static native int WebPGetInfo(Pointer data, long size, int[] width, int[] height);

    /** The output buffer on success, null when the data cannot be decoded (corrupt, truncated, animated). */
    static native Pointer WebPDecodeRGBInto(Pointer data, long size, Pointer output, long outputSize, int stride);
}
