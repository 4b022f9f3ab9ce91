package org.triage.picture;

/**
 * Where a scan gets its picture decoders: the one place that decides which decoder takes which
 * format, so the pipeline never names one. Each format goes to the decoder that reads it best
 * (libjpeg-turbo for JPEG, libheif for HEIF, ImageIO for the rest: see {@link DispatchingDecoder}).
 */
public final class PictureDecoders {
    /** Pixels a picture may claim before it is refused: {@link PictureLimits#DEFAULT}'s. */
    public static final long MAX_PIXELS = PictureLimits.DEFAULT.maxPixels();

    private PictureDecoders() {
    }

    /** A new decoder for one thread, with the default limits. */
    public static PictureDecoder create() {
        return create(PictureLimits.DEFAULT);
    }

    /** A new decoder for one thread. */
    public static PictureDecoder create(PictureLimits limits) {
        return new DispatchingDecoder(limits);
    }
}
