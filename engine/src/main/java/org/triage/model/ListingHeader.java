package org.triage.model;

import java.time.Instant;
import java.util.List;

/**
 * The first line of an all-files listing: which tool wrote it, for which scan, of which evidence,
 * against which hash sets. A listing is kept for years and re-matched against newer sets
 * ({@code triage rematch}); this is what says where its digests came from.
 *
 * @param tool        the tool and version that wrote the listing ("triage 0.1.0")
 * @param scanStarted when the scan started
 * @param caseId      case reference, or null
 * @param examiner    examiner's name, or null
 * @param evidence    the evidence items the scan was to read, in order
 * @param algorithms  the digests the scan computed for every file read
 * @param store       the hash store the scan used (its path)
 * @param sets        the sets in that store at the time
 * @param notes       what the scan noted about how it was run (an item named twice), one sentence each
 */
public record ListingHeader(String tool, Instant scanStarted, String caseId, String examiner, List<String> evidence,
                            List<Algorithm> algorithms, String store, List<SetSeen> sets, List<String> notes) {
    /** The format version this code writes: 1 had no header and no per-item end lines. */
    public static final int VERSION = 2;

    public ListingHeader {
        evidence = List.copyOf(evidence);
        algorithms = List.copyOf(algorithms);
        sets = List.copyOf(sets);
        notes = List.copyOf(notes);
    }

    /**
     * A set as the scan saw it: its name and which import it was (the imported file's SHA-256).
     *
     * @param imported when the import finished, ISO-8601, or null
     */
    public record SetSeen(String name, String kind, long entries, String sourceSha256, String imported) {
        public static SetSeen of(HashSetInfo s) {
            return new SetSeen(s.name(), s.kind().label(), s.entries(), s.sourceSha256(),
                    s.importedAt() == null ? null : s.importedAt().toString());
        }
    }
}
