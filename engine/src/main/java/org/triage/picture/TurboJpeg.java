package org.triage.picture;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import org.triage.natives.JnaSetup;

/**
 * The TurboJPEG API 2.1 of libjpeg-turbo (Debian package {@code libturbojpeg0}, soname
 * {@code libturbojpeg.so.0}), bound with JNA direct mapping: the calls a decoder makes per picture
 * cost no more than a C call and allocate nothing on the Java side.
 *
 * <p>Why libjpeg-turbo: it is the library the reference decodes with (through ImageMagick), so at
 * full size its pixels are the reference's; and it decodes at 1/2, 1/4 or 1/8 of the size in the DCT
 * domain, several times faster than a full decode, which PDQ (sampled to 512x512 anyway) can use.
 * If the library is missing, {@link #AVAILABLE} is false and JPEGs go to ImageIO.
 */
final class TurboJpeg {
    private static final System.Logger LOG = System.getLogger(TurboJpeg.class.getName());
    static final boolean AVAILABLE;

    // turbojpeg.h: pixel formats
    static final int TJPF_BGR = 1;
    static final int TJPF_GRAY = 6;
    static final int TJPF_CMYK = 11;
    // colour spaces of the JPEG itself
    static final int TJCS_YCbCr = 1;
    static final int TJCS_GRAY = 2;
    static final int TJCS_CMYK = 3;
    static final int TJCS_YCCK = 4;
    // flags
    /** Refuse a progressive JPEG of more than 500 scans: a few hundred bytes could otherwise keep a decoder busy for minutes. */
    static final int TJFLAG_LIMITSCANS = 32768;
    /** libjpeg's message when a picture's whole-picture buffers are over {@link #JPEGMEM}. */
    static final String NO_BACKING_STORE = "Backing store not supported";
    // tjGetErrorCode
    static final int TJERR_WARNING = 0;

    /**
     * libjpeg's bound on the memory of its whole-picture buffers ({@code max_memory_to_use}, read
     * from {@code JPEGMEM} when a decompressor is created), in its own units: "256m" is 256,000,000
     * bytes. A progressive JPEG keeps every DCT coefficient of the picture: 2 bytes x 64 per 8x8
     * block, 1.5 to 3 blocks per pixel block with chroma, so a 12-megapixel photo needs 37 MB, and
     * a 3 kB file claiming 30,000 x 30,000 pixels 2.7 GB (measured with djpeg: 41 s and 5.3 GB of
     * RSS). Over the bound libjpeg has no backing store to spill to and refuses the picture at once.
     */
    static final String JPEGMEM = "256m";

    static {
        boolean ok = false;
        try {
            JnaSetup.init();
            Native.register(TurboJpeg.class, NativeLibrary.getInstance(System.getProperty("triage.libturbojpeg", "libturbojpeg.so.0")));
            boundMemory();
            ok = true;
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            LOG.log(System.Logger.Level.INFO, "libturbojpeg.so.0 not usable, JPEGs are decoded by ImageIO: " + e);
        }
        AVAILABLE = ok;
    }

    private TurboJpeg() {
    }

    /**
     * Sets {@code JPEGMEM} in the process's environment unless the user set it. Done once, before
     * the first decompressor exists (setenv is not safe beside a concurrent getenv; this runs while
     * the class initialises, before any decoding thread reads the environment through libjpeg).
     */
    private static void boundMemory() {
        if (System.getenv("JPEGMEM") != null) return;
        try {
            int rc = NativeLibrary.getInstance("c").getFunction("setenv").invokeInt(new Object[] {"JPEGMEM", JPEGMEM, 0});
            if (rc == 0) return;
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "setenv: " + e);
        }
        LOG.log(System.Logger.Level.WARNING, "setenv JPEGMEM failed: progressive JPEGs are not bounded in memory");
    }

    static native Pointer tjInitDecompress();

    static native int tjDecompressHeader3(Pointer handle, Pointer jpegBuf, long jpegSize, Pointer width, Pointer height,
            Pointer subsamp, Pointer colorspace);

    static native int tjDecompress2(Pointer handle, Pointer jpegBuf, long jpegSize, Pointer dstBuf, int width, int pitch,
            int height, int pixelFormat, int flags);

    static native String tjGetErrorStr2(Pointer handle);

    static native int tjGetErrorCode(Pointer handle);

    static native int tjDestroy(Pointer handle);
}
