package org.triage.store;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.triage.model.Algorithm;

/** Hex digest decoding shared by the importers: in place, no String per digest. */
final class HexDigits {
    private static final byte[] NIBBLE = new byte[256];
    private static final int MAX_SHOWN = 72;

    static {
        Arrays.fill(NIBBLE, (byte) -1);
        for (int c = '0'; c <= '9'; c++) NIBBLE[c] = (byte) (c - '0');
        for (int c = 'a'; c <= 'f'; c++) NIBBLE[c] = (byte) (c - 'a' + 10);
        for (int c = 'A'; c <= 'F'; c++) NIBBLE[c] = (byte) (c - 'A' + 10);
    }

    private HexDigits() {
    }

    /**
     * Decodes {@code b[s, e)} into {@code out} (at least 32 bytes) and returns its algorithm, told
     * by its length; null when it is not a hex digest of 32, 40 or 64 characters.
     */
    static Algorithm decode(byte[] b, int s, int e, byte[] out) {
        Algorithm algorithm = Algorithm.forHexLength(e - s);
        if (algorithm == null) return null;
        for (int i = s, o = 0; i < e; i += 2, o++) {
            int hi = NIBBLE[b[i] & 0xff];
            int lo = NIBBLE[b[i + 1] & 0xff];
            if ((hi | lo) < 0) return null;
            out[o] = (byte) (hi << 4 | lo);
        }
        return algorithm;
    }

    /** Decodes a hex digest of exactly {@code a}'s length; false when it is not one. */
    static boolean decode(String hex, Algorithm a, byte[] out) {
        if (hex.length() != a.hexLength()) return false;
        byte[] b = hex.getBytes(StandardCharsets.ISO_8859_1);
        return decode(b, 0, b.length, out) == a;
    }

    /** A bad token for a message: decoded leniently, control characters replaced, shortened. */
    static String shown(byte[] b, int s, int e) {
        String t = ControlCharacters.scrubbed(new String(b, s, Math.min(e - s, MAX_SHOWN), StandardCharsets.UTF_8));
        return e - s > MAX_SHOWN ? t + "..." : t;
    }

    static String shown(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return shown(b, 0, b.length);
    }

    /**
     * What every importer says of a token that is not a digest of {@code a}: "'…' is not a SHA-1
     * digest (40 hex characters)", with the first non-hex column when the length was right.
     */
    static String notADigest(Algorithm a, byte[] b, int s, int e) {
        return notADigestShown(a, shown(b, s, e)) + badColumn(b, s, e);
    }

    /** As {@link #notADigest(Algorithm, byte[], int, int)}, for a token read as a String (JSON, SQLite). */
    static String notADigest(Algorithm a, String token) {
        return notADigestShown(a, shown(token));
    }

    private static String notADigestShown(Algorithm a, String shown) {
        return "'" + shown + "' is not a " + a.jcaName() + " digest (" + a.hexLength() + " hex characters)";
    }

    /** " (column N is 'x')" for the first non-hex character of a token of a digest's length, else "". */
    static String badColumn(byte[] b, int s, int e) {
        if (Algorithm.forHexLength(e - s) == null) return "";
        for (int i = s; i < e; i++) {
            if (NIBBLE[b[i] & 0xff] < 0) return " (column " + (i - s + 1) + " is '" + shown(b, i, i + 1) + "')";
        }
        return "";
    }
}
