package org.triage.store;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Reads one hash-set file format into an {@link ImportSink}, validating every entry; the first bad
 * one stops the read with an {@link ImportException} naming file:line (or file and JSON path, or
 * table row). One instance reads one file on one thread.
 */
interface SetImporter {
    /**
     * @return the format as read, for the set's provenance (for example "vics-2.0", "nsrl-rds3-sqlite")
     * @throws ImportException at the first bad entry, or when the file holds no digest
     * @throws IOException     when the file cannot be read
     */
    String read(Path file, ImportSink sink) throws IOException;
}
