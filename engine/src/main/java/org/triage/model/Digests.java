package org.triage.model;

import java.util.HexFormat;

/**
 * The digests computed for one file; an algorithm that was not computed is null.
 * Arrays are owned by this record and must not be modified.
 */
public record Digests(byte[] md5, byte[] sha1, byte[] sha256) {
    public static final Digests NONE = new Digests(null, null, null);
    private static final HexFormat HEX = HexFormat.of();

    public byte[] get(Algorithm a) {
        return switch (a) {
            case MD5 -> md5;
            case SHA1 -> sha1;
            case SHA256 -> sha256;
        };
    }

    /** Lower-case hex of one digest, or null when it was not computed. Use only when writing reports. */
    public String hex(Algorithm a) {
        byte[] d = get(a);
        return d == null ? null : HEX.formatHex(d);
    }

    public static Digests of(byte[][] byAlgorithmOrdinal) {
        return new Digests(byAlgorithmOrdinal[0], byAlgorithmOrdinal[1], byAlgorithmOrdinal[2]);
    }
}
