package org.triage.store;

/**
 * The value of a digest or PDQ key: one 8-byte record per set holding it, {@code set id (4 bytes,
 * big-endian) || code (4 bytes, big-endian)}. The code's low 24 bits are the category code (0 =
 * none, else 1 + index into the set's category list); its high byte is 0 in the digest families and,
 * in the PDQ family, the hash's quality plus one (0 = the set gave none, 1-101 = quality 0-100): a
 * PDQ record thus stays 8 bytes wide, and one purge handles every family. Each import writes its
 * record as a merge operand; RocksDB's string-append operator with an empty delimiter concatenates
 * operands, and the fixed width means no byte of a record can be mistaken for a separator. Records
 * of sets that are not live (a failed import, a replaced or removed set) are skipped when read and
 * dropped by the next purge.
 */
final class ValueRecords {
    static final int WIDTH = 8;
    /** Most categories one set may have: the code's low 24 bits. */
    static final int MAX_CATEGORY = 0xFF_FFFF;

    private ValueRecords() {
    }

    static void write(byte[] out, int setId, int code) {
        out[0] = (byte) (setId >>> 24);
        out[1] = (byte) (setId >>> 16);
        out[2] = (byte) (setId >>> 8);
        out[3] = (byte) setId;
        out[4] = (byte) (code >>> 24);
        out[5] = (byte) (code >>> 16);
        out[6] = (byte) (code >>> 8);
        out[7] = (byte) code;
    }

    static int setId(byte[] v, int record) {
        return MetaTable.id(v, record * WIDTH);
    }

    /** The category code of a record (the code without its quality byte). */
    static int category(byte[] v, int record) {
        return category(MetaTable.id(v, record * WIDTH + 4));
    }

    /** The PDQ quality of a record, -1 when the set gave none. */
    static int quality(byte[] v, int record) {
        return quality(MetaTable.id(v, record * WIDTH + 4));
    }

    /** A record's code: category code and quality (-1 for none) together. */
    static int code(int category, int quality) {
        return (quality + 1) << 24 | category;
    }

    static int category(int code) { return code & MAX_CATEGORY; }

    static int quality(int code) { return (code >>> 24) - 1; }
}
