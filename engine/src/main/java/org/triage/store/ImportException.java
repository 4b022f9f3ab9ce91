package org.triage.store;

import java.nio.file.Path;

/**
 * A hash-list file cannot be imported because of its content. The message is
 * {@code <file>:<line>: <reason>} (line 0 when the problem is the file as a whole). Thrown before
 * anything is written: the store is left as it was.
 */
public final class ImportException extends StoreException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final long line;
    private final String reason;

    public ImportException(Path file, long line, String reason) {
        super(file + ":" + line + ": " + reason);
        this.file = file;
        this.line = line;
        this.reason = reason;
    }

    /** The same fault, named after {@code shown} (standard input read through a temporary file). */
    ImportException shownAs(Path shown) {
        ImportException e = new ImportException(shown, line, reason);
        e.initCause(this);
        return e;
    }

    /** The file being imported. */
    public Path file() { return file; }

    /** The 1-based line at fault, or 0 when the fault is not on one line. */
    public long line() { return line; }
}
