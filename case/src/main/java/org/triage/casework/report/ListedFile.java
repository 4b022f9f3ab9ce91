package org.triage.casework.report;

import java.util.Map;
import org.triage.casework.CaseItem;
import org.triage.model.FileRecord;

/**
 * One entry of an item's all-files listing, as the case reports read it back.
 *
 * @param item      the case's item it was found in
 * @param record    the entry as the scan recorded it (paths as exact bytes, digests, matches, location)
 * @param distances for a PDQ near match, the Hamming distance per set, when the listing carries it;
 *                  empty for exact matches
 */
public record ListedFile(CaseItem item, FileRecord record, Map<String, Integer> distances) {
    public ListedFile {
        distances = Map.copyOf(distances);
    }

    /** The path with its container chain ({@code photos.zip!/a.jpg}), display form. */
    public String chain() {
        return record.chainDisplay();
    }
}
