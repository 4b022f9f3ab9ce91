package org.triage.archive;

import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * The archive and compression formats the scan recognises, by signature only: a name says
 * nothing (a ZIP named {@code holiday.dat} is a ZIP; a text file named {@code x.zip} is not).
 * Detection looks at the first {@value #NEEDED} bytes, which the reader already holds in its first
 * chunk: no second read. Stateless.
 */
public enum ArchiveFormat {
    ZIP("zip"),
    SEVEN_Z("7z"),
    TAR("tar"),
    GZIP("gzip"),
    BZIP2("bzip2"),
    XZ("xz"),
    /** Recognised so that it can be named, never expanded (see the README: no open-source reader). */
    RAR("rar");

    /** Bytes of the start of a file detection needs: a TAR header's magic sits at 257. */
    public static final int NEEDED = 512;

    private final String label;

    ArchiveFormat(String label) {
        this.label = label;
    }

    public String label() { return label; }

    /** The format these first bytes start, or null when they start none of them. */
    public static ArchiveFormat detect(byte[] b, int len) {
        if (len >= 4 && b[0] == 'P' && b[1] == 'K' && ((b[2] == 3 && b[3] == 4) || (b[2] == 5 && b[3] == 6))) return ZIP;
        if (len >= 6 && b[0] == '7' && b[1] == 'z' && u(b, 2) == 0xBC && u(b, 3) == 0xAF && b[4] == 0x27 && b[5] == 0x1C) {
            return SEVEN_Z;
        }
        if (len >= 6 && b[0] == 'R' && b[1] == 'a' && b[2] == 'r' && b[3] == '!' && b[4] == 0x1A && b[5] == 0x07) return RAR;
        if (len >= 3 && u(b, 0) == 0x1F && u(b, 1) == 0x8B && b[2] == 8) return GZIP;
        if (len >= 4 && b[0] == 'B' && b[1] == 'Z' && b[2] == 'h' && b[3] >= '1' && b[3] <= '9') return BZIP2;
        if (len >= 6 && u(b, 0) == 0xFD && b[1] == '7' && b[2] == 'z' && b[3] == 'X' && b[4] == 'Z' && b[5] == 0) return XZ;
        if (len >= 263 && TarArchiveInputStream.matches(b, len)) return TAR;
        return null;
    }

    private static int u(byte[] b, int i) { return b[i] & 0xFF; }
}
