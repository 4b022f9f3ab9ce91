package org.triage.archive;

import java.io.InputStream;
import org.triage.model.RawPath;

/** Receives an archive's members, in archive order, on the lister's thread. */
public interface MemberVisitor {
    /**
     * One regular-file member.
     *
     * @param name    its path inside the archive, exactly as the archive names it (never opened or written)
     * @param size    its size as the archive's metadata says, or -1 when the archive does not say
     * @param content its decompressed bytes, valid only during this call; null when {@code error} is set
     * @param error   why its content cannot be read ("encrypted: not expanded (no key)"), or null
     * @return false to stop listing (the scan is stopping)
     */
    boolean member(RawPath name, long size, InputStream content, String error) throws InterruptedException;
}
