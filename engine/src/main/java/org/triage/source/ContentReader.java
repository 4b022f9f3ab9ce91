package org.triage.source;

import java.io.IOException;

/** Sequential read access to one entry's content. Owned by one thread; close it. */
public interface ContentReader extends AutoCloseable {

    /**
     * Reads up to {@code len} bytes into {@code buf} at {@code off}.
     *
     * @return bytes read (may be fewer than asked), or -1 at the end
     * @throws IOException naming the entry, the offset and the system's reason
     */
    int read(byte[] buf, int off, int len) throws IOException;

    /**
     * Reads up to {@code len} bytes into native memory at {@code dst}: the scan's path, with no
     * copy between the read and the hash.
     *
     * @return bytes read (may be fewer than asked), or -1 at the end
     * @throws IOException naming the entry, the offset and the system's reason
     */
    int read(com.sun.jna.Pointer dst, int len) throws IOException;

    /**
     * Whether the content changed since it was opened (size or modification time of the open
     * file, before the first read and now), for a source whose content can change under the
     * reader (a live directory tree). Call after the last read, before {@link #close()}.
     *
     * @return the two states, or null when nothing changed or the source cannot tell
     */
    default org.triage.model.ContentChange changeSinceOpen() {
        return null;
    }

    /**
     * Once the content was read to its end: why its bytes, though readable, are not those that were
     * acquired (an EWF chunk under it failed its checksum), naming where; null when nothing is
     * known to be wrong, or before the end was reached. The digests stand; the scan records this
     * as the file's error.
     */
    default String damage() { return null; }

    /**
     * Once the content was read to its end: where the bytes read lie in the evidence's disk image
     * (libtsk's block map, already in memory: nothing is read for it); null when the source has no
     * such map (a directory tree, an archive member) or cannot tell (compressed content).
     */
    default org.triage.model.ByteRuns byteRuns() { return null; }

    /**
     * Moves the next read to {@code position} bytes from the start: for an archive, whose
     * directory (ZIP's central directory, 7z's header) is read from the end, through the same
     * read-only reader, never a copy. Call only after the content was read to its end once.
     *
     * @throws IOException when this reader cannot go back (the default), naming why
     */
    default void seek(long position) throws IOException {
        throw new IOException("this content cannot be read again at an offset");
    }

    @Override
    void close();
}
