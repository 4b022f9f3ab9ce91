package org.triage.acquire;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Puts a written file on the disk before the acquisition says it is complete: an imager that
 * reports success while the image is still dirty pages in the page cache has imaged nothing when
 * the power goes (ewfacquire and dd do not sync; dc3dd, FTK Imager's verify and guymager's
 * completion do read or flush). Also what makes the bench's rows comparable: each writer's time
 * includes getting its bytes to the disk, not to memory only.
 */
final class Fsync {
    private Fsync() {
    }

    /** fsync(2) of {@code file} (data and size), through a descriptor of our own: libewf keeps its own. */
    static void file(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            throw new IOException("cannot sync " + file + " to the disk: " + e.getMessage(), e);
        }
    }

    /** fsync(2) of the directory holding {@code file}, so that the new names are on the disk too. */
    static void directoryOf(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            throw new IOException("cannot sync the directory " + dir + " to the disk: " + e.getMessage(), e);
        }
    }
}
