package org.triage.acquire;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One consumer of a source's bytes as an acquisition reads them, once, from the first sector to
 * the last: the image writer, the whole-media digests and the triage of the files are each one.
 *
 * <p>Contract, so that every sink sees the very same stream:
 * <ul>
 *   <li>{@link #accept} is called from one thread, with offsets that increase and leave no gap
 *       between calls, until the media's size (or until the acquisition stops).
 *   <li>The buffer is read-only and valid only until the call returns: a sink that works on it
 *       later (compression on other cores, a triage window) copies what it keeps. A sink may block
 *       in {@code accept} to hold the reader back (its memory stays bounded that way).
 *   <li>Sectors that could not be read after the retries are announced by {@link #unreadable}
 *       first, then passed to {@code accept} as zeros, as {@code ewfacquire} and {@code dc3dd}
 *       write them.
 *   <li>{@link #finish} ends the stream: {@code complete} is false when the acquisition was stopped
 *       (Ctrl-C) or failed before the last sector.
 * </ul>
 */
public interface MediaSink {

    /**
     * The next bytes of the source.
     *
     * @param offset where {@code data}'s first byte lies on the source
     * @param data   the bytes, position to limit; read-only, valid during the call only
     * @throws IOException when the sink cannot take them (the acquisition stops and says why)
     */
    void accept(long offset, ByteBuffer data) throws IOException;

    /**
     * Sectors that could not be read; their zeros follow in {@link #accept}.
     *
     * @param offset first unreadable byte on the source
     * @param length unreadable bytes, a whole number of sectors
     */
    default void unreadable(long offset, long length) {
    }

    /**
     * No more bytes will come.
     *
     * @param complete whether every byte of the source was passed
     * @throws IOException when the sink cannot complete its output
     */
    void finish(boolean complete) throws IOException;
}
