package org.triage.archive;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.LongSupplier;
import java.util.zip.CRC32;

/**
 * A ZIP member's bytes, checked against the CRC-32 its headers record when the member ends:
 * Commons Compress does not check it, and a member whose data was damaged must carry an error,
 * never a digest that looks complete. The expected value is asked for at the end, because a
 * streamed member's CRC may only be known from the data descriptor that follows it.
 */
final class CrcCheckedStream extends FilterInputStream {
    private final CRC32 crc = new CRC32();
    private final LongSupplier expected;
    private boolean checked;

    CrcCheckedStream(InputStream in, LongSupplier expected) {
        super(in);
        this.expected = expected;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            crc.update(b, off, n);
        } else if (n < 0 && !checked) {
            checked = true;
            check(expected.getAsLong(), crc.getValue());
        }
        return n;
    }

    /** Throws when a member's bytes do not have the CRC-32 its headers record ({@code want}; -1: none recorded). */
    static void check(long want, long got) throws IOException {
        if (want != -1 && want != got) {
            throw new IOException(String.format("CRC-32 mismatch: the member's data is damaged (recorded %08x, read %08x)", want, got));
        }
    }

    @Override
    public boolean markSupported() { return false; }
}
