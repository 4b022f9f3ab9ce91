package org.triage.picture;

import java.awt.image.BufferedImage;
import java.awt.image.SampleModel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.spi.ImageReaderSpi;

/**
 * Pictures through an ImageIO reader: the JDK's for PNG, GIF and BMP, TwelveMonkeys' for TIFF, WebP
 * and the JPEGs libjpeg-turbo refuses. The first image of the file is read (a GIF's first frame).
 *
 * <p>Bounded: the header's size is read first; a picture claiming more than
 * {@link PictureLimits#maxPixels()} is refused, one whose raster would be over
 * {@link PictureLimits#maxHeapBytes()} is read with source subsampling (the reader skips the other
 * pixels as it decodes, so only the smaller raster is ever allocated; the hash is then an
 * approximation of the full picture's).
 *
 * <p>One owner, one thread: the reader is created once and reused; the pixels returned may be the
 * reader's own raster, valid until the next {@code decode}.
 */
public final class ImageIoDecoder implements PictureDecoder {
    private final PictureLimits limits;
    private final ImageReaderSpi provider;
    private final String format;
    private final long maxPixelsPerByte;
    private final BufferedImagePixels pixels = new BufferedImagePixels();
    private ImageReader reader;

    /** A decoder for whatever format the ImageIO readers installed recognise. */
    public ImageIoDecoder(PictureLimits limits) {
        this(limits, null, null, Long.MAX_VALUE);
    }

    /**
     * A decoder that reads every picture with {@code provider}'s reader, named {@code format} in
     * reasons. {@code maxPixelsPerByte} is the most pixels one byte of the file can give with the
     * format's compression at its best: a file too small for the size its header claims is a
     * decompression bomb or truncated, refused before a raster is allocated (some readers, the
     * JDK's GIF reader among them, fill the rest of a picture whose data ends early in silence).
     */
    ImageIoDecoder(PictureLimits limits, ImageReaderSpi provider, String format, long maxPixelsPerByte) {
        if (limits == null) throw new IllegalArgumentException("picture limits are null");
        if (maxPixelsPerByte < 1) throw new IllegalArgumentException("pixels per byte " + maxPixelsPerByte + " is not positive");
        this.limits = limits;
        this.provider = provider;
        this.format = format;
        this.maxPixelsPerByte = maxPixelsPerByte;
    }

    @Override
    public DecodedPicture decode(ByteBuffer content) throws PictureException {
        try (ByteBufferImageInputStream in = new ByteBufferImageInputStream(content)) {
            ImageReader r = reader(in);
            String name = format != null ? format : r.getFormatName().toUpperCase(Locale.ROOT);
            try {
                r.setInput(in, true, true);
                int width = r.getWidth(0);
                int height = r.getHeight(0);
                limits.checkClaim(name, width, height);
                long bytes = content.remaining();
                if ((long) width * height / maxPixelsPerByte > bytes) {
                    throw new PictureException(name + " of " + bytes + " bytes cannot hold the " + width + "x" + height
                            + " pixels its header claims (at most " + maxPixelsPerByte + " pixels a byte): a decompression bomb, or truncated");
                }
                ImageReadParam param = r.getDefaultReadParam();
                int step = subsampling(width, height, bytesPerPixel(r));
                if (step > 1) param.setSourceSubsampling(step, step, 0, 0);
                BufferedImage image = r.read(0, param);
                return new DecodedPicture(pixels.of(image), name, width, height, step);
            } catch (PictureException e) {
                throw e;
            } catch (IOException | RuntimeException | OutOfMemoryError | StackOverflowError e) {
                // Readers fail on bad input with every kind of exception (an index out of bounds,
                // a negative array size, one huge array for a header's claimed strip size): each is
                // this picture's problem, and the reader is not trusted with the next one.
                discardReader();
                throw new PictureException(reason(name, e), e);
            }
        } catch (IOException e) {
            throw new PictureException("unreadable picture: " + e.getMessage(), e);
        }
    }

    private ImageReader reader(ByteBufferImageInputStream in) throws PictureException, IOException {
        if (provider == null) {
            discardReader();
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) throw new PictureException("not a picture format ImageIO reads");
            reader = readers.next();
        } else if (reader == null) {
            reader = provider.createReaderInstance();
        }
        return reader;
    }

    /** Every n-th pixel of every n-th row, the smallest n that fits the raster in the heap limit. */
    private int subsampling(int width, int height, double bytesPerPixel) {
        double bytes = (double) width * height * bytesPerPixel;
        if (bytes <= limits.maxHeapBytes()) return 1;
        int step = (int) Math.ceil(Math.sqrt(bytes / limits.maxHeapBytes()));
        while ((double) ceilDiv(width, step) * ceilDiv(height, step) * bytesPerPixel > limits.maxHeapBytes()) step++;
        return step;
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    /** Bytes a pixel takes in the raster the reader will allocate: its samples, each in a byte or a short. */
    private static double bytesPerPixel(ImageReader r) throws IOException {
        ImageTypeSpecifier type = r.getRawImageType(0);
        if (type == null) {
            Iterator<ImageTypeSpecifier> types = r.getImageTypes(0);
            type = types.hasNext() ? types.next() : null;
        }
        if (type == null) return 8; // unknown: assume the widest common one, 16-bit RGBA
        SampleModel sm = type.getSampleModel();
        int bits = 0;
        for (int b : sm.getSampleSize()) bits += b;
        if (sm.getNumBands() == 1 && bits < 8) return bits / 8.0;
        int bytes = 0;
        for (int b : sm.getSampleSize()) bytes += b <= 8 ? 1 : b <= 16 ? 2 : 4;
        return Math.max(bytes, Math.ceil(bits / 8.0));
    }

    private static String reason(String format, Throwable e) {
        String message = e.getMessage();
        String what = e instanceof IOException ? "" : e.getClass().getSimpleName() + (message == null ? "" : ": ");
        if (e instanceof java.io.EOFException) return "truncated " + format + (message == null ? "" : ": " + message);
        return "corrupt " + format + ": " + what + (message == null ? "" : message);
    }

    private void discardReader() {
        if (reader != null) reader.dispose();
        reader = null;
    }

    @Override
    public void close() {
        discardReader();
    }
}
