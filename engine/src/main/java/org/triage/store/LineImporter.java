package org.triage.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The shared frame of the line-based formats (plain lists, NSRLFile.txt, hashdeep): the file is
 * split by {@link LineReader}, each line goes to {@link #line}, the number of digest-bearing lines
 * (what an examiner counts as the list's files: no header, comment or blank line) to the sink, and a
 * file without a single digest is an error. One instance reads one file on one thread.
 */
abstract class LineImporter implements SetImporter {
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final String defaultCategory;
    /** What the column after a digest (a PDQ list's third field) is, for the formats that have one. */
    protected final CategoryColumn column;
    protected Path file;
    protected ImportSink sink;
    /** Code of the default category (0 for none). */
    protected int category;
    /** Digest-bearing lines seen. */
    protected long rows;

    protected LineImporter(String defaultCategory) {
        this(defaultCategory, CategoryColumn.AUTO);
    }

    /**
     * @param defaultCategory category for lines that give none, or null
     * @param column          what the column after the digest is
     */
    protected LineImporter(String defaultCategory, CategoryColumn column) {
        this.defaultCategory = defaultCategory;
        this.column = column;
    }

    @Override
    public final String read(Path file, ImportSink sink) throws IOException {
        this.file = file;
        this.sink = sink;
        this.category = sink.category(defaultCategory);
        LineReader.read(file, this::line);
        sink.read(rows);
        finish();
        if (rows == 0) throw new ImportException(file, 0, "no digest in the file");
        return format();
    }

    /** Parses one line ({@code b[from, to)}, 1-based {@code lineNo}). */
    protected abstract void line(byte[] b, int from, int to, long lineNo) throws IOException;

    /**
     * The category after the separator at b[j], up to e, without surrounding blanks, checked as
     * {@code column} says (AUTO: refused when it looks like a file path or there are too many); its code.
     */
    protected final int category(byte[] b, int j, int e, long lineNo, CategoryColumn column) throws ImportException {
        String sep = b[j] == ',' ? "','" : "TAB";
        int s = j + 1;
        while (s < e && isBlank(b[s])) s++;
        while (e > s && isBlank(b[e - 1])) e--;
        if (s == e) throw new ImportException(file, lineNo, "empty category after " + sep);
        if (column == CategoryColumn.AUTO) {
            for (int i = s; i < e; i++) {
                if (b[i] == '/' || b[i] == '\\') {
                    throw new ImportException(file, lineNo, "the column after the digest ('" + HexDigits.shown(b, s, e)
                            + "') looks like a file path, not a category. For a 'digest<TAB>path' list, import with"
                            + " --category-column ignore (and --category C for all its entries); if these really are"
                            + " categories, --category-column category");
                }
            }
        }
        String text;
        try {
            text = utf8.reset().decode(ByteBuffer.wrap(b, s, e - s)).toString();
        } catch (CharacterCodingException ex) {
            throw new ImportException(file, lineNo, "category is not valid UTF-8");
        }
        if (ControlCharacters.in(text)) {
            throw new ImportException(file, lineNo, "category '" + ControlCharacters.scrubbed(text)
                    + "' contains a control character (tab, newline...)");
        }
        int code = sink.category(text);
        if (column == CategoryColumn.AUTO && code > CategoryColumn.MAX_CATEGORIES) {
            throw new ImportException(file, lineNo, "more than " + CategoryColumn.MAX_CATEGORIES + " different categories ('"
                    + HexDigits.shown(text) + "' is one): this column looks like file names, not categories. Import with"
                    + " --category-column ignore (and --category C for all its entries), or, if these really are"
                    + " categories, --category-column category");
        }
        return code;
    }

    protected static boolean isBlank(byte c) { return c == ' ' || c == '\t'; }

    /** Checks made once the whole file is read. */
    protected void finish() throws ImportException {
    }

    /** The format name recorded with the set. */
    protected abstract String format();
}
