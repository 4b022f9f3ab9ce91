package org.triage.store;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import org.triage.model.PdqHash;

/**
 * The "pdq" column family: key = the 256-bit PDQ hash, 32 bytes, the reference's text form read as
 * one big-endian number (so the key's first 8 bytes are {@link PdqHash#w3()}); value = one 8-byte
 * record per set holding the hash ({@link ValueRecords}: set id, then quality + 1 in the high byte
 * of the code and the category code below it), written as merge operands like the digest families'.
 * The family is never asked for one key: it is read whole, in key order, to build the near-match
 * index ({@link PdqIndex}), so it has no filter.
 */
final class PdqFamily {
    static final String NAME = "pdq";
    static final int KEY_LENGTH = 32;
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private PdqFamily() {
    }

    /** Word {@code w} (0 = bits 0-63, as {@link PdqHash#w0()}) of a key. */
    static long word(byte[] key, int w) {
        return (long) LONG.get(key, (3 - w) * 8);
    }
}
