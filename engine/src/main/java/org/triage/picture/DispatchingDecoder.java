package org.triage.picture;

import com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageReaderSpi;
import com.twelvemonkeys.imageio.plugins.tiff.TIFFImageReaderSpi;
import com.twelvemonkeys.imageio.plugins.webp.WebPImageReaderSpi;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;
import org.triage.model.ContentType;
import org.triage.signature.FileSignature;

/**
 * Sends each picture to the decoder that does its format best, by the content's signature (the
 * scan's own {@link FileSignature}, never the file name):
 * <ul>
 * <li>JPEG: libjpeg-turbo (TurboJPEG API), scaled in the DCT domain; what it does not support
 * (lossless, 12-bit) goes to TwelveMonkeys' JPEG reader;
 * <li>HEIF/HEIC (and AVIF where libheif has a decoder for it): libheif;
 * <li>PNG, GIF (first frame), BMP: the JDK's readers, which give the stored samples exactly;
 * <li>WebP (lossy and lossless): libwebp, the library ImageMagick reads it with; an animated or
 * very large one: TwelveMonkeys' reader;
 * <li>TIFF: TwelveMonkeys' reader.
 * </ul>
 * The figures behind the choice are in the README (PDQ decoding, DecodeBenchmark).
 *
 * <p>One owner, one thread: each decoder behind it is created on the first picture of its format
 * and reused.
 */
final class DispatchingDecoder implements PictureDecoder {
    /**
     * Deflate expands a byte to at most 1,032 (RFC 1951: a 258-byte match in as little as 2 bits),
     * and a PNG pixel is at least 1 bit.
     */
    private static final long PNG_PIXELS_PER_BYTE = 1032L * 8;
    /** An LZW code (3 bits at the least) stands for at most 4,096 pixels, the size of GIF's code table. */
    private static final long GIF_PIXELS_PER_BYTE = 8L * 4096 / 3;

    private final PictureLimits limits;
    private final byte[] head = new byte[FileSignature.NEEDED];
    private TurboJpegDecoder turboJpeg;
    private HeifDecoder heif;
    private WebpDecoder libWebp;
    private ImageIoDecoder jpeg;
    private ImageIoDecoder png;
    private ImageIoDecoder gif;
    private ImageIoDecoder bmp;
    private ImageIoDecoder tiff;
    private ImageIoDecoder webp;

    DispatchingDecoder(PictureLimits limits) {
        if (limits == null) throw new IllegalArgumentException("picture limits are null");
        this.limits = limits;
    }

    @Override
    public DecodedPicture decode(ByteBuffer content) throws PictureException {
        int n = Math.min(content.remaining(), head.length);
        content.get(content.position(), head, 0, n);
        ContentType type = FileSignature.detect(head, n);
        return switch (type) {
            case JPEG -> jpeg(content);
            case HEIF -> heif().decode(content);
            case PNG -> (png != null ? png : (png = jdk("png", "PNG", PNG_PIXELS_PER_BYTE))).decode(content);
            case GIF -> (gif != null ? gif : (gif = jdk("gif", "GIF", GIF_PIXELS_PER_BYTE))).decode(content);
            case BMP -> (bmp != null ? bmp : (bmp = jdk("bmp", "BMP", Long.MAX_VALUE))).decode(content);
            case TIFF -> (tiff != null ? tiff : (tiff = imageIo(TIFFImageReaderSpi.class, "TIFF"))).decode(content);
            case WEBP -> webp(content);
            default -> throw new PictureException(n == 0 ? "empty file, not a picture"
                    : "not a picture format PDQ decodes (content type " + type.name().toLowerCase(Locale.ROOT) + ")");
        };
    }

    private DecodedPicture jpeg(ByteBuffer content) throws PictureException {
        String refused = "libjpeg-turbo is not installed";
        if (TurboJpeg.AVAILABLE) {
            if (turboJpeg == null) turboJpeg = new TurboJpegDecoder(limits);
            DecodedPicture picture = turboJpeg.decode(content);
            if (picture != null) return picture;
            refused = turboJpeg.refusal();
        }
        if (jpeg == null) jpeg = imageIo(JPEGImageReaderSpi.class, "JPEG");
        try {
            return jpeg.decode(content);
        } catch (PictureException e) {
            throw new PictureException(e.getMessage() + " (and libjpeg-turbo: " + refused + ")", e);
        }
    }

    private DecodedPicture webp(ByteBuffer content) throws PictureException {
        if (LibWebp.AVAILABLE) {
            if (libWebp == null) libWebp = new WebpDecoder(limits);
            DecodedPicture picture = libWebp.decode(content);
            if (picture != null) return picture;
        }
        if (webp == null) webp = imageIo(WebPImageReaderSpi.class, "WEBP");
        return webp.decode(content);
    }

    private HeifDecoder heif() {
        if (heif == null) heif = new HeifDecoder(limits);
        return heif;
    }

    /** The registered instance of a TwelveMonkeys provider (registration finds the JDK reader its JPEG reader delegates to). */
    private ImageIoDecoder imageIo(Class<? extends ImageReaderSpi> type, String format) {
        ImageReaderSpi spi = IIORegistry.getDefaultInstance().getServiceProviderByClass(type);
        if (spi == null) throw new IllegalStateException(type.getName() + " is not registered with ImageIO: is the TwelveMonkeys jar missing?");
        return new ImageIoDecoder(limits, spi, format, Long.MAX_VALUE);
    }

    /** The JDK's own reader of a format (com.sun.imageio.plugins.*), not a plugin's. */
    private ImageIoDecoder jdk(String formatName, String format, long maxPixelsPerByte) {
        Iterator<ImageReaderSpi> all = IIORegistry.getDefaultInstance().getServiceProviders(ImageReaderSpi.class, true);
        while (all.hasNext()) {
            ImageReaderSpi spi = all.next();
            if (!spi.getClass().getName().startsWith("com.sun.imageio.plugins.")) continue;
            for (String name : spi.getFormatNames()) {
                if (name.equalsIgnoreCase(formatName)) return new ImageIoDecoder(limits, spi, format, maxPixelsPerByte);
            }
        }
        throw new IllegalStateException("the JDK has no ImageIO reader for " + formatName);
    }

    @Override
    public void close() {
        for (AutoCloseable c : new AutoCloseable[] {turboJpeg, heif, libWebp, jpeg, png, gif, bmp, tiff, webp}) {
            if (c == null) continue;
            try {
                c.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing a picture decoder", e);
            }
        }
    }
}
