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
    static final int TJCS_GRAY = 2;
    static final int TJCS_CMYK = 3;
    static final int TJCS_YCCK = 4;
    // flags
    /** Refuse a progressive JPEG of more than 500 scans: a few hundred bytes could otherwise keep a decoder busy for minutes. */
    static final int TJFLAG_LIMITSCANS = 32768;
    // tjGetErrorCode
    static final int TJERR_WARNING = 0;

    static {
        boolean ok = false;
        try {
            JnaSetup.init();
            Native.register(TurboJpeg.class, NativeLibrary.getInstance(System.getProperty("triage.libturbojpeg", "libturbojpeg.so.0")));
            ok = true;
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            LOG.log(System.Logger.Level.INFO, "libturbojpeg.so.0 not usable, JPEGs are decoded by ImageIO: " + e);
        }
        AVAILABLE = ok;
    }

    private TurboJpeg() {
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
