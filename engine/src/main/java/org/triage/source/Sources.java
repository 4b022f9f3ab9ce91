package org.triage.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/** Opens the right {@link Source} for an evidence item named on the command line. */
public final class Sources {
    private Sources() {
    }

    /**
     * @param given the evidence item exactly as the examiner named it
     * @throws IOException with a message naming the item when it cannot be opened
     */
    /**
     * Loads what reading a live directory tree needs (JNA and the libc binding), so that a caller
     * can do it on a spare thread while it does other start-up work. Optional; idempotent.
     */
    public static void prepare() {
        LibC.errno();
    }

    public static Source open(String given) throws IOException {
        return open(given, false);
    }

    /**
     * @param given  the evidence item exactly as the examiner named it: a directory, a disk image
     *               (raw, split raw, EWF, VMDK, VHD) or a block device
     * @param verify for an image or device, also hash the whole media in the same run
     * @throws IOException with a message naming the item when it cannot be opened
     */
    public static Source open(String given, boolean verify) throws IOException {
        Path p = Path.of(given);
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(given + ": no such file or directory");
        }
        if (Files.isDirectory(p)) return DirectorySource.open(given);
        if (Files.isRegularFile(p) || isBlockDevice(p)) return TskImageSource.open(given, verify, true);
        throw new IOException(given + ": not a directory, disk image or block device");
    }

    private static boolean isBlockDevice(Path p) {
        try {
            Object mode = Files.getAttribute(p, "unix:mode");
            return mode instanceof Integer m && (m & 0xF000) == 0x6000;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }
}
