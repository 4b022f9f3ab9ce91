package org.triage.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.triage.model.Algorithm;

/**
 * NSRL RDS 2.x {@code NSRLFile.txt}: CSV with the header
 * {@code "SHA-1","MD5","CRC32","FileName","FileSize","ProductCode","OpSystemCode","SpecialCode"}
 * and quoted fields. The SHA-1 and MD5 columns (found by name in the header) are imported; the same
 * file appears once per product, so repeats are the rule (stored once). Every field of every line
 * is checked, not only the digests: a quote left open, or text after a closing quote, means the line
 * is not what it seems (the columns after it shift), and is refused. Inside a quoted field a quote
 * is doubled ({@code ""}), as RFC 4180 has it. Errors name file:line.
 */
final class NsrlCsvImporter extends LineImporter {
    static final String FORMAT = "nsrl-rds2-csv";
    private final byte[] digest = new byte[32];
    private final int[] bounds = new int[2];
    private int sha1Column = -1;
    private int md5Column = -1;

    NsrlCsvImporter(String defaultCategory) {
        super(defaultCategory);
    }

    @Override
    protected String format() { return FORMAT; }

    @Override
    protected void line(byte[] b, int from, int to, long lineNo) throws IOException {
        while (to > from && (b[to - 1] == '\r' || b[to - 1] == ' ')) to--;
        if (to == from) return;
        if (lineNo == 1) {
            header(b, from, to);
            return;
        }
        int need = Math.max(sha1Column, md5Column);
        int pos = from;
        for (int col = 0; pos <= to; col++) {
            pos = field(b, pos, to, lineNo, col);
            if (col == sha1Column) put(Algorithm.SHA1, b, lineNo, "SHA-1");
            if (col == md5Column) put(Algorithm.MD5, b, lineNo, "MD5");
            if (pos > to && col < need) throw new ImportException(file, lineNo, "expected at least " + (need + 1) + " fields");
        }
        rows++;
    }

    private void put(Algorithm a, byte[] b, long lineNo, String column) throws IOException {
        int s = bounds[0];
        int e = bounds[1];
        if (HexDigits.decode(b, s, e, digest) != a) {
            throw new ImportException(file, lineNo, column + " " + HexDigits.notADigest(a, b, s, e));
        }
        sink.digest(a, digest, 0, category);
    }

    /**
     * Reads the field at {@code pos} (column {@code col}, 0-based) into {@link #bounds} (a quoted
     * field without its quotes; a doubled quote stays doubled, which no digest holds); returns the
     * position after its comma, or {@code to + 1} after the last field.
     */
    private int field(byte[] b, int pos, int to, long lineNo, int col) throws ImportException {
        if (pos < to && b[pos] == '"') {
            int s = pos + 1;
            int e = s;
            while (true) {
                while (e < to && b[e] != '"') e++;
                if (e == to) {
                    throw new ImportException(file, lineNo, "unterminated quoted field in column " + (col + 1)
                            + " (a '\"' opens it and none closes it before the end of the line)");
                }
                if (e + 1 < to && b[e + 1] == '"') {
                    e += 2;
                    continue;
                }
                break;
            }
            bounds[0] = s;
            bounds[1] = e;
            int next = e + 1;
            if (next < to && b[next] != ',') {
                throw new ImportException(file, lineNo, "text after the closing quote of column " + (col + 1)
                        + " ('" + HexDigits.shown(b, next, Math.min(to, next + 20)) + "'); a quote inside a field is written twice");
            }
            return next + 1;
        }
        for (int i = pos; i < to && b[i] != ','; i++) {
            if (b[i] == '"') {
                throw new ImportException(file, lineNo, "a quote inside the unquoted column " + (col + 1));
            }
        }
        int e = pos;
        while (e < to && b[e] != ',') e++;
        bounds[0] = pos;
        bounds[1] = e;
        return e + 1;
    }

    private void header(byte[] b, int from, int to) throws ImportException {
        List<String> names = new ArrayList<>();
        for (String f : new String(b, from, to - from, StandardCharsets.UTF_8).split(",")) {
            names.add(f.replace("\"", "").trim());
        }
        sha1Column = names.indexOf("SHA-1");
        md5Column = names.indexOf("MD5");
        if (sha1Column < 0 || md5Column < 0) {
            throw new ImportException(file, 1, "not an NSRL RDS 2.x NSRLFile.txt: the header has no \"SHA-1\" and \"MD5\" columns");
        }
    }
}
