package org.triage.source;

import static org.triage.natives.LibC.EINTR;
import static org.triage.natives.LibC.EPERM;
import static org.triage.natives.LibC.O_CLOEXEC;
import static org.triage.natives.LibC.O_NOATIME;
import static org.triage.natives.LibC.O_RDONLY;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.triage.natives.LibC;

/**
 * One evidence file (an image segment or a block device) opened by us, read-only, for reading at
 * offsets: {@code O_RDONLY|O_CLOEXEC|O_NOATIME}, or {@code O_RDONLY|O_CLOEXEC} when the kernel
 * refuses O_NOATIME (EPERM: the caller neither owns the file nor holds CAP_FOWNER). Which of the
 * two it got is kept ({@link #atimePreserved()}), so the report can say whether the file's access
 * time was left as it was.
 *
 * <p>Why not {@link java.nio.channels.FileChannel}: the JDK cannot pass O_NOATIME, and every read
 * through it moves the access time of the evidence. Even the few header bytes read to recognise a
 * format go through here.
 *
 * <p>Public for the acquisition ({@code org.triage.acquire}), which reads a drive through it too.
 *
 * <p>Ownership and threading: owns its descriptor; {@link #read} may be called from any thread
 * ({@code pread} keeps no file position). Close once nothing reads any more.
 */
public final class EvidenceFile implements AutoCloseable {
    private final String path;
    private final AtomicInteger fd;
    private final long size;
    private final String atimeRefused;

    private EvidenceFile(String path, int fd, long size, String atimeRefused) {
        this.path = path;
        this.fd = new AtomicInteger(fd);
        this.size = size;
        this.atimeRefused = atimeRefused;
    }

    /**
     * Opens {@code path} (symbolic links followed) read-only.
     *
     * @throws IOException naming the file and the system's reason
     */
    public static EvidenceFile open(String path) throws IOException {
        byte[] c = cPath(path);
        int flags = O_RDONLY | O_CLOEXEC | O_NOATIME;
        String refused = null;
        while (true) {
            int fd = LibC.open(c, flags);
            if (fd >= 0) {
                long size = LibC.lseek(fd, 0, LibC.SEEK_END); // a block device's size too, where stat says 0
                if (size < 0) {
                    int errno = Native.getLastError();
                    LibC.close(fd);
                    throw new IOException(path + ": cannot find its size: " + LibC.describe(errno));
                }
                return new EvidenceFile(path, fd, size, refused);
            }
            int errno = Native.getLastError();
            if (errno == EPERM && (flags & O_NOATIME) != 0) {
                flags &= ~O_NOATIME;
                refused = "the kernel refused O_NOATIME for " + path
                        + " (it is not owned by the user running triage, who lacks CAP_FOWNER): reading it can move its access time";
            } else if (errno != EINTR) {
                throw new IOException(path + ": cannot open: " + LibC.describe(errno));
            }
        }
    }

    /** The file's bytes, reading at most {@code max} from offset 0 (for recognising a format). */
    static byte[] head(String path, int max) throws IOException {
        try (EvidenceFile f = open(path)) {
            return f.bytes(0, (int) Math.min(max, f.size()));
        }
    }

    public String path() { return path; }

    public long size() { return size; }

    /** True when opened with O_NOATIME: reading it leaves its access time as it was. */
    boolean atimePreserved() { return atimeRefused == null; }

    /** Why the access time is not preserved, or null when it is. */
    String atimeRefused() { return atimeRefused; }

    /**
     * Reads up to {@code len} bytes at {@code offset} into {@code buf}; fewer only at the end of the
     * file. Returns the bytes read.
     *
     * @throws IOException naming the file, the offset and the system's reason
     */
    public long read(long offset, Pointer buf, long len) throws IOException {
        long done = 0;
        while (done < len) {
            long n = LibC.pread(descriptor(), buf.share(done), len - done, offset + done);
            if (n == 0) break;
            if (n < 0) {
                int errno = Native.getLastError();
                if (errno == EINTR) continue;
                throw new IOException(path + ": read failed at offset " + (offset + done) + ": " + LibC.describe(errno));
            }
            done += n;
        }
        return done;
    }

    /** {@code len} bytes at {@code offset} as an array (fewer at the end of the file). */
    byte[] bytes(long offset, int len) throws IOException {
        if (len <= 0) return new byte[0];
        try (Memory m = new Memory(len)) {
            int n = (int) read(offset, m, len);
            return m.getByteArray(0, n);
        }
    }

    private int descriptor() throws IOException {
        int d = fd.get();
        if (d < 0) throw new IOException(path + ": already closed");
        return d;
    }

    @Override
    public void close() {
        int d = fd.getAndSet(-1);
        if (d >= 0) LibC.close(d);
    }

    /** The path's bytes as the JVM's file system would pass them, NUL-terminated. */
    private static byte[] cPath(String path) {
        Charset cs;
        try {
            cs = Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
        } catch (RuntimeException e) {
            cs = StandardCharsets.UTF_8;
        }
        return LibC.cString(path.getBytes(cs));
    }
}
