package org.triage.casework.report;

import java.util.List;
import org.triage.casework.CaseItem;
import org.triage.model.FileRecord;
import org.triage.model.Match;
import org.triage.model.SetKind;

/**
 * One entry of an item's all-files listing, as the case reports read it back.
 *
 * @param item      the case's item it was found in
 * @param record the entry as the scan recorded it (paths as exact bytes, digests, matches by digest,
 *               location)
 * @param near   the known pictures its PDQ hash lies near (the listing's matches {@code "by": "pdq"}),
 *               each with its set and the Hamming distance; empty when none. Kept apart from the
 *               record's matches: a near match is a likely copy, not the same bytes.
 */
public record ListedFile(CaseItem item, FileRecord record, List<Near> near) {
    public ListedFile {
        near = List.copyOf(near);
    }

    /** A PDQ near match: the set, its kind and category, and how many of 256 bits differ. */
    public record Near(Match match, int distance) {
    }

    /** Whether it is in an alert set, by digest or by PDQ. */
    public boolean alert() {
        if (record.hasAlert()) return true;
        for (Near n : near) if (n.match().kind() == SetKind.ALERT) return true;
        return false;
    }

    /** The path with its container chain ({@code photos.zip!/a.jpg}), display form. */
    public String chain() {
        return record.chainDisplay();
    }
}
