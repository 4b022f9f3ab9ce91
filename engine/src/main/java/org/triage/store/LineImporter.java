package org.triage.store;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The shared frame of the line-based formats (plain lists, NSRLFile.txt, hashdeep): the file is
 * split by {@link LineReader}, each line goes to {@link #line}, the number of digest-bearing lines
 * (what an examiner counts as the list's files: no header, comment or blank line) to the sink, and a
 * file without a single digest is an error. One instance reads one file on one thread.
 */
abstract class LineImporter implements SetImporter {
    private final String defaultCategory;
    protected Path file;
    protected ImportSink sink;
    /** Code of the default category (0 for none). */
    protected int category;
    /** Digest-bearing lines seen. */
    protected long rows;

    protected LineImporter(String defaultCategory) {
        this.defaultCategory = defaultCategory;
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

    /** Checks made once the whole file is read. */
    protected void finish() throws ImportException {
    }

    /** The format name recorded with the set. */
    protected abstract String format();
}
