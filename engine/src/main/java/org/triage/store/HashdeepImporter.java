package org.triage.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.triage.model.Algorithm;

/**
 * hashdeep / md5deep known-file lists:
 * <pre>
 *   %%%% HASHDEEP-1.0
 *   %%%% size,md5,sha256,filename
 *   ## comment lines
 *   5,d41d8cd98f00b204e9800998ecf8427e,e3b0…,/path/file
 * </pre>
 * The second line names the columns: {@code size}, then any of md5, sha1, sha256, tiger, whirlpool
 * (tiger and whirlpool are read and ignored: the store does not hold them), then {@code filename},
 * which takes the rest of the line (a name may hold commas). An empty digest field is skipped (our
 * own export leaves a column empty when an entry lacks that digest). Errors name file:line.
 */
final class HashdeepImporter extends LineImporter {
    static final String FORMAT = "hashdeep";
    private final byte[] digest = new byte[32];
    /** Per column before filename: the algorithm, or null for size and ignored digests. */
    private Algorithm[] columns;
    private String[] columnNames;

    HashdeepImporter(String defaultCategory) {
        super(defaultCategory);
    }

    @Override
    protected String format() { return FORMAT; }

    @Override
    protected void finish() throws ImportException {
        if (columns == null) throw new ImportException(file, 0, "no '%%%% size,…,filename' column line after the HASHDEEP header");
    }

    @Override
    protected void line(byte[] b, int from, int to, long lineNo) throws IOException {
        while (to > from && b[to - 1] == '\r') to--;
        if (lineNo == 1) {
            if (!new String(b, from, to - from, StandardCharsets.US_ASCII).startsWith("%%%% HASHDEEP-1.")) {
                throw new ImportException(file, 1, "not a hashdeep file: the first line must be '%%%% HASHDEEP-1.0'");
            }
            return;
        }
        if (to == from || (to - from >= 2 && b[from] == '#' && b[from + 1] == '#')) return;
        if (to - from >= 5 && b[from] == '%' && b[from + 1] == '%' && b[from + 2] == '%' && b[from + 3] == '%') {
            header(new String(b, from + 4, to - from - 4, StandardCharsets.UTF_8).trim(), lineNo);
            return;
        }
        if (columns == null) throw new ImportException(file, lineNo, "entry before the '%%%% size,…,filename' column line");
        int pos = from;
        for (int c = 0; c < columns.length; c++) {
            int e = pos;
            while (e < to && b[e] != ',') e++;
            if (e == to) {
                throw new ImportException(file, lineNo, "expected " + (columns.length + 1) + " comma-separated fields ("
                        + String.join(",", columnNames) + ",filename)");
            }
            if (c == 0) {
                for (int i = pos; i < e; i++) {
                    if (b[i] < '0' || b[i] > '9') {
                        throw new ImportException(file, lineNo, "size '" + HexDigits.shown(b, pos, e) + "' is not a number");
                    }
                }
            } else if (columns[c] != null && e > pos) {
                Algorithm a = columns[c];
                if (HexDigits.decode(b, pos, e, digest) != a) {
                    throw new ImportException(file, lineNo, a.id() + " " + HexDigits.notADigest(a, b, pos, e));
                }
                sink.digest(a, digest, 0, category);
            }
            pos = e + 1;
        }
        rows++;
    }

    private void header(String spec, long lineNo) throws ImportException {
        String[] names = spec.split(",");
        if (names.length < 3 || !names[0].trim().equals("size") || !names[names.length - 1].trim().equals("filename")) {
            throw new ImportException(file, lineNo, "the column line must read 'size,<digests…>,filename', not '" + spec + "'");
        }
        columns = new Algorithm[names.length - 1];
        columnNames = new String[names.length - 1];
        columnNames[0] = "size";
        for (int i = 1; i < names.length - 1; i++) {
            String n = names[i].trim().toLowerCase(Locale.ROOT);
            columnNames[i] = n;
            switch (n) {
                case "md5" -> columns[i] = Algorithm.MD5;
                case "sha1" -> columns[i] = Algorithm.SHA1;
                case "sha256" -> columns[i] = Algorithm.SHA256;
                case "tiger", "whirlpool" -> columns[i] = null;
                default -> throw new ImportException(file, lineNo, "unknown hashdeep column '" + n + "'");
            }
        }
    }
}
