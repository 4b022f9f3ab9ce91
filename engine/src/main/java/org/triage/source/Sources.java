package org.triage.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.triage.natives.LibC;

/**
 * Opens the right {@link Source} for an evidence item named on the command line: a directory tree
 * ({@link DirectorySource}), a block device or a regular file that is a disk image by its content
 * ({@link TskImageSource}; {@link ImageProbe} decides, never the name), or any other regular file,
 * hashed as one file ({@link LooseFileSource}).
 */
public final class Sources {
    private Sources() {
    }

    /**
     * Loads what reading a live directory tree needs (JNA and the libc binding), so that a caller
     * can do it on a spare thread while it does other start-up work. Optional; idempotent.
     */
    public static void prepare() {
        LibC.errno();
    }

    /**
     * @param given the evidence item exactly as the examiner named it
     * @throws IOException with a message naming the item when it cannot be opened
     */
    public static Source open(String given) throws IOException {
        return open(given, null);
    }

    /**
     * @param given  the evidence item exactly as the examiner named it: a directory, a disk image
     *               (raw, split raw, EWF, VMDK, VHD), a block device, or any other regular file
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
        boolean device = isBlockDevice(p);
        if (Files.isRegularFile(p) || device) {
            try {
                if (device || ImageProbe.isImage(given)) return TskImageSource.open(given, verifyWith, true);
                return LooseFileSource.open(given, ImageProbe.NOT_AN_IMAGE);
            } catch (RuntimeException e) {
                // A bug of ours must not reach the examiner as a Java exception: say what, keep the detail for -v.
                System.getLogger(Sources.class.getName()).log(System.Logger.Level.DEBUG, given + ": cannot be opened", e);
                throw new IOException(given + ": cannot be opened (an internal error; run with -v for details)", e);
            }
        }
        throw new IOException(given + ": not a directory, regular file or block device");
    }

    /**
     * Every file an evidence item is made of: the segments of a split raw or EWF image (found the
     * way a scan finds them), else the item itself. For callers that must never write over
     * evidence, and to tell two names of one item apart from two items. A directory tree is the
     * item itself (its contents are under it); so is a file that is not an image, even when its
     * name looks like a segment's ({@code backup.zip.001} beside {@code backup.zip.002}).
     */
    public static java.util.List<Path> files(String given) {
        Path p = Path.of(given);
        if (!Files.isRegularFile(p)) return java.util.List.of(p);
        try {
            java.util.List<String> segments = ImageSegments.resolve(given).segments();
            // Asked only of a set of several files: one file is the item itself whatever it holds.
            if (segments.size() > 1 && !ImageProbe.isImage(given)) return java.util.List.of(p);
            return segments.stream().map(Path::of).toList();
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
