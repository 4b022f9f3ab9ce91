package org.triage.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.triage.natives.LibC;

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
        return open(given, null);
    }

    /**
     * @param given  the evidence item exactly as the examiner named it: a directory, a disk image
     *               (raw, split raw, EWF, VMDK, VHD) or a block device
     * @param verifyWith for an image or device, when not null, also hash the whole media in the
     *                   same run with digests from this factory; null: no verification
     * @throws IOException with a message naming the item when it cannot be opened
     */
    public static Source open(String given, MediaDigest.Factory verifyWith) throws IOException {
        Path p = Path.of(given);
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(given + ": no such file or directory");
        }
        if (Files.isDirectory(p)) return DirectorySource.open(given);
        if (Files.isRegularFile(p) || isBlockDevice(p)) {
            try {
                return TskImageSource.open(given, verifyWith, true);
            } catch (RuntimeException e) {
                // A bug of ours must not reach the examiner as a Java exception: say what, keep the detail for -v.
                System.getLogger(Sources.class.getName()).log(System.Logger.Level.DEBUG, given + ": cannot be opened", e);
                throw new IOException(given + ": cannot be opened as a disk image (an internal error; run with -v for details)", e);
            }
        }
        throw new IOException(given + ": not a directory, disk image or block device");
    }

    /**
     * Every file an evidence item is made of: the segments of a split raw or EWF image (found the
     * way a scan finds them), else the item itself. For callers that must never write over
     * evidence. A directory tree is the item itself (its contents are under it).
     */
    public static java.util.List<Path> files(String given) {
        Path p = Path.of(given);
        if (!Files.isRegularFile(p)) return java.util.List.of(p);
        try {
            return ImageSegments.resolve(given).segments().stream().map(Path::of).toList();
        } catch (IOException | RuntimeException e) {
            return java.util.List.of(p); // a missing segment: the scan says so; none can be written over
        }
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
