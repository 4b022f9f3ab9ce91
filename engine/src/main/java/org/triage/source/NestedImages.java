package org.triage.source;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.triage.model.RawPath;

/**
 * Opens disk images found inside an evidence item, as sources of their own whose files the scan
 * reads as part of the same item: an image file in a folder (by its path, like an image named on
 * the command line, so EWF, VMDK, VHD, raw and split raw all work), or a raw image stored as a file
 * inside another image (read through the outer reader, {@link ReaderImage}).
 *
 * <p>Design. Whether a file is an image is decided by its content, never by its name:
 * {@link ImageSignature} at the reader's first chunk, then {@link ImageProbe} for a file in a
 * folder, or libtsk's own detection for an image inside an image. Only the segments of a set are
 * found by name, exactly as libewf and {@link ImageSegments} find them beside the first: a later
 * segment ({@code x.E02}, {@code x.002}) whose set starts with a regular file beside it is read
 * with that first segment, not on its own ({@link Taken#segmentOf}); whatever the order in which
 * the walk meets them, each segment decides alone, so none is read twice or skipped silently. A
 * later segment whose first is missing is hashed as a file, with a note saying so.
 *
 * <p>Inside an image only raw images are opened: EWF, VMDK and VHD are read by libraries that open
 * their segment files by name, and an image's files have no name on this machine (copying them out
 * would write evidence content to disk). Such a file is hashed as a file, and its record says why it
 * was not examined. Stateless; thread-safe.
 */
public final class NestedImages {
    /**
     * A later segment's name ({@code .E02}… or {@code .002}…, the numbers libewf and split(1) give)
     * or a VMDK file's (an extent may be raw bytes with no signature at all).
     */
    private static final Pattern SEGMENT = Pattern.compile("(?i)^.*\\.(?:[ES](?:0[2-9]|[1-9]\\d|[A-Z][A-Z])|\\d{3,}|vmdk)$");
    private static final byte[] VMDK_DESCRIPTOR = VmdkExtents.DESCRIPTOR_START.getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /**
     * What a file in a folder turned out to be.
     *
     * @param image     the image, opened, to be walked and read (owned by the caller), or null
     * @param segmentOf for a later segment of an image that is read from its first segment, that
     *                  first segment's path in the item; else null
     * @param note      for a file hashed as a file, why it is not examined as an image, when a reader would
     *                  wonder (a segment whose first is missing); else null
     * @param problem   for an image that cannot be examined (a segment missing in the middle, a
     *                  truncated set, libtsk refusing it), why: the file is hashed as a file, and
     *                  this goes on its record as its error; else null
     */
    public record Taken(Source image, String segmentOf, String note, String problem) {
        static final Taken FILE = new Taken(null, null, null, null);
    }

    private NestedImages() {
    }

    /**
     * Whether a file's name is that of a later segment or a VMDK extent: worth asking
     * {@link #inFolder} whatever its content, since such a file is read with the first segment or
     * the descriptor of its set, not on its own.
     */
    public static boolean segmentName(RawPath path) {
        byte[] name = path.fileName();
        // Asked of every file a folder holds: most names end in no segment extension's first letter.
        int dot = name.length - 1;
        while (dot >= 0 && name[dot] != '.') dot--;
        if (dot < 0 || dot + 1 >= name.length) return false;
        int c = name[dot + 1] | 0x20;
        if (c != 'e' && c != 's' && c != 'v' && (name[dot + 1] < '0' || name[dot + 1] > '9')) return false;
        return SEGMENT.matcher(new String(name, java.nio.charset.StandardCharsets.ISO_8859_1)).matches();
    }

    /**
     * Decides what a regular file of a folder is and, when it is the first (or only) file of a disk
     * image, opens the image.
     *
     * @param folder the evidence item
     * @param path   the file's path in it
     */
    public static Taken inFolder(DirectorySource folder, RawPath path) {
        String name = path.display();
        Charset cs = DirectorySource.platformCharset();
        String relative = new String(path.bytes(), cs);
        if (!Arrays.equals(relative.getBytes(cs), path.bytes())) {
            // libewf, libvmdk and libvhdi take names as strings: this one cannot be handed to them.
            return new Taken(null, null, null, "not examined as a disk image: its name is not valid in the"
                    + " platform's charset (" + cs + "), and image libraries open files by name");
        }
        String file = Path.of(folder.name()).resolve(relative).toString();
        Path descriptor = vmdkDescriptorOf(Path.of(file));
        if (descriptor != null) {
            String of = inFolderName(name, descriptor);
            return new Taken(null, of, "extent of " + of + ": read with it, as one image", null);
        }
        try {
            if (!ImageProbe.isImage(file)) return Taken.FILE;
        } catch (IOException e) {
            return new Taken(null, null, null, "not examined as a disk image: " + inItem(e, file, name));
        }
        ImageSegments segments;
        try {
            segments = ImageSegments.resolve(file);
        } catch (IOException e) {
            String why = inItem(e, file, name);
            // The set's first file is missing: this one is a piece of an image that is not here.
            if (why.contains("(the first segment)")) return new Taken(null, null, why + "; hashed as a file", null);
            return new Taken(null, null, null, "not examined as a disk image: " + why);
        }
        List<String> files = segments.segments();
        if (!files.get(0).equals(file)) {
            Path first = Path.of(files.get(0));
            // Read with its first segment only when the walk will meet that segment as a regular file.
            if (Files.isRegularFile(first, LinkOption.NOFOLLOW_LINKS)) {
                String firstName = inFolderName(name, first);
                return new Taken(null, firstName, "segment of " + firstName + ": read with it, as one image", null);
            }
            return new Taken(null, null, "segment of " + files.get(0) + ", a link the walk does not follow;"
                    + " hashed as a file", null);
        }
        try {
            return new Taken(TskImageSource.openFound(file, name), null, null, null);
        } catch (IOException | RuntimeException e) {
            return new Taken(null, null, null, "not examined as a disk image: " + (e.getMessage() == null ? e : e.getMessage()));
        }
    }

    /**
     * Opens a raw disk image stored as a file inside another source, through that source's reader,
     * when libtsk finds a partition table or a filesystem in it.
     *
     * @param name the image's path inside the source, for messages
     * @param in   the outer reader, read to its end once; the caller keeps owning it and closes it
     *             after the returned source
     * @param size the bytes the reader yielded
     * @return the image, or null when libtsk finds neither (the file is not an image after all)
     * @throws IOException when libtsk cannot be loaded or cannot take the image
     */
    public static Source through(String name, ContentReader in, long size) throws IOException {
        ReaderImage image = ReaderImage.open(name, in, size);
        boolean recognised = false;
        try {
            recognised = ImageProbe.libtskRecognises(image.image(), image.guard());
        } finally {
            if (!recognised) image.close();
        }
        return recognised ? TskImageSource.over(name, image) : null;
    }

    /**
     * The VMDK descriptor file beside {@code file} whose extents include it, or null: a VMDK's
     * extents (sparse {@code x-s001.vmdk}, flat {@code x-flat.vmdk}) are read through their
     * descriptor, which names them, as libvmdk reads them. Only for files named {@code .vmdk}; a
     * descriptor whose set is broken (an extent missing) claims nothing, and reports itself.
     */
    private static Path vmdkDescriptorOf(Path file) {
        String fileName = file.getFileName().toString();
        if (!fileName.toLowerCase(java.util.Locale.ROOT).endsWith(".vmdk")) return null;
        try (java.nio.file.DirectoryStream<Path> ds = Files.newDirectoryStream(file.toAbsolutePath().getParent(),
                "*.[vV][mM][dD][kK]")) {
            for (Path d : ds) {
                if (d.getFileName().toString().equals(fileName) || !Files.isRegularFile(d, LinkOption.NOFOLLOW_LINKS)) continue;
                try {
                    byte[] head = EvidenceFile.head(d.toString(), 512);
                    if (!VmdkExtents.startsWith(head, VMDK_DESCRIPTOR)) continue;
                    List<String> files = VmdkExtents.files(d, head);
                    for (String f : files.subList(1, files.size())) {
                        if (Path.of(f).getFileName().toString().equals(fileName)) return d;
                    }
                } catch (IOException e) {
                    // that descriptor's set is broken: it says so on its own record
                }
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    /** The first segment's path in the item: the later segment's folder, then its name. */
    private static String inFolderName(String laterName, Path first) {
        int slash = laterName.lastIndexOf('/');
        String dir = slash < 0 ? "" : laterName.substring(0, slash + 1);
        return dir + first.getFileName();
    }

    /** A message naming the file by its path from the working directory, renamed to its path in the item. */
    private static String inItem(IOException e, String file, String name) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        return m.replace(file, name);
    }
}
