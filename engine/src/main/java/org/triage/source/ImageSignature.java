package org.triage.source;

import java.nio.charset.StandardCharsets;

/**
 * What a file's first bytes say about it being a disk image, for the scan's readers, which hold a
 * file's first chunk anyway: the cheap first look before {@link ImageProbe} (which reads the file's
 * last sector and may ask libtsk) or {@link NestedImages#through} decide. Wrong in the safe
 * direction only: every image {@link ImageProbe} accepts by its first sector is a candidate here
 * (an image format's signature at 0, an MBR, or an ext, FAT, NTFS, exFAT or HFS+ filesystem at 0);
 * a fixed VHD, whose only signature is its footer, is a candidate by the MBR or filesystem it holds.
 * A picture is a candidate only if its bytes happen to look like a boot sector, and then the next
 * look says no.
 *
 * <p>Stateless; thread-safe.
 */
public final class ImageSignature {
    /** Bytes of the head a decision needs: the ext superblock's magic ends at byte 1082. */
    public static final int NEEDED = 1082;

    /** What the head says. */
    public enum Kind {
        /** Nothing of a disk image. */
        NONE,
        /** An image format's signature (EWF, VMDK, VHD): opened by its own library, by file name. */
        FORMAT,
        /** A raw image by its content: a partition table or a filesystem at offset 0. */
        RAW
    }

    private static final int SECTOR = 512;

    private ImageSignature() {
    }

    /**
     * @param head the file's first bytes
     * @param n    how many of them are valid
     */
    public static Kind of(byte[] head, int n) {
        // Called for every file a folder holds: no allocation here (50,000 small files made 75 MB of
        // garbage and 20 MB more peak heap when each call copied the sector and built its strings).
        int m = Math.min(n, SECTOR);
        for (byte[] signature : FORMATS) {
            if (startsWith(head, m, signature)) return Kind.FORMAT;
        }
        if (n >= SECTOR && PartitionTable.hasMbr(head)) return Kind.RAW;
        if (n >= NEEDED && (head[1080] & 0xff) == 0x53 && (head[1081] & 0xff) == 0xef) return Kind.RAW; // ext2/3/4
        if (n >= 1026 && head[1024] == 'H' && (head[1025] == '+' || head[1025] == 'X')) return Kind.RAW; // HFS+/HFSX
        boolean bootSector = n >= SECTOR && (head[510] & 0xff) == 0x55 && (head[511] & 0xff) == 0xaa;
        if (bootSector && (at(head, n, 3, NTFS) || at(head, n, 3, EXFAT) || at(head, n, 54, FAT)
                || at(head, n, 82, FAT32))) {
            return Kind.RAW;
        }
        return Kind.NONE;
    }

    private static final byte[][] FORMATS = ImageSegments.formatSignatures();
    private static final byte[] NTFS = ascii("NTFS    ");
    private static final byte[] EXFAT = ascii("EXFAT   ");
    private static final byte[] FAT = ascii("FAT");
    private static final byte[] FAT32 = ascii("FAT32");

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static boolean startsWith(byte[] b, int n, byte[] prefix) {
        return at(b, n, 0, prefix);
    }

    private static boolean at(byte[] b, int n, int offset, byte[] t) {
        if (n < offset + t.length) return false;
        for (int i = 0; i < t.length; i++) {
            if (b[offset + i] != t[i]) return false;
        }
        return true;
    }
}
