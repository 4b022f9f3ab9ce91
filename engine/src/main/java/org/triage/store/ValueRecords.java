package org.triage.store;

/**
 * The value of a digest key: one 8-byte record per set holding the digest, {@code set id (4 bytes,
 * big-endian) || category code (4 bytes, big-endian; 0 = none, else 1 + index into the set's
 * category list)}. Each import writes its record as a merge operand; RocksDB's string-append
 * operator with an empty delimiter concatenates operands, and the fixed width means no byte of a
 * record can be mistaken for a separator. Records of sets that are not live (a failed import, a
 * replaced or removed set) are skipped when read and dropped by the next purge.
 */
final class ValueRecords {
    static final int WIDTH = 8;

    private ValueRecords() {
    }

    static void write(byte[] out, int setId, int category) {
        out[0] = (byte) (setId >>> 24);
        out[1] = (byte) (setId >>> 16);
        out[2] = (byte) (setId >>> 8);
        out[3] = (byte) setId;
        out[4] = (byte) (category >>> 24);
        out[5] = (byte) (category >>> 16);
        out[6] = (byte) (category >>> 8);
        out[7] = (byte) category;
    }

    static int setId(byte[] v, int record) {
        return MetaTable.id(v, record * WIDTH);
    }

    static int category(byte[] v, int record) {
        return MetaTable.id(v, record * WIDTH + 4);
    }
}
