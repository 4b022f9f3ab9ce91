package org.triage.source;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.util.Objects;
import org.triage.model.RawPath;

/**
 * Reads one open regular file with libc {@code read}: the scan reads straight into its native
 * buffers; a read into a Java array goes through a native buffer of the reading thread's and is
 * then copied. That buffer belongs to the thread, not to the file: it is
 * allocated once per thread, grown to the largest length asked (rounded up to a power of two, at
 * most {@link #MAX_BUFFER}) and reused for every file that thread reads, so a drive of small
 * files costs no allocation per file. A longer request is served in pieces of that size.
 *
 * <p>Owns the descriptor; owned by one thread; close it (idempotent).
 */
final class FileContentReader implements ContentReader {
    static final int MAX_BUFFER = 1 << 20;
    private static final int MIN_BUFFER = 8 << 10;

    private final RawPath path;
    private int fd;
    private static final ThreadLocal<Memory[]> SCRATCH = ThreadLocal.withInitial(() -> new Memory[1]);
    private long offset;

    /** Takes ownership of {@code fd}. */
    FileContentReader(RawPath path, int fd) {
        this.path = path;
        this.fd = fd;
    }

    /** The scan's path: straight into the caller's native memory. */
    @Override
    public int read(Pointer dst, int len) throws IOException {
        ensureOpen();
        if (len == 0) return 0;
        long n;
        while ((n = LibC.read(fd, dst, len)) < 0) {
            int errno = LibC.errno();
            if (errno != LibC.EINTR) {
                throw new IOException("read failed at offset " + offset + " of '" + path.display() + "': "
                        + LibC.describe(errno));
            }
        }
        if (n == 0) return -1;
        offset += n;
        return (int) n;
    }

    /** Into a Java array, through this thread's native buffer. */
    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, buf.length);
        ensureOpen();
        if (len == 0) return 0;
        Memory mem = buffer(Math.min(len, MAX_BUFFER));
        int n = read(mem, (int) Math.min(len, mem.size()));
        if (n > 0) mem.read(0, buf, off, n);
        return n;
    }

    private void ensureOpen() throws IOException {
        if (fd < 0) throw new IOException("reader of '" + path.display() + "' is closed");
    }

    private static Memory buffer(int want) {
        Memory[] slot = SCRATCH.get();
        Memory buffer = slot[0];
        if (buffer == null || buffer.size() < want) {
            int size = Math.min(MAX_BUFFER, Math.max(MIN_BUFFER, Integer.highestOneBit(want - 1) << 1));
            if (buffer != null) buffer.close();
            buffer = new Memory(size);
            slot[0] = buffer;
        }
        return buffer;
    }

    @Override
    public void close() {
        if (fd >= 0) {
            LibC.close(fd);
            fd = -1;
        }
    }
}
