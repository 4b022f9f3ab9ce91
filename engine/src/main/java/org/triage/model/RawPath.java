package org.triage.model;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * A path relative to an evidence item, kept as the exact bytes the filesystem holds, '/'-separated,
 * without a leading slash. Names need not be valid UTF-8: Java's own file APIs would replace such
 * bytes with U+FFFD and could not reopen the file, so sources list and open by these bytes.
 * Immutable.
 */
public final class RawPath implements Comparable<RawPath> {
    public static final RawPath ROOT = new RawPath(new byte[0]);

    private final byte[] bytes;
    private int hash;

    private RawPath(byte[] bytes) { this.bytes = bytes; }

    /** A path from its exact bytes (copied). */
    public static RawPath of(byte[] bytes) { return new RawPath(bytes.clone()); }

    /** A path from a Java string, encoded as UTF-8. */
    public static RawPath of(String path) { return new RawPath(path.getBytes(StandardCharsets.UTF_8)); }

    /** This path with one more name appended (the name must not contain '/'). */
    public RawPath resolve(byte[] name, int offset, int length) {
        if (bytes.length == 0) return new RawPath(Arrays.copyOfRange(name, offset, offset + length));
        byte[] out = new byte[bytes.length + 1 + length];
        System.arraycopy(bytes, 0, out, 0, bytes.length);
        out[bytes.length] = '/';
        System.arraycopy(name, offset, out, bytes.length + 1, length);
        return new RawPath(out);
    }

    public RawPath resolve(byte[] name) { return resolve(name, 0, name.length); }

    public RawPath resolve(String name) { return resolve(name.getBytes(StandardCharsets.UTF_8)); }

    /** A copy of the exact bytes. */
    public byte[] bytes() { return bytes.clone(); }

    /** Number of bytes. */
    public int length() { return bytes.length; }

    public boolean isRoot() { return bytes.length == 0; }

    /** True when the bytes are valid UTF-8 (strict: no overlong forms, no encoded surrogates). */
    public boolean isUtf8() {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /**
     * The path for display and reports. Valid UTF-8 is returned as decoded. Otherwise every byte
     * that is not part of a valid UTF-8 sequence is written as {@code \xHH} and every literal
     * backslash is doubled, so the text maps back to exactly one byte string.
     */
    public String display() {
        if (isUtf8()) return new String(bytes, StandardCharsets.UTF_8);
        CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer chars = CharBuffer.allocate(bytes.length * 2 + 2);
        StringBuilder sb = new StringBuilder(bytes.length + 16);
        while (in.hasRemaining()) {
            chars.clear();
            CoderResult r = dec.decode(in, chars, true);
            chars.flip();
            appendEscapingBackslash(sb, chars);
            if (r.isMalformed() || r.isUnmappable()) {
                for (int i = 0; i < r.length(); i++) {
                    sb.append(String.format("\\x%02X", in.get() & 0xff));
                }
            } else if (r.isUnderflow()) {
                break;
            }
        }
        return sb.toString();
    }

    private static void appendEscapingBackslash(StringBuilder sb, CharSequence cs) {
        for (int i = 0; i < cs.length(); i++) {
            char c = cs.charAt(i);
            if (c == '\\') sb.append('\\');
            sb.append(c);
        }
    }

    /** Base64 of the exact bytes. */
    public String base64() { return Base64.getEncoder().encodeToString(bytes); }

    /** The last name (bytes after the last '/'). */
    public byte[] fileName() {
        int i = bytes.length - 1;
        while (i >= 0 && bytes[i] != '/') i--;
        return Arrays.copyOfRange(bytes, i + 1, bytes.length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RawPath p && Arrays.equals(bytes, p.bytes);
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = Arrays.hashCode(bytes);
            hash = h;
        }
        return h;
    }

    @Override
    public int compareTo(RawPath o) { return Arrays.compareUnsigned(bytes, o.bytes); }

    @Override
    public String toString() { return display(); }
}
