package org.triage.store;

import java.io.IOException;
import java.util.Locale;

/**
 * Told as an import enters each of its phases ({@link ImportJob}); given to the admin handle when it
 * is opened ({@link RocksHashStore#openWritable(java.nio.file.Path, ImportObserver)}), {@link #NONE}
 * otherwise. Tests use it to hold an import at a phase (to kill the process there), to look at the
 * store from outside at that moment, to fail the import (throw an IOException: the import removes
 * what it wrote, as after any failure) or to crash it (throw an Error: nothing is removed until the
 * next writable open, as after a kill).
 *
 * <p>Called on the importing thread, under the store's write lock: it must not use the same handle.
 */
@FunctionalInterface
interface ImportObserver {
    /** Observes nothing. */
    ImportObserver NONE = (phase, setId) -> { };

    /** The phases of an import, in the order they run. */
    enum Phase {
        /** Reading and validating the file into spill buckets; the database is untouched. */
        PARSE,
        /** Writing sorted SST files of the set's id; its id is reserved (pending). */
        WRITE,
        /** Moving the SST files into the database; the records belong to no live set. */
        INGEST,
        /** The one batch that makes the set live; everything is in place but the set record. */
        COMMIT;

        /** The phase's name in lower case ("parse"), as processes that report it print it. */
        String label() { return name().toLowerCase(Locale.ROOT); }
    }

    /**
     * @param setId the import's set id, 0 before it has one ({@link Phase#PARSE})
     * @throws IOException to fail the import at this point
     */
    void entering(Phase phase, int setId) throws IOException;
}
