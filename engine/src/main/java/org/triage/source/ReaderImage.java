package org.triage.source;

import com.sun.jna.Pointer;
import java.io.IOException;
import java.util.List;

/**
 * A raw disk image stored as a file inside another evidence source (an ext image saved on a FAT
 * image), handed to libtsk as an external image ({@code tsk_img_open_external}) whose reads go
 * through the outer source's {@link ContentReader}, at offsets ({@link ContentReader#seek}).
 *
 * <p>Why through the reader: the inner image's bytes exist only inside the outer one; the reader is
 * the read-only path to them that the scan already has open (for the file's own digests), so
 * nothing is copied out, and nothing can open them for writing. Image formats that their own
 * library opens by file name (EWF, VMDK, VHD) cannot be read this way, and are not (see
 * {@link NestedImages}).
 *
 * <p>Ownership and threading: owns the libtsk image, not the reader (its owner closes it after
 * this). {@link #read} runs under libtsk's image lock, on the one reader thread that owns the outer
 * reader; the monitor guards the reader's position all the same. Close after the filesystems opened
 * on {@link #image()}.
 */
final class ReaderImage implements AutoCloseable {
    private static final int SECTOR = 512;

    private final String name;
    private final ContentReader in;
    private final long size;
    private final Tsk.Image image;
    private final ExtInodeGuard guard;

    private ReaderImage(String name, ContentReader in, long size) throws IOException {
        this.name = name;
        this.in = in;
        this.size = size;
        this.guard = new ExtInodeGuard(size, (offset, buf, len) -> read(null, offset, buf, len, false));
        this.image = Tsk.Image.openExternal(size, SECTOR, List.of(name), this::read);
    }

    /**
     * @param name the image's path in the evidence item, for libtsk's messages
     * @param in   the outer source's reader of the image file, read to its end once (so seekable)
     * @param size the bytes the reader yielded
     * @throws IOException when libtsk cannot be loaded or cannot take the image
     */
    static ReaderImage open(String name, ContentReader in, long size) throws IOException {
        return new ReaderImage(name, in, size);
    }

    Tsk.Image image() { return image; }

    /** Screens the ext inode tables libtsk reads from this image. */
    ExtInodeGuard guard() { return guard; }

    /** libtsk's read function: never throws (see {@link Tsk.ImageRead}). */
    private long read(Pointer img, long offset, Pointer buf, long len) {
        return read(img, offset, buf, len, true);
    }

    private long read(Pointer img, long offset, Pointer buf, long len, boolean screen) {
        try {
            if (offset < 0 || offset > size) {
                Tsk.setError(name + ": read at offset " + offset + ", beyond the image's " + size + " bytes");
                return -1;
            }
            long want = Math.min(len, size - offset);
            long done = 0;
            synchronized (this) {
                in.seek(offset);
                while (done < want) {
                    int n = in.read(done == 0 ? buf : buf.share(done), (int) Math.min(want - done, 1 << 30));
                    if (n < 0) break; // the file ended early: libtsk sees a short read
                    done += n;
                }
            }
            if (screen) guard.screen(offset, buf, done);
            return done;
        } catch (Throwable t) {
            return Tsk.readFailed(t);
        }
    }

    @Override
    public void close() {
        image.close();
    }
}
