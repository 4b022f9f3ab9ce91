package org.triage.acquire;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * What an acquisition reads: a drive or a raw image, at offsets. The seam the tests use to give the
 * acquisition a source that fails on chosen sectors, as a dying drive does.
 *
 * <p>Used by the acquisition's one reader thread only.
 */
interface MediaReader extends AutoCloseable {

    /** The source as the user named it, for messages. */
    String name();

    /** Bytes on the source. */
    long size();

    /** Bytes per logical sector: the smallest read that can fail on its own. */
    int sectorSize();

    /**
     * Fills {@code into} (a direct buffer, position to limit) with the bytes at {@code offset}.
     *
     * @throws IOException when any of them cannot be read, naming the offset and the reason
     */
    void read(long offset, ByteBuffer into) throws IOException;

    @Override
    void close();
}
