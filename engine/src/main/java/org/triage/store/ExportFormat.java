package org.triage.store;

import java.util.Locale;

/** What {@link RocksHashStore#export(String, ExportFormat, java.io.Writer)} writes. */
public enum ExportFormat {
    /** One line per stored digest: set, kind, algorithm, hex digest, category, tab-separated, sorted. */
    TSV("tsv"),
    /** VICS JSON (2.0 context): kept Media objects as imported, or one Media object per digest. */
    VICS("vics"),
    /** hashdeep known-file list with the columns size,md5,sha1,sha256,filename. */
    HASHDEEP("hashdeep"),
    /** The set's MD5 digests, lower-case hex, one per line (an md5deep/plain list). */
    MD5("md5");

    private final String label;

    ExportFormat(String label) { this.label = label; }

    public String label() { return label; }

    public static ExportFormat parse(String s) {
        String n = s.trim().toLowerCase(Locale.ROOT);
        for (ExportFormat f : values()) {
            if (f.label.equals(n)) return f;
        }
        throw new IllegalArgumentException("unknown export format '" + s + "' (expected vics, hashdeep, md5 or tsv)");
    }
}
