package org.triage.model;

import java.util.HexFormat;

/**
 * A 256-bit PDQ hash. Bit {@code k} is the DCT coefficient at row {@code k / 16}, column
 * {@code k % 16} of the 16x16 block; {@code w0} holds bits 0-63, {@code w3} bits 192-255. The text
 * form is the reference's: the 256-bit number written big-endian, so bit 0 is the lowest bit of the
 * last hex digit (the C++ prints its sixteen 16-bit words from the 15th down).
 *
 * <p>Four longs rather than an array so that the record compares by value and costs no second
 * object.
 */
public record PdqHash(long w0, long w1, long w2, long w3) {
    /** Bits in a hash. */
    public static final int BITS = 256;
    private static final int HEX_LENGTH = BITS / 4;

    /** Parses the 64 hex digits of the reference's text form (either case). */
    public static PdqHash parse(String hex) {
        if (hex == null || hex.length() != HEX_LENGTH) {
            throw new IllegalArgumentException("a PDQ hash is " + HEX_LENGTH + " hex digits, not \"" + hex + "\"");
        }
        try {
            return new PdqHash(word(hex, 0), word(hex, 1), word(hex, 2), word(hex, 3));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a PDQ hash is " + HEX_LENGTH + " hex digits, not \"" + hex + "\"", e);
        }
    }

    /** Word {@code w} (0 = bits 0-63) of the text form, which is written from the highest word down. */
    private static long word(String hex, int w) {
        int start = (3 - w) * 16;
        return HexFormat.fromHexDigitsToLong(hex, start, start + 16);
    }

    /** The reference's text form: 64 lower-case hex digits. */
    public String hex() {
        HexFormat f = HexFormat.of();
        return f.toHexDigits(w3) + f.toHexDigits(w2) + f.toHexDigits(w1) + f.toHexDigits(w0);
    }

    /** Whether bit {@code k} (0-255) is set. */
    public boolean bit(int k) {
        if (k < 0 || k >= BITS) throw new IndexOutOfBoundsException("bit " + k + " of a 256-bit hash");
        return (word(k >>> 6) >>> (k & 63) & 1) != 0;
    }

    /**
     * The 16-bit word {@code s} (0-15): bits {@code 16 s} to {@code 16 s + 15}, the reference's
     * {@code w[s]}. Multi-index hashing splits a hash into these sixteen slots.
     */
    public int slot(int s) {
        if (s < 0 || s >= 16) throw new IndexOutOfBoundsException("slot " + s + " of 16");
        return (int) (word(s >>> 2) >>> ((s & 3) * 16)) & 0xFFFF;
    }

    /** Hamming distance: the number of bits that differ (0-256). */
    public int distance(PdqHash other) {
        return Long.bitCount(w0 ^ other.w0) + Long.bitCount(w1 ^ other.w1) + Long.bitCount(w2 ^ other.w2)
                + Long.bitCount(w3 ^ other.w3);
    }

    private long word(int i) {
        return switch (i) {
            case 0 -> w0;
            case 1 -> w1;
            case 2 -> w2;
            default -> w3;
        };
    }

    @Override
    public String toString() {
        return hex();
    }
}
