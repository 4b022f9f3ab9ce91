package org.triage.picture;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import org.triage.natives.JnaSetup;

/**
 * The libheif calls (Debian package {@code libheif1}, 1.15, soname {@code libheif.so.1}) that decode
 * a HEIF/HEIC file's primary picture to interleaved 8-bit RGB, bound with JNA direct mapping. If the
 * library is missing, {@link #AVAILABLE} is false and HEIF pictures are refused with that reason.
 */
final class LibHeif {
    private static final System.Logger LOG = System.getLogger(LibHeif.class.getName());
    static final boolean AVAILABLE;
    static final String UNAVAILABLE_REASON;

    // heif.h
    static final int HEIF_COLORSPACE_RGB = 1;
    static final int HEIF_CHROMA_INTERLEAVED_RGB = 10;
    static final int HEIF_CHANNEL_INTERLEAVED = 10;

    static {
        boolean ok = false;
        String reason = null;
        try {
            JnaSetup.init();
            Native.register(LibHeif.class, NativeLibrary.getInstance(System.getProperty("triage.libheif", "libheif.so.1")));
            ok = true;
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            reason = "libheif.so.1 is not usable (install Debian's libheif1): " + e.getMessage();
            LOG.log(System.Logger.Level.INFO, reason);
        }
        AVAILABLE = ok;
        UNAVAILABLE_REASON = reason;
    }

    private LibHeif() {
    }

    /** {@code struct heif_error}, which libheif returns by value: code 0 is success. */
    @Structure.FieldOrder({"code", "subcode", "message"})
    public static final class Error extends Structure implements Structure.ByValue {
        public int code;
        public int subcode;
        public String message;
    }

    static native Pointer heif_context_alloc();

    static native void heif_context_free(Pointer context);

    /** 0: the tiles of a grid picture (an iPhone's HEIC is 48 of them) are decoded on the calling thread, one after another. */
    static native void heif_context_set_max_decoding_threads(Pointer context, int threads);

    /** The memory must stay valid until the context is freed. */
    static native Error heif_context_read_from_memory_without_copy(Pointer context, Pointer memory, long size, Pointer options);

    /** {@code handle} receives a {@code heif_image_handle*}. */
    static native Error heif_context_get_primary_image_handle(Pointer context, Pointer handle);

    static native int heif_image_handle_get_width(Pointer handle);

    static native int heif_image_handle_get_height(Pointer handle);

    static native void heif_image_handle_release(Pointer handle);

    /** {@code image} receives a {@code heif_image*}. */
    static native Error heif_decode_image(Pointer handle, Pointer image, int colorspace, int chroma, Pointer options);

    static native int heif_image_get_width(Pointer image, int channel);

    static native int heif_image_get_height(Pointer image, int channel);

    static native Pointer heif_image_get_plane_readonly(Pointer image, int channel, int[] stride);

    static native void heif_image_release(Pointer image);
}
