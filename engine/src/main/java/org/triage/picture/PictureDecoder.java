package org.triage.picture;

import java.nio.ByteBuffer;

/**
 * Turns a picture file's bytes into the pixels PDQ is computed from, as ThreatExchange's reference
 * reads them (no EXIF rotation, alpha dropped, first frame only).
 *
 * <p>Ownership and threading: one decoder per thread. The pixels of a result are the decoder's own
 * buffers, valid until its next {@code decode} call; the caller's bytes are read, never kept.
 * Memory is bounded whatever the input: a picture whose header claims more pixels than the decoder
 * takes is decoded at a reduced scale or refused with a reason, never allowed to fill the heap.
 */
public interface PictureDecoder extends AutoCloseable {

    /**
     * Decodes the whole picture in {@code content} from its position to its limit (the position is
     * left where it was).
     *
     * @throws PictureException with the reason in words when the bytes are not a picture this
     *                          decoder reads, are truncated or corrupt, or are too large to decode
     */
    DecodedPicture decode(ByteBuffer content) throws PictureException;

    /** Releases native buffers, if any. */
    @Override
    default void close() {
    }
}
