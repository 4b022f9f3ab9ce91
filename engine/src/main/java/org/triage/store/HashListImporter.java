package org.triage.store;

import java.io.IOException;
import org.triage.model.Algorithm;

/**
 * Plain hash lists, the {@code plain} format.
 *
 * <p>Accepted lines (the algorithm is told by the digest's length, 32, 40 or 64 hex characters, so
 * a file may mix algorithms; hex in either case):
 * <pre>
 *   &lt;hex&gt;                      the default category, if any
 *   &lt;hex&gt;,&lt;category&gt;           a category for this line
 *   &lt;hex&gt;&lt;TAB&gt;&lt;category&gt;
 *   &lt;hex&gt;  &lt;file name&gt;          md5sum/sha1sum/sha256sum output (text mode)
 *   &lt;hex&gt; *&lt;file name&gt;          (binary mode)
 *   \&lt;hex&gt;  &lt;escaped name&gt;      (a name with a backslash or newline; the name is ignored)
 * </pre>
 * The separator follows the digest directly: in {@code <hex> ,x} the space makes it an md5sum line
 * (and a bad one), because a file name may itself start with a comma. Blank lines and lines
 * starting with '#' are skipped; leading blanks, trailing spaces, blanks around a category, CR
 * before LF and a UTF-8 byte-order mark are ignored. A category must be valid UTF-8 without control
 * characters (it ends up in tab-separated exports). What the column after the digest is, is the
 * import's {@link CategoryColumn}: by default a category, but one that looks like a file path (a
 * '/' or '\' in it), or a column with more than {@value CategoryColumn#MAX_CATEGORIES} different
 * values, is refused: {@code digest<TAB>path} exports would make every path a category of its own.
 * With {@link CategoryColumn#IGNORE} the column is skipped unread (a path need not be UTF-8). The
 * first bad line stops the read with an
 * {@link ImportException} naming file:line. Lines are parsed in place (no String per line); file
 * names in md5sum lines are never decoded.
 *
 * <p>One instance reads one file on one thread.
 */
final class HashListImporter extends LineImporter {
    static final String FORMAT = "plain";
    private final byte[] digest = new byte[32];
    private final CategoryColumn column;

    /**
     * @param defaultCategory category for lines that give none, or null
     * @param column          what the column after the digest is
     */
    HashListImporter(String defaultCategory, CategoryColumn column) {
        super(defaultCategory);
        this.column = column;
    }

    @Override
    protected String format() { return FORMAT; }

    @Override
    protected void line(byte[] b, int from, int to, long lineNo) throws IOException {
        int s = from;
        int e = to;
        while (s < e && isBlank(b[s])) s++;
        // Trailing tabs are kept: "<digest><TAB>" is a line with an empty category.
        while (e > s && (b[e - 1] == ' ' || b[e - 1] == '\r')) e--;
        if (s == e || b[s] == '#') return;
        boolean escaped = b[s] == '\\';
        if (escaped) s++;
        int j = s;
        while (j < e && b[j] != ',' && b[j] != '\t' && b[j] != ' ') j++;
        Algorithm algorithm = HexDigits.decode(b, s, j, digest);
        if (algorithm == null) {
            throw new ImportException(file, lineNo, "'" + HexDigits.shown(b, s, j)
                    + "' is not a hex digest of 32, 40 or 64 characters" + HexDigits.badColumn(b, s, j));
        }
        int category;
        if (j == e) {
            if (escaped) throw new ImportException(file, lineNo, "a line starting with '\\' must be md5sum output ('\\<digest>  <file name>')");
            category = this.category;
        } else if (b[j] == ' ') {
            if (j + 2 >= e || (b[j + 1] != ' ' && b[j + 1] != '*')) {
                throw new ImportException(file, lineNo, "expected '<digest>  <file name>', '<digest> *<file name>', "
                        + "'<digest>,<category>' or '<digest><TAB><category>' after '" + HexDigits.shown(b, s, j) + "'");
            }
            category = this.category;
        } else {
            if (escaped) throw new ImportException(file, lineNo, "a line starting with '\\' must be md5sum output ('\\<digest>  <file name>')");
            category = column == CategoryColumn.IGNORE ? this.category : category(b, j, e, lineNo, column);
        }
        sink.digest(algorithm, digest, 0, category);
        rows++;
    }

}
