package org.triage.picture;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;

/**
 * HEIF and HEIC (what iPhones store) through libheif: the primary picture, decoded to 8-bit RGB with
 * libheif's default options, as ImageMagick's HEIC coder (the reference's decoder) asks for it. Those
 * defaults apply the file's own rotation and mirroring ({@code irot}, {@code imir}: libheif 1.15's
 * {@code heif_decoding_options.ignore_transformations} is false unless set), which is what
 * ImageMagick hands the reference; EXIF orientation is not applied by either.
 *
 * <p>libheif does not decode at a reduced scale, so a picture whose RGB raster would be over
 * {@link PictureLimits#maxNativeBytes()} is refused with that reason before decoding.
 *
 * <p>One owner, one thread; the result's pixels are this object's, valid until the next decode.
 */
final class HeifDecoder implements AutoCloseable {
    private final PictureLimits limits;
    private final NativeInput input = new NativeInput();
    private final NativeRaster raster = new NativeRaster();
    private final Memory handleOut = new Memory(Native.POINTER_SIZE);
    private final Memory imageOut = new Memory(Native.POINTER_SIZE);
    private final int[] strideOut = new int[1];

    HeifDecoder(PictureLimits limits) {
        this.limits = limits;
    }

    DecodedPicture decode(ByteBuffer content) throws PictureException {
        if (!LibHeif.AVAILABLE) throw new PictureException("HEIF not decoded: " + LibHeif.UNAVAILABLE_REASON);
        Pointer context = LibHeif.heif_context_alloc();
        if (context == null) throw new PictureException("HEIF not decoded: libheif could not allocate a context");
        Pointer handle = null;
        Pointer image = null;
        try {
            // the scan decodes on its own threads, one per core; libheif's own (4 per picture by
            // default) would only oversubscribe them
            LibHeif.heif_context_set_max_decoding_threads(context, 0);
            check(LibHeif.heif_context_read_from_memory_without_copy(context, input.of(content), content.remaining(), null));
            check(LibHeif.heif_context_get_primary_image_handle(context, handleOut));
            handle = handleOut.getPointer(0);
            int width = LibHeif.heif_image_handle_get_width(handle);
            int height = LibHeif.heif_image_handle_get_height(handle);
            limits.checkClaim("HEIF", width, height);
            if ((long) width * height * 3 > limits.maxNativeBytes()) {
                throw new PictureException("HEIF of " + width + "x" + height + " is over the raster limit of "
                        + limits.maxNativeBytes() + " bytes (libheif cannot decode at a reduced scale)");
            }
            check(LibHeif.heif_decode_image(handle, imageOut, LibHeif.HEIF_COLORSPACE_RGB, LibHeif.HEIF_CHROMA_INTERLEAVED_RGB, null));
            image = imageOut.getPointer(0);
            int w = LibHeif.heif_image_get_width(image, LibHeif.HEIF_CHANNEL_INTERLEAVED);
            int h = LibHeif.heif_image_get_height(image, LibHeif.HEIF_CHANNEL_INTERLEAVED);
            Pointer plane = LibHeif.heif_image_get_plane_readonly(image, LibHeif.HEIF_CHANNEL_INTERLEAVED, strideOut);
            if (plane == null || w < 1 || h < 1) throw new PictureException("corrupt HEIF: libheif returned no RGB plane");
            return new DecodedPicture(raster.pixels(plane, w, h, strideOut[0], NativeRaster.Channels.RGB), "HEIF", width, height, 1);
        } finally {
            if (image != null) LibHeif.heif_image_release(image);
            if (handle != null) LibHeif.heif_image_handle_release(handle);
            LibHeif.heif_context_free(context);
            input.trim();
        }
    }

    private static void check(LibHeif.Error error) throws PictureException {
        if (error.code != 0) {
            throw new PictureException("corrupt HEIF: " + (error.message == null ? "libheif error " + error.code : error.message.strip())
                    + " (libheif error " + error.code + "." + error.subcode + ")");
        }
    }

    @Override
    public void close() {
        input.close();
        raster.close();
        handleOut.close();
        imageOut.close();
    }
}
