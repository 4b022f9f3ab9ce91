package org.triage.pdq;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.triage.Oracle;

/**
 * Pictures decoded by ImageMagick, as the C++ reference decodes them: its CImg runs
 * {@code convert FILE pnm:-} and reads the PBM, PGM or PPM that comes out (ImageMagick picks PGM
 * for an all-grey picture, PBM for black and white, PPM otherwise; alpha is dropped).
 *
 * <p>Debian's {@code /usr/bin/convert} is named in full: a {@code convert} earlier on the PATH
 * may be something else.
 */
public final class MagickPixels {
    public static final Path CONVERT = Path.of("/usr/bin/convert");

    private MagickPixels() {
    }

    public static void requireConvert() {
        if (!Files.isExecutable(CONVERT)) {
            throw new AssertionError(CONVERT + " is missing: install imagemagick (.ci/install-deps does)");
        }
    }

    /** {@code convert source target}: the format is the target's extension. */
    public static Path convert(Path source, Path target) throws IOException, InterruptedException {
        requireConvert();
        Oracle.run(target.getParent(), CONVERT.toString(), source.toString(), target.toString());
        return target;
    }

    /** The pixels the reference hashes for {@code source}. */
    public static PdqPixels decode(Path source, Path scratch) throws IOException, InterruptedException {
        Path pnm = convert(source, scratch.resolve(source.getFileName() + ".pnm"));
        try {
            return readPnm(Files.readAllBytes(pnm), pnm);
        } finally {
            Files.delete(pnm);
        }
    }

    /** A binary PBM (P4), PGM (P5) or PPM (P6) with 8-bit samples, as Netpbm's specifications describe. */
    static PdqPixels readPnm(byte[] b, Path where) throws IOException {
        if (b.length < 2 || b[0] != 'P') throw new IOException(where + ": not a PNM file");
        char kind = (char) b[1];
        int[] pos = {2};
        int width = header(b, pos, where);
        int height = header(b, pos, where);
        int max = kind == '4' ? 1 : header(b, pos, where);
        pos[0]++; // the single whitespace byte before the raster
        int at = pos[0];
        switch (kind) {
            case '4': {
                // one bit per pixel, 1 = black, rows padded to a whole byte
                int rowBytes = (width + 7) / 8;
                byte[] grey = new byte[width * height];
                for (int y = 0; y < height; y++) {
                    for (int x = 0; x < width; x++) {
                        int bit = b[at + y * rowBytes + x / 8] >> (7 - x % 8) & 1;
                        grey[y * width + x] = (byte) (bit == 1 ? 0 : 255);
                    }
                }
                return PdqPixels.packed(grey, width, height, PixelLayout.GREY);
            }
            case '5':
            case '6': {
                if (max != 255) throw new IOException(where + ": maxval " + max + ", only 8-bit samples are read here");
                PixelLayout layout = kind == '5' ? PixelLayout.GREY : PixelLayout.RGB;
                return new PdqPixels(b, at, width, height, width * layout.pixelStride(), layout);
            }
            default:
                throw new IOException(where + ": PNM kind P" + kind + " is not read here");
        }
    }

    private static int header(byte[] b, int[] pos, Path where) throws IOException {
        int p = pos[0];
        while (true) {
            while (p < b.length && Character.isWhitespace(b[p])) p++;
            if (p < b.length && b[p] == '#') {
                while (p < b.length && b[p] != '\n') p++;
            } else {
                break;
            }
        }
        int start = p;
        while (p < b.length && Character.isDigit(b[p])) p++;
        if (start == p) throw new IOException(where + ": bad PNM header near byte " + start);
        pos[0] = p;
        return Integer.parseInt(new String(b, start, p - start, StandardCharsets.US_ASCII));
    }
}
