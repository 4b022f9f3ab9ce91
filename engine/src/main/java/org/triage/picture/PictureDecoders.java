package org.triage.picture;

/**
 * Where a scan gets its picture decoders: the one place that decides which decoder takes which
 * format, so the pipeline never names one.
 */
public final class PictureDecoders {
    /** Pixels a picture may claim before it is decoded at a reduced scale or refused: 100 megapixels. */
    public static final long MAX_PIXELS = 100_000_000L;

    private PictureDecoders() {
    }

    /** A new decoder for one thread. */
    public static PictureDecoder create() {
        return new ImageIoDecoder(MAX_PIXELS);
    }
}
