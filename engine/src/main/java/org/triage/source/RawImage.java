package org.triage.source;

import com.sun.jna.Pointer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A raw image, a split raw image or a block device opened by us and handed to libtsk as an
 * external image ({@code tsk_img_open_external}), as {@link EwfImage} does for EWF.
 *
 * <p>Why not let libtsk open the files: libtsk opens them {@code O_RDONLY} without O_NOATIME, so
 * every scan moved the evidence's access times, and with format detection left to libtsk other
 * libraries' probes opened the file too (libafflib's, read-write). Here every segment is opened
 * {@link EvidenceFile read-only with O_NOATIME} (or without it where the kernel refuses, which is
 * recorded), and libtsk's read function is a {@code pread} on the segment that holds each byte.
 * The media is the segments' bytes one after the other.
 *
 * <p>Ownership and threading: owns the segment descriptors and the libtsk image; {@link #read} runs
 * under libtsk's image lock, {@code pread} needs no other. Close after the filesystems opened on
 * {@link #image()}.
 */
final class RawImage implements AutoCloseable {
    private static final int SECTOR = 512;

    private final List<EvidenceFile> files;
    /** Media offset at which each segment starts; one more entry: the media size. */
    private final long[] starts;
    private final Tsk.Image image;
    private final ExtInodeGuard guard;
    /** Serves the media from an acquisition's stream ({@link MediaReads}), the files being read only for what it no longer holds; or null. */
    private final MediaReads media;

    private RawImage(List<EvidenceFile> files, MediaReads media) throws IOException {
        this.files = files;
        this.media = media;
        this.starts = new long[files.size() + 1];
        for (int i = 0; i < files.size(); i++) starts[i + 1] = starts[i] + files.get(i).size();
        this.guard = new ExtInodeGuard(starts[files.size()], (offset, buf, len) -> read(null, offset, buf, len, false));
        this.image = Tsk.Image.openExternal(starts[files.size()], SECTOR,
                files.stream().map(EvidenceFile::path).toList(), this::read);
    }

    /**
     * Opens every segment read-only, in order.
     *
     * @throws IOException naming the segment that cannot be opened, or libtsk's reason
     */
    static RawImage open(List<String> segments) throws IOException {
        return open(segments, null);
    }

    /** As {@link #open(List)}, reading through {@code media} when it is not null. */
    static RawImage open(List<String> segments, MediaReads media) throws IOException {
        List<EvidenceFile> opened = new ArrayList<>();
        try {
            for (String s : segments) opened.add(EvidenceFile.open(s));
            return new RawImage(List.copyOf(opened), media);
        } catch (IOException | RuntimeException e) {
            for (EvidenceFile f : opened) f.close();
            throw e;
        }
    }

    Tsk.Image image() { return image; }

    /** The stream this image is read from, or null. */
    MediaReads media() { return media; }

    /** Screens the ext inode tables libtsk reads from this image. */
    ExtInodeGuard guard() { return guard; }

    /** Null when every segment was opened with O_NOATIME; else why not (the first segment refused). */
    String atimeRefused() {
        for (EvidenceFile f : files) {
            if (!f.atimePreserved()) return f.atimeRefused();
        }
        return null;
    }

    /** libtsk's read function: never throws (see {@link Tsk.ImageRead}). */
    private long read(Pointer img, long offset, Pointer buf, long len) {
        return read(img, offset, buf, len, true);
    }

    /** The media's bytes, screened by the {@link ExtInodeGuard} for libtsk, or as they are for the guard itself. */
    private long read(Pointer img, long offset, Pointer buf, long len, boolean screen) {
        try {
            long size = starts[files.size()];
            if (offset < 0 || offset > size) {
                Tsk.setError("read at media offset " + offset + ", beyond the media's " + size + " bytes");
                return -1;
            }
            long end = Math.min(size, offset + len);
            long done = media != null ? media.read(offset, buf, end - offset, this::readFiles) : readFiles(offset, buf, end - offset);
            if (screen) guard.screen(offset, buf, done);
            return done;
        } catch (Throwable t) {
            return Tsk.readFailed(t);
        }
    }

    /** Media bytes from the segment files, short only where a segment shrank since it was opened. */
    private long readFiles(long offset, Pointer buf, long len) throws IOException {
        long end = offset + len;
        long done = 0;
        int seg = segmentAt(offset);
        while (offset + done < end && seg < files.size()) {
            long at = offset + done - starts[seg];
            long want = Math.min(end - offset - done, starts[seg + 1] - starts[seg] - at);
            long n = files.get(seg).read(at, buf.share(done), want);
            done += n;
            if (n < want) break; // the segment shrank since it was opened: libtsk sees a short read
            seg++;
        }
        return done;
    }

    /** The segment holding media byte {@code offset} (the last one for the end of the media). */
    private int segmentAt(long offset) {
        int lo = 0;
        int hi = files.size() - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (starts[mid] <= offset) lo = mid; else hi = mid - 1;
        }
        return lo;
    }

    @Override
    public void close() {
        image.close();
        for (EvidenceFile f : files) f.close();
    }
}
