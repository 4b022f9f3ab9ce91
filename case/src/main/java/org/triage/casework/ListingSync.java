package org.triage.casework;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The stream under an item's all-files listing, which is the item's checkpoint: the listing hands
 * its lines to the file at the end of every ring batch (a kill loses none of those), and this
 * forces them to the disk at most every {@value #SYNC_MILLIS} ms and at the close, so that a power
 * loss loses at most that long of recording. Why not at every batch: an fsync per batch of a few
 * small files would cost more than reading them. Single-threaded, as the listing.
 */
final class ListingSync extends FilterOutputStream {
    static final long SYNC_MILLIS = 1000;

    private final FileChannel sync;
    private long lastSync = System.nanoTime();

    ListingSync(OutputStream out, Path file) throws IOException {
        super(out);
        // Our own listing, opened a second time only to force it: fsync reaches the file whatever descriptor asks.
        this.sync = FileChannel.open(file, StandardOpenOption.WRITE);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
        out.flush();
        if (System.nanoTime() - lastSync >= SYNC_MILLIS * 1_000_000) {
            sync.force(false);
            lastSync = System.nanoTime();
        }
    }

    @Override
    public void close() throws IOException {
        try (sync) {
            out.flush();
            sync.force(false);
        } finally {
            out.close();
        }
    }
}
