package org.triage.source;

import com.sun.jna.Memory;
import java.io.IOException;
import java.util.Objects;
import org.triage.model.RawPath;

/**
 * Reads one open regular file with libc {@code read} into native memory, then copies into the
 * caller's array. The native buffer belongs to the reading thread, not to the file: it is
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

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (fd < 0) throw new IOException("reader of '" + path.display() + "' is closed");
        if (len == 0) return 0;
        int want = Math.min(len, MAX_BUFFER);
        Memory mem = buffer(want);
        long n;
        while ((n = LibC.read(fd, mem, want)) < 0) {
            int errno = LibC.errno();
            if (errno != LibC.EINTR) {
                throw new IOException("read failed at offset " + offset + " of '" + path.display() + "': "
                        + LibC.describe(errno));
            }
        }
        if (n == 0) return -1;
        mem.read(0, buf, off, (int) n);
        offset += n;
        return (int) n;
    }

    @Override
    public int read(com.sun.jna.Pointer dst, int len) throws IOException {
        if (fd < 0) throw new IOException("reader of '" + path.display() + "' is closed");
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
