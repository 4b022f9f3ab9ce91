package org.triage.source;

import java.io.IOException;
import java.util.List;

/**
 * Decides whether a regular file named as evidence is a disk image or a loose file, by its content
 * alone. The name decides nothing: a picture saved as {@code x.E01} or {@code x.001} is a file, a
 * FAT filesystem saved as {@code card.jpg} is an image. Taking a picture for an image was the
 * worst failure a triage tool can have: its digest was never looked up, and the item said LOW.
 *
 * <p>An image is a file that carries an image format's signature (EWF, EWF logical evidence, VMDK,
 * VHD: {@link ImageSegments#hasFormatSignature}), or a raw image whose first sector is an MBR (a
 * GPT disk has a protective one: {@link PartitionTable#hasMbr}), or one in which libtsk recognises
 * another partition table (BSD, Sun, Mac) or a filesystem at offset 0. The signature checks need
 * only the file's first and last sector; libtsk is asked only when they find nothing. A file named
 * like a segment of a split raw image ({@code .001}, {@code .002}…) whose siblings are all there is
 * judged with them, from the first segment, as the scan would read it; when they are not (the
 * first is missing), the file is judged alone.
 *
 * <p>What each mistake costs decided the rule. An image whose signature says image but whose
 * filesystem is damaged stays an image: it goes to {@link TskImageSource}, which names what it
 * cannot read, instead of becoming a "file" whose one digest says nothing of its contents. A raw
 * image with no partition table and a filesystem libtsk cannot open (a wiped boot sector) has no
 * signature left: it is hashed as a file, and the report says so in words, so the examiner knows
 * its files were not examined. When libtsk itself is missing, nothing is decided: the error says
 * what to install, rather than letting a bare filesystem pass as a file.
 *
 * <p>Reads through {@link EvidenceFile} and {@link RawImage} (read-only, O_NOATIME); holds nothing;
 * thread-safe.
 */
final class ImageProbe {
    /** What the report says of a regular file hashed as a file. */
    static final String NOT_AN_IMAGE = "no partition table, filesystem or image format recognised";

    private static final int SECTOR = 512;

    private ImageProbe() {
    }

    /**
     * @param given a regular file as the examiner named it
     * @return true when it is (a segment of) a disk image
     * @throws IOException naming the file when it (or a segment it is judged with) cannot be read, or
     *                     when libtsk cannot be loaded
     */
    static boolean isImage(String given) throws IOException {
        byte[] head;
        byte[] tail;
        try (EvidenceFile f = EvidenceFile.open(given)) {
            head = f.bytes(0, (int) Math.min(SECTOR, f.size()));
            tail = f.size() >= SECTOR ? f.bytes(f.size() - SECTOR, SECTOR) : new byte[0];
        }
        if (ImageSegments.hasFormatSignature(head, tail)) return true;
        List<String> segments = rawSegments(given);
        byte[] first = segments.get(0).equals(given) ? head : EvidenceFile.head(segments.get(0), SECTOR);
        if (PartitionTable.hasMbr(first)) return true;
        if (segments.size() == 1 && head.length < SECTOR) return false; // no table or filesystem fits in less
        return libtskRecognises(segments);
    }

    /** The split raw set {@code given} belongs to, when it is whole; else the file alone. */
    private static List<String> rawSegments(String given) {
        try {
            return ImageSegments.resolve(given).segments();
        } catch (IOException e) {
            return List.of(given); // a segment missing: not a split image we could read; judged alone
        }
    }

    /**
     * Whether libtsk finds a partition table or a filesystem at offset 0. The ext inode screen is
     * set up first, as {@link TskImageSource} does, since opening an ext filesystem reads inodes.
     *
     * @throws IOException when libtsk cannot be loaded or a segment cannot be opened
     */
    private static boolean libtskRecognises(List<String> segments) throws IOException {
        try (RawImage raw = RawImage.open(segments)) {
            return libtskRecognises(raw.image(), raw.guard());
        }
    }

    /**
     * Whether libtsk finds a partition table or a filesystem at offset 0 of an opened raw image
     * (also one stored inside another image, {@link NestedImages#through}).
     */
    static boolean libtskRecognises(Tsk.Image image, ExtInodeGuard guard) {
        String[] whyNot = {""};
        try (Tsk.Volumes vs = Tsk.Volumes.open(image, whyNot)) {
            if (vs != null) return true;
        } catch (IOException e) {
            // libtsk's detection failed on the way (a read past the end of a small file): not a table
        }
        if (guard.watch(0) != null) image.dropCache();
        try (Tsk.Filesystem fs = Tsk.Filesystem.open(image, 0)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
