package org.triage.source;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.time.Instant;
import java.util.Objects;
import org.triage.model.ContentChange;
import org.triage.model.RawPath;
import org.triage.natives.LibC;

/**
 * Reads one open regular file with libc {@code read}: the scan reads straight into its native
 * buffers; a read into a Java array goes through a native buffer of the reading thread's and is
 * then copied. That buffer belongs to the thread, not to the file: it is
 * allocated once per thread, grown to the largest length asked (rounded up to a power of two, at
 * most {@link #MAX_BUFFER}) and reused for every file that thread reads, so a drive of small
 * files costs no allocation per file. A longer request is served in pieces of that size.
 *
 * <p>Live files. The size and modification time stat'ed on the descriptor right after it was
 * opened (before the first read) are compared with a fresh fstat after the last read
 * ({@link #changeSinceOpen()}): a file truncated or appended to while it was read is caught.
 * A file never yields more than {@link #limit(long, long)} bytes: past its size at open (or its
 * allocated blocks, if more) plus {@value #MAX_BUFFER} bytes of slack, reading stops with an
 * error. A regular file on a disk filesystem reaches that only when it grows while being read
 * (and the change check then says so); a pseudo-file that reports size 0 and yields data without
 * end (procfs' {@code pagemap}, on a filesystem {@link PseudoFilesystems} does not know) is
 * stopped after about a megabyte instead of being read for hours.
 *
 * <p>Owns the descriptor; owned by one thread; close it (idempotent).
 */
final class FileContentReader implements ContentReader {
    static final int MAX_BUFFER = 1 << 20;
    private static final int MIN_BUFFER = 8 << 10;

    private final RawPath path;
    private int fd;
    /** The reading thread's statx buffer for the check after the last read: no allocation per file. */
    private static final ThreadLocal<LibC.StatxBuffer> STAT = ThreadLocal.withInitial(LibC.StatxBuffer::new);
    private static final ThreadLocal<Memory[]> SCRATCH = ThreadLocal.withInitial(() -> new Memory[1]);
    private long offset;
    private final long sizeAtOpen;
    private final Instant modifiedAtOpen;
    private final long limit;

    /**
     * Takes ownership of {@code fd}.
     *
     * @param sizeAtOpen     st_size stat'ed on {@code fd} before any read
     * @param blocksAtOpen   st_blocks (512-byte units) stat'ed with it
     * @param modifiedAtOpen st_mtime stat'ed with it
     */
    FileContentReader(RawPath path, int fd, long sizeAtOpen, long blocksAtOpen, Instant modifiedAtOpen) {
        this.path = path;
        this.fd = fd;
        this.sizeAtOpen = sizeAtOpen;
        this.modifiedAtOpen = modifiedAtOpen;
        this.limit = limit(sizeAtOpen, blocksAtOpen);
    }

    /** The most bytes a file of this size and allocation may yield before reading stops. */
    static long limit(long size, long blocks) {
        long allocated = blocks > Long.MAX_VALUE / 512 ? Long.MAX_VALUE : blocks * 512;
        long most = Math.max(Math.max(0, size), allocated);
        return most > Long.MAX_VALUE - MAX_BUFFER ? Long.MAX_VALUE : most + MAX_BUFFER;
    }

    /** The scan's path: straight into the caller's native memory. */
    @Override
    public int read(Pointer dst, int len) throws IOException {
        ensureOpen();
        if (len == 0) return 0;
        if (offset >= limit) {
            throw new IOException("'" + path.display() + "' yields more bytes than its size (" + sizeAtOpen
                    + " bytes when opened): stopped after " + offset
                    + " bytes (a pseudo-file, or a file growing while it is read)");
        }
        long n;
        while ((n = LibC.read(fd, dst, (int) Math.min(len, limit - offset))) < 0) {
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

    /** {@inheritDoc} An lseek on the read-only descriptor; the bound on bytes read stays. */
    @Override
    public void seek(long position) throws IOException {
        ensureOpen();
        if (position < 0) throw new IOException("cannot seek '" + path.display() + "' to " + position);
        if (LibC.lseek(fd, position, LibC.SEEK_SET) < 0) {
            throw new IOException("seek to " + position + " of '" + path.display() + "' failed: " + LibC.describe(LibC.errno()));
        }
        offset = position;
    }

    /** {@inheritDoc} A fresh fstat of the open descriptor against the one taken before the first read. */
    @Override
    public ContentChange changeSinceOpen() {
        if (fd < 0) return null;
        LibC.StatxBuffer st = STAT.get();
        if (st.statFd(fd) != 0) return null; // the descriptor is ours and open: cannot fail in practice
        if (st.size() == sizeAtOpen && st.modified().equals(modifiedAtOpen)) return null;
        return new ContentChange(sizeAtOpen, modifiedAtOpen, st.size(), st.modified(), offset);
    }

    @Override
    public void close() {
        if (fd >= 0) {
            LibC.close(fd);
            fd = -1;
        }
    }
}
