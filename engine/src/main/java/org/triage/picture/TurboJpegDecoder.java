package org.triage.picture;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.util.Locale;
import org.triage.pdq.PdqHasher;

/**
 * JPEG through libjpeg-turbo's TurboJPEG API, at the smallest DCT scale (1/8, 1/4, 1/2) whose
 * result is still at least 512 on both sides, full size when a side is 512 or less: PDQ samples
 * the picture to 512 x 512 anyway, and a 1/2-scale decode costs a fraction of a full one.
 *
 * <p>A colour (YCbCr) JPEG decoded at a reduced scale is decoded to its Y plane alone: PDQ hashes
 * the luminance {@code 0.299 R + 0.587 G + 0.114 B}, which is JPEG's Y by definition (the RGB
 * conversion only rounds and clamps it), and libjpeg then skips the chroma planes' inverse DCT,
 * upsampling and the colour conversion, about a sixth of the decode's CPU at 1/4 scale (djpeg
 * {@code -grayscale}: 52 against 61 ms for 10 decodes of a 12-megapixel photo). A picture small
 * enough to be decoded at full size still goes through RGB, so that it keeps the reference's own
 * pixels (distance 0 on the reference's JPEGs); a scaled one was 0-2 bits from them already.
 *
 * <p>Grey JPEGs decode to grey, CMYK and YCCK ones to CMYK converted as ImageMagick converts them.
 * A warning from libjpeg (extraneous bytes before a marker, say) keeps the picture, as ImageMagick
 * does, except a premature end: a truncated JPEG is refused. What TurboJPEG does not support
 * (lossless or 12-bit JPEG, an unsupported colour conversion) gives {@code null} so that the caller
 * can try another decoder; everything else wrong gives a {@link PictureException}.
 *
 * <p>One owner, one thread: the TurboJPEG handle and the native buffers are this object's, reused
 * for every picture, freed by {@link #close}.
 */
final class TurboJpegDecoder implements AutoCloseable {
    private static final int[] DENOMINATORS = {8, 4, 2};
    private static final int SIDE = PdqHasher.SAMPLED_SIZE;

    private final PictureLimits limits;
    private final Pointer handle;
    private final Memory header = new Memory(16);
    private final Pointer width = header.share(0);
    private final Pointer height = header.share(4);
    private final Pointer subsampling = header.share(8);
    private final Pointer colourSpace = header.share(12);
    private final NativeInput input = new NativeInput();
    private final NativeRaster raster = new NativeRaster();
    private String refusal;

    private final boolean scaled;

    TurboJpegDecoder(PictureLimits limits) {
        this(limits, true);
    }

    /** {@code scaled} false: always at full size (for DecodeBenchmark's comparison), unless over the limits. */
    TurboJpegDecoder(PictureLimits limits, boolean scaled) {
        this.limits = limits;
        this.scaled = scaled;
        this.handle = TurboJpeg.tjInitDecompress();
        if (handle == null) throw new IllegalStateException("tjInitDecompress failed: " + TurboJpeg.tjGetErrorStr2(null));
    }

    /** The picture, or null when TurboJPEG does not support this kind of JPEG. */
    DecodedPicture decode(ByteBuffer content) throws PictureException {
        Pointer jpeg = input.of(content);
        long size = content.remaining();
        header.clear();
        try {
            if (TurboJpeg.tjDecompressHeader3(handle, jpeg, size, width, height, subsampling, colourSpace) != 0) {
                return failed("JPEG header");
            }
            int w = width.getInt(0);
            int h = height.getInt(0);
            limits.checkClaim("JPEG", w, h);
            int cs = colourSpace.getInt(0);
            NativeRaster.Channels channels = cs == TurboJpeg.TJCS_GRAY ? NativeRaster.Channels.GREY
                    : cs == TurboJpeg.TJCS_CMYK || cs == TurboJpeg.TJCS_YCCK ? NativeRaster.Channels.INVERTED_CMYK
                    : NativeRaster.Channels.BGR;
            int scale = scale(w, h, channels.bytes);
            if (scale > 1 && cs == TurboJpeg.TJCS_YCbCr) channels = NativeRaster.Channels.GREY; // its Y plane: see above
            int pixelFormat = switch (channels) {
                case GREY -> TurboJpeg.TJPF_GRAY;
                case INVERTED_CMYK -> TurboJpeg.TJPF_CMYK;
                default -> TurboJpeg.TJPF_BGR;
            };
            int sw = scaled(w, scale);
            int sh = scaled(h, scale);
            long pitch = (long) sw * channels.bytes;
            Pointer out = raster.buffer(pitch * sh);
            if (TurboJpeg.tjDecompress2(handle, jpeg, size, out, sw, (int) pitch, sh, pixelFormat, TurboJpeg.TJFLAG_LIMITSCANS) != 0) {
                String warning = problem();
                if (TurboJpeg.tjGetErrorCode(handle) != TurboJpeg.TJERR_WARNING || truncated(warning)) {
                    return failed("JPEG data");
                }
            }
            return new DecodedPicture(raster.pixels(out, sw, sh, pitch, channels), "JPEG", w, h, scale);
        } finally {
            input.trim();
            raster.trim();
        }
    }

    /**
     * The denominator: the largest of 8, 4, 2 that leaves both sides at least 512, else 1; then
     * doubled while the raster would be over the native limit.
     */
    private int scale(int w, int h, int bytesPerPixel) throws PictureException {
        int scale = 1;
        for (int d : DENOMINATORS) {
            if (scaled && scaled(w, d) >= SIDE && scaled(h, d) >= SIDE) {
                scale = d;
                break;
            }
        }
        while ((long) scaled(w, scale) * scaled(h, scale) * bytesPerPixel > limits.maxNativeBytes()) {
            if (scale == 8) {
                throw new PictureException("JPEG of " + w + "x" + h + " is over the raster limit of " + limits.maxNativeBytes()
                        + " bytes even at 1/8 scale");
            }
            scale *= 2;
        }
        return scale;
    }

    /** TJSCALED: a side at 1/d, rounded up as libjpeg rounds it. */
    private static int scaled(int side, int d) {
        return (side + d - 1) / d;
    }

    private String problem() {
        String s = TurboJpeg.tjGetErrorStr2(handle);
        return s == null ? "unknown libjpeg-turbo error" : s;
    }

    private static boolean truncated(String message) {
        return message.toLowerCase(Locale.ROOT).contains("premature end");
    }

    /** null for what TurboJPEG does not support (another decoder may), else the reason. */
    private DecodedPicture failed(String where) throws PictureException {
        String message = problem();
        if (message.contains(TurboJpeg.NO_BACKING_STORE)) {
            throw new PictureException("JPEG of " + width.getInt(0) + "x" + height.getInt(0) + " needs more coefficient memory than libjpeg may use (JPEGMEM="
                    + TurboJpeg.JPEGMEM + "): a progressive or multi-scan JPEG keeps the whole picture's");
        }
        if (message.startsWith("Unsupported") || message.contains("not supported")) {
            refusal = message;
            return null;
        }
        if (truncated(message)) throw new PictureException("truncated JPEG: " + message);
        throw new PictureException("corrupt " + where + ": " + message);
    }

    /** Why the last picture given null was refused. */
    String refusal() {
        return refusal;
    }

    @Override
    public void close() {
        TurboJpeg.tjDestroy(handle);
        input.close();
        raster.close();
        header.close();
    }
}
