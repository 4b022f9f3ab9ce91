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
 * <p>A PDQ list is 64 hex digits a line too, so when the format was guessed ({@code guessed}: no
 * {@code --format}) a list that could be one is refused rather than read as SHA-256 digests, which
 * would match no picture and say nothing: a line in PDQ's own form ({@code hash,quality,...},
 * {@code hash,,category}) at once; and, once the whole file is read, a list whose every line is a
 * 64-hex value alone or followed by {@code ,N} (N from 0 to 100: a PDQ quality as much as a numeric
 * category), unless some line showed it is a digest list (a digest of another length, md5sum's
 * {@code digest  name}, a category that is no number). The error names the line and both fixes.
 *
 * <p>One instance reads one file on one thread.
 */
final class HashListImporter extends LineImporter {
    static final String FORMAT = "plain";
    private final byte[] digest = new byte[32];
    private final boolean guessed;
    /** A line showed this is a digest list, not a PDQ list ({@link #guessed} only). */
    private boolean surelyDigests;
    /** First line (1-based) of a 64-hex value alone, and of one followed by ",N" (N 0-100); 0 when none. */
    private long firstBare;
    private long firstQualityLike;

    /**
     * @param defaultCategory category for lines that give none, or null
     * @param column          what the column after the digest is
     * @param guessed         whether the format was detected rather than given: then a list that may
     *                        be PDQ hashes is refused
     */
    HashListImporter(String defaultCategory, CategoryColumn column, boolean guessed) {
        super(defaultCategory, column);
        this.guessed = guessed;
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
        if (guessed) notPdq(algorithm, b, s, j, e, lineNo);
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

    /**
     * What the line after its digest (b[s, j)) says of the list: refuses PDQ's own form at once, notes
     * the lines a PDQ list and a SHA-256 list share, and whether the line shows a digest list.
     */
    private void notPdq(Algorithm algorithm, byte[] b, int s, int j, int e, long lineNo) throws ImportException {
        if (algorithm != Algorithm.SHA256 || (j < e && b[j] != ',')) {
            surelyDigests = true; // another length, md5sum's "digest  name", a TAB column
            return;
        }
        if (j == e) {
            if (firstBare == 0) firstBare = lineNo;
            return;
        }
        int k = j + 1;
        while (k < e && isBlank(b[k])) k++;
        int d = k;
        int quality = 0;
        while (d < e && d - k < 4 && b[d] >= '0' && b[d] <= '9') quality = quality * 10 + (b[d++] - '0');
        int after = d;
        while (after < e && isBlank(b[after])) after++;
        boolean number = d > k && d - k <= 3 && quality <= 100;
        if ((d == k && k < e && b[k] == ',') || (number && after < e && b[after] == ',')) {
            throw new ImportException(file, lineNo, "'" + HexDigits.shown(b, s, e) + "' is a PDQ hash in"
                    + " ThreatExchange's form (hash,quality,... or hash,,category), not a SHA-256 digest with a category:"
                    + " import the list with --format pdq");
        }
        if (number && after == e) {
            if (firstQualityLike == 0) firstQualityLike = lineNo;
        } else {
            surelyDigests = true;
        }
    }

    @Override
    protected void finish() throws ImportException {
        if (!guessed || surelyDigests) return;
        if (firstQualityLike > 0) {
            throw new ImportException(file, firstQualityLike, "every line is 64 hex digits, some with ',N' after them:"
                    + " PDQ hashes with their quality (hash,quality) read so as much as SHA-256 digests with a category"
                    + " N, so the format is not guessed. Give --format pdq for a PDQ list, or --format plain if these"
                    + " are SHA-256 digests");
        }
        if (firstBare > 0) {
            throw new ImportException(file, firstBare, "every line is 64 hex digits alone: SHA-256 digests and PDQ hashes"
                    + " look the same, so the format is not guessed. Give --format plain if these are SHA-256 digests,"
                    + " or --format pdq if they are PDQ hashes");
        }
    }

}
