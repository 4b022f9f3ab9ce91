package org.triage.model;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** A digest algorithm the engine computes and the store keys on. */
public enum Algorithm {
    MD5("md5", "MD5", 16),
    SHA1("sha1", "SHA-1", 20),
    SHA256("sha256", "SHA-256", 32);

    private final String id;
    private final String jcaName;
    private final int length;

    Algorithm(String id, String jcaName, int length) {
        this.id = id;
        this.jcaName = jcaName;
        this.length = length;
    }

    /** Lower-case name used on the command line and in reports: md5, sha1, sha256. */
    public String id() { return id; }

    /** Name for {@link java.security.MessageDigest#getInstance(String)}. */
    public String jcaName() { return jcaName; }

    /** Digest length in bytes. */
    public int length() { return length; }

    /** Length of the digest written as hex. */
    public int hexLength() { return length * 2; }

    /** The algorithm whose hex digests have this many characters, or null. */
    public static Algorithm forHexLength(int hexChars) {
        for (Algorithm a : values()) {
            if (a.hexLength() == hexChars) return a;
        }
        return null;
    }

    /** The algorithm whose binary digests have this many bytes, or null. */
    public static Algorithm forLength(int bytes) {
        for (Algorithm a : values()) {
            if (a.length == bytes) return a;
        }
        return null;
    }

    /** Parses md5, sha1, sha-1, sha256, sha-256 (any case). */
    public static Algorithm parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT).replace("-", "");
        for (Algorithm a : values()) {
            if (a.id.equals(n)) return a;
        }
        throw new IllegalArgumentException("unknown algorithm '" + name + "' (expected md5, sha1 or sha256)");
    }

    /** Parses a comma-separated list such as "md5,sha1". */
    public static Set<Algorithm> parseList(String list) {
        Set<Algorithm> out = EnumSet.noneOf(Algorithm.class);
        for (String part : list.split(",")) {
            if (!part.isBlank()) out.add(parse(part));
        }
        if (out.isEmpty()) throw new IllegalArgumentException("no algorithm in '" + list + "'");
        return out;
    }
}
