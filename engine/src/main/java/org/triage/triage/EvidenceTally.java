package org.triage.triage;

import java.util.Map;
import java.util.TreeMap;
import org.triage.model.CategoryTable;
import org.triage.model.EntryType;
import org.triage.model.EvidenceSummary;
import org.triage.model.FileRecord;
import org.triage.model.Match;
import org.triage.model.Priority;
import org.triage.model.SetKind;
import org.triage.model.SourceStats;

/**
 * Counts one evidence item's records into its {@link EvidenceSummary}. Single-threaded: fed by
 * the recording stage.
 *
 * <p>The priority rule: a device with at least one file in an alert set whose category the
 * {@link CategoryTable} says raises priority (or that the table does not know) is {@link Priority#HIGH};
 * every other device is {@link Priority#LOW}. An alert match whose category does not raise (VICS 0,
 * non-pertinent) is still counted and reported, but alone leaves the device low. Within a level, devices rank by the highest category
 * severity matched ({@link CategoryTable}), then by the number of alert files, then by how much
 * could not be read (an incomplete scan deserves a look sooner).
 */
public final class EvidenceTally {
    /** Name used for matches whose entry has no category. */
    public static final String UNCATEGORISED = "uncategorised";

    private final String source;
    private final CategoryTable categories;
    private boolean raised;
    private long files;
    private long regularFiles;
    private long alertFiles;
    private long knownGood;
    private long unreadable;
    private int severity;
    private long images;
    private long videos;
    private long extMismatches;
    private final Map<String, Long> bySet = new TreeMap<>();
    private final Map<String, Long> byCategory = new TreeMap<>();

    public EvidenceTally(String source) {
        this(source, CategoryTable.defaults());
    }

    public EvidenceTally(String source, CategoryTable categories) {
        this.source = source;
        this.categories = categories;
    }

    public void add(FileRecord r) {
        files++;
        if (r.type() == EntryType.FILE) regularFiles++;
        if (r.contentType() != null) {
            switch (r.contentType().media()) {
                case IMAGE -> images++;
                case VIDEO -> videos++;
                default -> { }
            }
        }
        if (r.extMismatch()) extMismatches++;
        if (r.error() != null) unreadable++;
        if (r.hasAlert()) {
            alertFiles++;
            // A file counts once per set and once per category, however many digests matched.
            java.util.Set<String> sets = new java.util.HashSet<>();
            java.util.Set<String> cats = new java.util.HashSet<>();
            for (Match m : r.matches()) {
                if (m.kind() != SetKind.ALERT) continue;
                sets.add(m.set());
                cats.add(m.category() == null || m.category().isEmpty() ? UNCATEGORISED : m.category());
                severity = Math.max(severity, categories.severity(m.category()));
                if (categories.raises(m.category())) raised = true;
            }
            for (String s : sets) bySet.merge(s, 1L, Long::sum);
            for (String c : cats) byCategory.merge(c, 1L, Long::sum);
        } else if (r.isKnownGood()) {
            knownGood++;
        }
    }

    public EvidenceSummary finish(SourceStats stats) {
        double seconds = stats.seconds();
        double mbps = seconds > 0 ? stats.bytesRead() / seconds / 1e6 : 0;
        if (stats.error() != null) unreadable = Math.max(unreadable, 1);
        return new EvidenceSummary(source, files, regularFiles, stats.bytesRead(), alertFiles, java.util.Collections.unmodifiableMap(new TreeMap<>(bySet)),
                java.util.Collections.unmodifiableMap(new TreeMap<>(byCategory)), knownGood, unreadable, seconds, mbps,
                raised ? Priority.HIGH : Priority.LOW, severity, 0, stats.interrupted(), stats.error(),
                images, videos, extMismatches);
    }

    /** Orders summaries: most urgent first. */
    public static final java.util.Comparator<EvidenceSummary> URGENCY = java.util.Comparator
            .comparing((EvidenceSummary s) -> s.priority().ordinal())
            .thenComparing(EvidenceSummary::severity, java.util.Comparator.reverseOrder())
            .thenComparing(EvidenceSummary::alertFiles, java.util.Comparator.reverseOrder())
            .thenComparing(EvidenceSummary::unreadable, java.util.Comparator.reverseOrder())
            .thenComparing(EvidenceSummary::source);
}
