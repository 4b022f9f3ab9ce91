package org.triage.store;

import java.io.IOException;
import org.triage.model.Algorithm;

/**
 * PDQ hash lists, the {@code pdq} format: ThreatExchange's text form, one hash a line.
 * <pre>
 *   &lt;hash&gt;                         64 hex digits (either case), the reference's text form
 *   &lt;hash&gt;,&lt;quality&gt;               quality 0-100, as the reference hasher prints it
 *   &lt;hash&gt;,&lt;quality&gt;,&lt;category&gt;
 *   &lt;hash&gt;,,&lt;category&gt;              a category without a quality
 * </pre>
 * A second field is always the quality: "hash,1" is quality 1, never category 1, because the
 * reference's own output is "hash,quality" (a category goes third). What follows the second comma
 * is the category, checked as the import's {@link CategoryColumn} says (a file path, as in the
 * reference hasher's "hash,quality,path" output, is refused unless the column is ignored). Blank
 * lines and lines starting with '#' are skipped; blanks around fields, CR before LF and a UTF-8
 * byte-order mark are ignored. The first bad line stops the read with an {@link ImportException}
 * naming file:line and what is wrong.
 *
 * <p>One instance reads one file on one thread.
 */
final class PdqListImporter extends LineImporter {
    static final String FORMAT = "pdq";
    private static final int MAX_QUALITY = 100;
    private final byte[] hash = new byte[PdqFamily.KEY_LENGTH];

    /**
     * @param defaultCategory category for lines that give none, or null
     * @param column          what the third field is
     */
    PdqListImporter(String defaultCategory, CategoryColumn column) {
        super(defaultCategory, column);
    }

    @Override
    protected String format() { return FORMAT; }

    @Override
    protected void line(byte[] b, int from, int to, long lineNo) throws IOException {
        int s = from;
        int e = to;
        while (s < e && isBlank(b[s])) s++;
        while (e > s && (isBlank(b[e - 1]) || b[e - 1] == '\r')) e--;
        if (s == e || b[s] == '#') return;
        int c1 = indexOf(b, s, e, (byte) ',');
        int hashEnd = c1;
        while (hashEnd > s && isBlank(b[hashEnd - 1])) hashEnd--;
        if (HexDigits.decode(b, s, hashEnd, hash) != Algorithm.SHA256) {
            throw new ImportException(file, lineNo, "'" + HexDigits.shown(b, s, hashEnd)
                    + "' is not a PDQ hash of 64 hex digits" + HexDigits.badColumn(b, s, hashEnd));
        }
        int quality = -1;
        int category = this.category;
        if (c1 < e) {
            int c2 = indexOf(b, c1 + 1, e, (byte) ',');
            quality = quality(b, c1 + 1, c2, c2 < e, lineNo);
            if (c2 < e && column != CategoryColumn.IGNORE) category = category(b, c2, e, lineNo, column);
        }
        sink.pdq(hash, 0, category, quality);
        rows++;
    }

    /** The quality field b[s, e): 0-100, or -1 when empty and a category follows. */
    private int quality(byte[] b, int s, int e, boolean categoryFollows, long lineNo) throws ImportException {
        while (s < e && isBlank(b[s])) s++;
        while (e > s && isBlank(b[e - 1])) e--;
        if (s == e) {
            if (categoryFollows) return -1;
            throw new ImportException(file, lineNo, "empty quality after ',' (write the hash alone, or hash,,category)");
        }
        int q = 0;
        for (int i = s; i < e; i++) {
            if (b[i] < '0' || b[i] > '9' || i - s >= 3) {
                throw new ImportException(file, lineNo, "quality '" + HexDigits.shown(b, s, e)
                        + "' is not a whole number from 0 to " + MAX_QUALITY + " (the second field is the quality;"
                        + " a category goes third: hash,quality,category or hash,,category)");
            }
            q = q * 10 + (b[i] - '0');
        }
        if (q > MAX_QUALITY) {
            throw new ImportException(file, lineNo, "quality " + q + " is over " + MAX_QUALITY);
        }
        return q;
    }

    private static int indexOf(byte[] b, int from, int to, byte c) {
        for (int i = from; i < to; i++) {
            if (b[i] == c) return i;
        }
        return to;
    }
}
