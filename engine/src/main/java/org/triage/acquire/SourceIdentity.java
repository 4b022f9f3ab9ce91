package org.triage.acquire;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.triage.natives.LibC;

/**
 * What a path is on this machine (st_dev, st_ino, st_rdev), to tell whether an output would land
 * on the source: the same file, the same device node, or a filesystem that lives on the source
 * device or on one of its partitions.
 */
record SourceIdentity(boolean blockDevice, boolean regularFile, long dev, long inode, long rdev) {

    /** statx of {@code path} with links followed. */
    static SourceIdentity of(Path path) throws IOException {
        Path real = path.toRealPath();
        try (LibC.StatxBuffer st = new LibC.StatxBuffer()) {
            byte[] c = LibC.cString(real.toString().getBytes(StandardCharsets.UTF_8));
            if (st.statAt(LibC.AT_FDCWD, c) != 0) throw new IOException(path + ": cannot stat: " + LibC.describe(LibC.errno()));
            int type = st.fileType();
            return new SourceIdentity(type == LibC.S_IFBLK, type == LibC.S_IFREG, st.device(), st.inode(), st.rdevice());
        }
    }

    /** "major:minor" of a device number (glibc's encoding), as /sys/dev/block names it. */
    static String majorMinor(long dev) {
        long major = ((dev >>> 32) & 0xfffff000L) | ((dev >>> 8) & 0xfffL);
        long minor = ((dev >>> 12) & 0xffffff00L) | (dev & 0xffL);
        return major + ":" + minor;
    }

    boolean sameFile(SourceIdentity o) {
        return dev == o.dev && inode == o.inode;
    }
}
