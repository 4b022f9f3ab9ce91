package org.triage.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.triage.priority.CategoryTable;

/** The hash-set file formats {@link RocksHashStore#importSet} reads, and telling them apart. */
public enum ImportFormat {
    /** VICS JSON (Project VIC, CAID): {@link VicsImporter}. */
    VICS("vics"),
    /** NIST NSRL: RDS v3 SQLite ({@link NsrlSqliteImporter}) or RDS 2.x NSRLFile.txt ({@link NsrlCsvImporter}). */
    NSRL("nsrl"),
    /** hashdeep/md5deep known-file lists: {@link HashdeepImporter}. */
    HASHDEEP("hashdeep"),
    /** Plain lists and md5sum output: {@link HashListImporter}. */
    PLAIN("plain"),
    /**
     * PDQ hashes in ThreatExchange's text form, {@code hash[,quality][,category]}: {@link PdqListImporter}.
     * Detected only from a file's name ({@code .pdq}) or its first line ({@code # pdq ...}): its
     * lines look like SHA-256 (a plain list that may be PDQ is refused, {@link HashListImporter}).
     */
    PDQ("pdq");

    private static final int HEAD = 4096;
    private final String label;

    ImportFormat(String label) { this.label = label; }

    public String label() { return label; }

    public static ImportFormat parse(String s) {
        String n = s.trim().toLowerCase(Locale.ROOT);
        for (ImportFormat f : values()) {
            if (f.label.equals(n)) return f;
        }
        throw new IllegalArgumentException("unknown format '" + s + "' (expected vics, nsrl, hashdeep, plain or pdq)");
    }

    /**
     * Tells a file's format from its first bytes: SQLite's magic (NSRL RDS v3), a JSON object
     * (VICS), the {@code %%%% HASHDEEP} header, NSRLFile.txt's {@code "SHA-1","MD5"} header; a PDQ
     * list by its name ({@code *.pdq}) or a first line that is a comment whose first word is
     * {@code pdq} ({@code # PDQ hashes of ...}); anything else is a plain list (which refuses to
     * guess when its lines may be PDQ hashes).
     *
     * @throws IOException when the file cannot be read
     */
    public static ImportFormat detect(Path file) throws IOException {
        byte[] head = head(file);
        int n = head.length;
        if (NsrlSqliteImporter.isSqlite(head, n)) return NSRL;
        int i = 0;
        if (n >= 3 && head[0] == (byte) 0xEF && head[1] == (byte) 0xBB && head[2] == (byte) 0xBF) i = 3;
        String text = new String(head, i, n - i, StandardCharsets.ISO_8859_1);
        String trimmed = text.stripLeading();
        if (trimmed.startsWith("{")) return VICS;
        if (text.startsWith("%%%% HASHDEEP")) return HASHDEEP;
        if (text.startsWith("\"SHA-1\"")) return NSRL;
        if (file.getFileName() != null && file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".pdq")) return PDQ;
        if (pdqHeader(trimmed)) return PDQ;
        return PLAIN;
    }

    /** Whether the text begins with a comment line whose first word is "pdq" (any case). */
    private static boolean pdqHeader(String text) {
        if (!text.startsWith("#")) return false;
        String first = text.substring(1).stripLeading();
        if (first.length() < 3 || !first.substring(0, 3).equalsIgnoreCase("pdq")) return false;
        return first.length() == 3 || !Character.isLetterOrDigit(first.charAt(3));
    }

    private static byte[] head(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(HEAD);
        }
    }

    /**
     * The importer for a file of this format (for NSRL: SQLite or CSV, by the file's first bytes).
     * {@code refuseUncategorised}: see {@link VicsImporter}; the other formats have no such check.
     * The request's category column applies to plain lists, the only format whose second column
     * may be anything.
     */
    SetImporter importer(Path file, ImportRequest request, boolean refuseUncategorised, CategoryTable categories)
            throws IOException {
        String defaultCategory = request.category();
        return switch (this) {
            case VICS -> new VicsImporter(defaultCategory, refuseUncategorised, categories);
            case HASHDEEP -> new HashdeepImporter(defaultCategory);
            case PLAIN -> new HashListImporter(defaultCategory, request.categoryColumn(), request.format() == null);
            case PDQ -> new PdqListImporter(defaultCategory, request.categoryColumn());
            case NSRL -> {
                byte[] head = head(file);
                yield NsrlSqliteImporter.isSqlite(head, head.length) ? new NsrlSqliteImporter(defaultCategory)
                        : new NsrlCsvImporter(defaultCategory);
            }
        };
    }
}
