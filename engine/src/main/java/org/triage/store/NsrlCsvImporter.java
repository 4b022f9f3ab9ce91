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
 * file appears once per product, so repeats are the rule (stored once). Errors name file:line.
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
        for (int col = 0; col <= need; col++) {
            if (pos > to) throw new ImportException(file, lineNo, "expected at least " + (need + 1) + " fields");
            pos = field(b, pos, to, lineNo);
            if (col == sha1Column) put(Algorithm.SHA1, b, lineNo, "SHA-1");
            if (col == md5Column) put(Algorithm.MD5, b, lineNo, "MD5");
        }
        rows++;
    }

    private void put(Algorithm a, byte[] b, long lineNo, String column) throws IOException {
        int s = bounds[0];
        int e = bounds[1];
        if (HexDigits.decode(b, s, e, digest) != a) {
            throw new ImportException(file, lineNo, column + " '" + HexDigits.shown(b, s, e) + "' is not a "
                    + a.jcaName() + " digest (" + a.hexLength() + " hex characters)" + HashListImporter.badColumn(b, s, e));
        }
        sink.digest(a, digest, 0, category);
    }

    /** Reads the field at {@code pos} into {@link #bounds}; returns the position after its comma. */
    private int field(byte[] b, int pos, int to, long lineNo) throws ImportException {
        if (pos < to && b[pos] == '"') {
            int s = pos + 1;
            int e = s;
            while (e < to && b[e] != '"') e++;
            if (e == to) throw new ImportException(file, lineNo, "unterminated quoted field");
            bounds[0] = s;
            bounds[1] = e;
            int next = e + 1;
            while (next < to && b[next] != ',') next++; // a doubled quote inside a name: skip to the comma
            return next + 1;
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
