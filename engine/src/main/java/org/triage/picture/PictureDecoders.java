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

    /** The JPEG decoders the choice was made between, for DecodeBenchmark. */
    public enum JpegCandidate {
        /** TwelveMonkeys' ImageIO reader (the JDK's libjpeg 6b underneath), full size. */
        IMAGEIO,
        /** libjpeg-turbo through TurboJPEG, full size. */
        TURBOJPEG_FULL,
        /** libjpeg-turbo through TurboJPEG at the DCT scale the scan uses. */
        TURBOJPEG_SCALED
    }

    /** One JPEG decoder alone, for one thread, to compare the candidates on the same files. */
    public static PictureDecoder jpeg(JpegCandidate candidate) {
        PictureLimits limits = PictureLimits.DEFAULT;
        if (candidate == JpegCandidate.IMAGEIO) {
            return new ImageIoDecoder(limits, javax.imageio.spi.IIORegistry.getDefaultInstance()
                    .getServiceProviderByClass(com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageReaderSpi.class), "JPEG", Long.MAX_VALUE);
        }
        TurboJpegDecoder turbo = new TurboJpegDecoder(limits, candidate == JpegCandidate.TURBOJPEG_SCALED);
        return new PictureDecoder() {
            @Override
            public DecodedPicture decode(java.nio.ByteBuffer content) throws PictureException {
                DecodedPicture picture = turbo.decode(content);
                if (picture == null) throw new PictureException("not supported by libjpeg-turbo: " + turbo.refusal());
                return picture;
            }

            @Override
            public void close() {
                turbo.close();
            }
        };
    }
}
