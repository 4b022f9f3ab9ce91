package org.triage.archive;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A member's content that can also be read straight into a buffer of the caller's (the scan's
 * pooled native buffers, wrapped as direct {@link ByteBuffer}s): no copy through a Java array on
 * the way to the hashers. Member streams that offer it are also {@link java.io.InputStream}s, read
 * either way; owned by the lister's thread, like the stream.
 */
public interface DirectContent {
    /**
     * Reads into {@code dst} from its position up to its limit, advancing the position.
     *
     * @return bytes read (0 only when {@code dst} has no room), or -1 at the member's end
     * @throws IOException as the member's stream would (damage, truncation, a refused bound)
     */
    int read(ByteBuffer dst) throws IOException;
}
