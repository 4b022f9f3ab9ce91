package org.triage.store;

import java.io.IOException;
import org.triage.model.Algorithm;

/**
 * Where an importer puts what it reads from a hash-set file. One import, one thread.
 */
interface ImportSink {
    /** The code of a category as the source wrote it (interned per import); 0 for null (none). */
    int category(String text);

    /**
     * One digest with its category code; repeats are allowed (stored once: the most severe category,
     * the first on a tie; see {@link DigestTable#sortDistinct(int[])}).
     */
    void digest(Algorithm a, byte[] digest, int off, int category) throws IOException;

    /**
     * One PDQ hash (32 bytes, the reference's text form read as a big-endian number) with its category
     * code and quality (0-100, or -1 when the source gives none); repeats are allowed, as for digests.
     */
    void pdq(byte[] hash, int off, int category, int quality) throws IOException;

    /**
     * One source entry kept whole for export (a VICS Media object, as JSON bytes): fields we do not
     * interpret, such as PhotoDNA, come back out unchanged.
     */
    void entry(byte[] json) throws IOException;

    /** Lines (or rows, or objects) read, for the set's record. */
    void read(long count);

    /** Something the examiner should know about the file that does not stop the import; one sentence. */
    void warning(String sentence);
}
