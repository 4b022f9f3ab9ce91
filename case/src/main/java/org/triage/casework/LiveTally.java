package org.triage.casework;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.triage.model.ContentType;
import org.triage.model.EntryType;
import org.triage.model.FileRecord;
import org.triage.model.Match;
import org.triage.model.SetKind;
import org.triage.priority.CategoryTable;
import org.triage.priority.EvidenceTally;

/**
 * Counts one item's records as they arrive, for the queue while the item is read: what the
 * engine's {@link EvidenceTally} counts for the priority (alert files, severity, categories and
 * sets, counting a file once per set and per category as it does), plus what the queue needs and
 * the engine's summary does not hold: known pictures and videos among the matches, and pictures
 * and videos in no set (the tie-break). Single-threaded: the recording thread.
 */
final class LiveTally {
    private final CategoryTable categories;
    private long files;
    private long alertFiles;
    private long raisingFiles;
    private long raisingPictures;
    private long raisingVideos;
    private int severity;
    private long pictures;
    private long videos;
    private long unknownMedia;
    private long extMismatches;
    private long knownGood;
    private long unreadable;
    private final Map<String, Long> bySet = new TreeMap<>();
    private final Map<String, Long> byCategory = new TreeMap<>();

    LiveTally(CategoryTable categories) {
        this.categories = categories;
    }

    /** Counts a record; true when it is an alert match that raises priority (the queue should know at once). */
    boolean add(FileRecord r) {
        files++;
        ContentType.Media media = r.contentType() == null ? ContentType.Media.NONE : r.contentType().media();
        if (media == ContentType.Media.IMAGE) pictures++;
        if (media == ContentType.Media.VIDEO) videos++;
        if (media != ContentType.Media.NONE && r.matches().isEmpty() && r.type() == EntryType.FILE) unknownMedia++;
        if (r.extMismatch()) extMismatches++;
        if (r.error() != null) unreadable++;
        if (!r.hasAlert()) {
            if (r.isKnownGood()) knownGood++;
            return false;
        }
        alertFiles++;
        Set<String> sets = new HashSet<>();
        Set<String> cats = new HashSet<>();
        boolean raises = false;
        for (Match m : r.matches()) {
            if (m.kind() != SetKind.ALERT) continue;
            sets.add(m.set());
            cats.add(m.category() == null || m.category().isEmpty() ? EvidenceTally.NO_CATEGORY : m.category());
            severity = Math.max(severity, categories.severity(m.category()));
            raises |= categories.raises(m.category());
        }
        for (String s : sets) bySet.merge(s, 1L, Long::sum);
        for (String c : cats) byCategory.merge(c, 1L, Long::sum);
        if (raises) {
            raisingFiles++;
            if (media == ContentType.Media.IMAGE) raisingPictures++;
            if (media == ContentType.Media.VIDEO) raisingVideos++;
        }
        return raises;
    }

    ItemCounts counts() {
        return new ItemCounts(files, alertFiles, raisingFiles, raisingPictures, raisingVideos, severity,
                EvidenceTally.inWords(byCategory, categories, true), EvidenceTally.inWords(byCategory, categories, false),
                bySet, pictures, videos, unknownMedia, extMismatches, knownGood, unreadable);
    }
}
