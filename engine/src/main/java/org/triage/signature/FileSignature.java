package org.triage.signature;

import org.triage.model.ContentType;

/**
 * Tells pictures and videos by their first bytes (magic numbers), from the first chunk the reader
 * already holds: no second open, no extra read. Stateless and allocation-free.
 *
 * <p>Signatures: JPEG {@code FF D8 FF}; PNG {@code 89 'PNG' 0D 0A 1A 0A}; GIF {@code GIF87a/GIF89a};
 * BMP {@code 'BM'} plus a known DIB header size at offset 14 (a bare "BM" starts too many text
 * files); RIFF containers by their form type ({@code WEBP}, {@code AVI }); TIFF {@code II*\0},
 * {@code MM\0*} and BigTIFF; ISO base media files by their {@code ftyp} box (HEIF/AVIF brands, QuickTime
 * {@code qt  }, else MP4 family) and old QuickTime files by a leading {@code moov}/{@code mdat}/{@code wide}
 * atom; Matroska/WebM by the EBML magic and the DocType in the header.
 */
public final class FileSignature {
    /** Bytes of the start of a file that detection looks at. */
    public static final int NEEDED = 64;

    private FileSignature() {
    }

    public static ContentType detect(byte[] b, int len) {
        if (len >= 3 && u(b, 0) == 0xFF && u(b, 1) == 0xD8 && u(b, 2) == 0xFF) return ContentType.JPEG;
        if (len >= 8 && u(b, 0) == 0x89 && at(b, len, 1, "PNG") && b[4] == 0x0D && b[5] == 0x0A && b[6] == 0x1A && b[7] == 0x0A) {
            return ContentType.PNG;
        }
        if (at(b, len, 0, "GIF87a") || at(b, len, 0, "GIF89a")) return ContentType.GIF;
        if (len >= 18 && b[0] == 'B' && b[1] == 'M' && isDibHeaderSize(le32(b, 14))) return ContentType.BMP;
        if (at(b, len, 0, "RIFF")) {
            if (at(b, len, 8, "WEBP")) return ContentType.WEBP;
            if (at(b, len, 8, "AVI ")) return ContentType.AVI;
        }
        if (len >= 4 && ((b[0] == 'I' && b[1] == 'I' && (b[2] == 42 || b[2] == 43) && b[3] == 0)
                || (b[0] == 'M' && b[1] == 'M' && b[2] == 0 && (b[3] == 42 || b[3] == 43)))) {
            return ContentType.TIFF;
        }
        if (at(b, len, 4, "ftyp")) return isoBaseMedia(b, len);
        if (at(b, len, 4, "moov") || at(b, len, 4, "mdat") || at(b, len, 4, "wide") || at(b, len, 4, "pnot")) {
            return ContentType.MOV;
        }
        if (len >= 4 && u(b, 0) == 0x1A && u(b, 1) == 0x45 && u(b, 2) == 0xDF && u(b, 3) == 0xA3) {
            return contains(b, Math.min(len, NEEDED), "webm") ? ContentType.WEBM : ContentType.MKV;
        }
        return ContentType.OTHER;
    }

    private static ContentType isoBaseMedia(byte[] b, int len) {
        if (len < 12) return ContentType.OTHER;
        long box = be32(b, 0);
        int end = (int) Math.min(len, Math.min(box < 16 ? 16 : box, 256));
        // Major brand at 8, minor version at 12, compatible brands from 16 to the end of the box.
        if (isHeifBrand(b, 8)) return ContentType.HEIF;
        boolean quickTime = at(b, len, 8, "qt  ");
        for (int i = 16; i + 4 <= end; i += 4) {
            if (isHeifBrand(b, i)) return ContentType.HEIF;
        }
        return quickTime ? ContentType.MOV : ContentType.MP4;
    }

    private static final String[] HEIF_BRANDS = {"heic", "heix", "hevc", "hevx", "heim", "heis", "hevm", "hevs",
        "mif1", "msf1", "avif", "avis"};

    private static boolean isHeifBrand(byte[] b, int off) {
        for (String brand : HEIF_BRANDS) {
            if (at(b, off + 4, off, brand)) return true;
        }
        return false;
    }

    private static boolean isDibHeaderSize(long n) {
        return n == 12 || n == 16 || n == 40 || n == 52 || n == 56 || n == 64 || n == 108 || n == 124;
    }

    private static boolean contains(byte[] b, int len, String s) {
        outer:
        for (int i = 0; i + s.length() <= len; i++) {
            for (int j = 0; j < s.length(); j++) {
                if (b[i + j] != s.charAt(j)) continue outer;
            }
            return true;
        }
        return false;
    }

    private static boolean at(byte[] b, int len, int off, String ascii) {
        if (off + ascii.length() > len) return false;
        for (int i = 0; i < ascii.length(); i++) {
            if (b[off + i] != (byte) ascii.charAt(i)) return false;
        }
        return true;
    }

    private static int u(byte[] b, int i) { return b[i] & 0xFF; }

    private static long le32(byte[] b, int i) {
        return (u(b, i) | u(b, i + 1) << 8 | u(b, i + 2) << 16 | (long) u(b, i + 3) << 24);
    }

    private static long be32(byte[] b, int i) {
        return ((long) u(b, i) << 24 | u(b, i + 1) << 16 | u(b, i + 2) << 8 | u(b, i + 3));
    }

}
