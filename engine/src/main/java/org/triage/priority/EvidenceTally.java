package org.triage.priority;

import org.triage.model.NearMatch;
import org.triage.model.PictureCounts;
import org.triage.model.PictureHash;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.triage.model.EntryType;
import org.triage.model.EvidenceSummary;
import org.triage.model.FileRecord;
import org.triage.model.ImageInfo;
import org.triage.model.Match;
import org.triage.model.Priority;
import org.triage.model.SetKind;
import org.triage.model.SourceStats;

/**
 * Counts one evidence item's records into its {@link EvidenceSummary} and gives it a
 * {@link Priority} and the reason in words. Single-threaded: fed by the recording stage.
 *
 * <p>The priority rule (README, "Priority"), most urgent first:
 * <ol>
 * <li>{@link Priority#HIGH}: at least one file in an alert set whose category the {@link CategoryTable}
 *     says raises priority (or that the table does not know, or none). Whatever else is true: the
 *     reason then also says what could not be read.</li>
 * <li>{@link Priority#UNKNOWN}: nothing was examined: the item could not be opened, only image-level
 *     problems were recorded (no partition or filesystem readable), or the scan was stopped first.</li>
 * <li>{@link Priority#INCOMPLETE}: examined in part: interrupted, a partition, filesystem or the image
 *     itself could not be read (an unreadable record with an empty path), a disk image found inside it
 *     could not be examined whole ({@link FileRecord#unexaminedRegion()}), its verification failed, or
 *     at least {@value #INCOMPLETE_PERCENT}% of its entries or of its bytes could not be read.</li>
 * <li>{@link Priority#LOW}: everything else, including items whose only alert matches are in categories
 *     that do not raise (VICS 0, 4): counted and reported, and the reason says so.</li>
 * </ol>
 * Why 1%: a LOW item is one the examiner may put aside, so it must have been read. Every drive has a
 * few entries that cannot be read (a locked file, a vanished temp file), and a level that every such
 * drive reaches tells nothing; but once a hundredth of the entries or of the bytes is unread, enough
 * is unknown (a folder, a large container) that "nothing known here" cannot be claimed. Below that
 * the reason still names how many could not be read.
 *
 * <p>Near matches (PDQ): a picture whose PDQ hash lies near a known picture of an alert set counts
 * like a digest match of that set and category (a re-encoded copy of known material is known
 * material), unless its quality is under {@value org.triage.model.PictureHash#RAISING_QUALITY}: a
 * flat picture's hash lies near many others by chance, so such a picture is listed (report, listing,
 * summary) but never counted as an alert file, and so never raises an item's priority alone.
 *
 * <p>Within a level, items rank by the highest category severity matched, then by the number of
 * alert files, then by how much could not be read, then by name ({@link #URGENCY}).
 */
public final class EvidenceTally {
    /** Key in {@code alertByCategory} for matches whose entry has no category (never VICS 0's "Uncategorised"). */
    public static final String NO_CATEGORY = "(no category)";
    /** Reason, and error, of an item a stopped scan never started. */
    public static final String NOT_SCANNED = "not scanned (interrupted)";
    static final int INCOMPLETE_PERCENT = 1;

    private final String source;
    private final CategoryTable categories;
    private boolean raised;
    private long files;
    private long regularFiles;
    private long alertFiles;
    private long raisingFiles;
    private long knownGood;
    private long unreadable;
    private long unreadableBytes;
    private long problems;
    private String firstProblem;
    private int severity;
    private long images;
    private long videos;
    private long extMismatches;
    private final Map<String, Long> bySet = new TreeMap<>();
    private final Map<String, Long> byCategory = new TreeMap<>();
    private final List<String> doubts = new ArrayList<>();
    private long pdqHashed;
    private long pdqFailed;
    private long pdqDecoded;
    private long nearMatched;
    private long picturesByDigest;
    private long picturesByPdqOnly;
    private long lowQualityNear;

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
        if (r.error() != null) {
            unreadable++;
            // The image itself, a partition, a filesystem, or a disk image inside the item: a whole region unread.
            if (r.unexaminedRegion()) {
                if (problems++ == 0) firstProblem = r.error();
            } else {
                unreadableBytes += Math.max(0, r.size());
            }
        }
        countPicture(r);
        List<Match> alertBy = r.hasAlert() ? r.matches() : r.hasNearAlert() ? nearSets(r.pdq()) : null;
        if (alertBy != null) {
            alertFiles++;
            // A file counts once per set and once per category, however many digests matched.
            Set<String> sets = new HashSet<>();
            Set<String> cats = new HashSet<>();
            boolean raises = false;
            for (Match m : alertBy) {
                if (m.kind() != SetKind.ALERT) continue;
                sets.add(m.set());
                cats.add(m.category() == null || m.category().isEmpty() ? NO_CATEGORY : m.category());
                severity = Math.max(severity, categories.severity(m.category()));
                raises |= categories.raises(m.category());
            }
            if (raises) {
                raised = true;
                raisingFiles++;
            }
            for (String s : sets) bySet.merge(s, 1L, Long::sum);
            for (String c : cats) byCategory.merge(c, 1L, Long::sum);
        } else if (r.isKnownGood()) {
            knownGood++;
        }
    }

    private void countPicture(FileRecord r) {
        boolean picture = r.contentType() != null && r.contentType().media() == org.triage.model.ContentType.Media.IMAGE;
        if (picture && r.hasAlert()) picturesByDigest++;
        PictureHash p = r.pdq();
        if (p == null) return;
        if (p.hash() != null) pdqHashed++; else pdqFailed++;
        if (!p.reused()) pdqDecoded++;
        if (!p.hasNearAlert()) return;
        nearMatched++;
        if (r.hasAlert()) return;
        picturesByPdqOnly++;
        if (!p.raisingQuality()) lowQualityNear++;
    }

    /** The alert sets a picture's near matches are in. */
    private static List<Match> nearSets(PictureHash p) {
        List<Match> sets = new ArrayList<>(p.nearMatches().size());
        for (NearMatch n : p.nearMatches()) sets.add(n.match());
        return sets;
    }

    /**
     * Something outside the records that leaves the item not wholly known: a re-match whose listing
     * cannot show that its scan read the item to the end (cut short, a line lost, no end line).
     * The item is then never LOW: INCOMPLETE with {@code why} in the reason, or UNKNOWN when no
     * entry of it is known at all. A HIGH item stays HIGH, and says it.
     */
    public void doubt(String why) {
        doubts.add(why);
    }

    /** The summary of a directory tree (no image facts). */
    public EvidenceSummary finish(SourceStats stats) {
        return finish(stats, null);
    }

    /**
     * The summary, ranked 0 until the scan ranks it. A failed verification or a hash that differs
     * from the stored acquisition hash counts as one more thing that could not be read.
     */
    public EvidenceSummary finish(SourceStats stats, ImageInfo image) {
        return finish(stats, image, null);
    }

    /** Files counted so far that match known material of a category that raises priority. */
    public long raisingFiles() { return raisingFiles; }

    /**
     * The summary of an item read only in part on purpose ({@code partial}: why, in words, e.g. a
     * first-hit stop), or, with {@code partial} null, as {@link #finish(SourceStats, ImageInfo)}.
     * A partial item is never LOW: HIGH when it matched (what stopped it), else INCOMPLETE.
     */
    public EvidenceSummary finish(SourceStats stats, ImageInfo image, String partial) {
        double seconds = stats.seconds();
        double mbps = seconds > 0 ? stats.bytesRead() / seconds / 1e6 : 0;
        long u = unreadable;
        if (stats.error() != null) u = Math.max(u, 1);
        if (image != null && image.problem() != null) u++;
        Priority priority;
        String reason;
        String notExamined = notExamined(stats);
        String incomplete = incomplete(stats, image, partial);
        if (raised) {
            priority = Priority.HIGH;
            reason = count(raisingFiles, "file matches", "files match") + " known material that raises priority"
                    + (partial != null ? "; partial: " + partial : "")
                    + (incomplete != null ? "; also incomplete: " + incomplete : fewUnread());
        } else if (notExamined != null) {
            priority = Priority.UNKNOWN;
            reason = "not examined: " + notExamined;
        } else if (incomplete != null) {
            priority = Priority.INCOMPLETE;
            reason = "incomplete: " + incomplete;
        } else {
            priority = Priority.LOW;
            reason = alertFiles > 0
                    ? "only matches in categories that do not raise priority: " + inWords(byCategory, categories, false)
                    : "no alert match";
            if (lowQualityNear > 0) {
                reason += "; " + count(lowQualityNear, "picture", "pictures") + " near known material by PDQ at quality under "
                        + PictureHash.RAISING_QUALITY + " (listed, not counted)";
            }
            reason += fewUnread();
        }
        return new EvidenceSummary(source, files, regularFiles, stats.bytesRead(), alertFiles,
                Collections.unmodifiableMap(new TreeMap<>(bySet)), Collections.unmodifiableMap(new TreeMap<>(byCategory)),
                knownGood, u, seconds, mbps, priority, severity, 0, stats.interrupted(), stats.error(), reason,
                images, videos, extMismatches, image, null, null, null,
                new PictureCounts(pdqHashed, pdqFailed, pdqDecoded, nearMatched, picturesByDigest, picturesByPdqOnly,
                        lowQualityNear), partial);
    }

    /** "; 2 of 48,211 entries could not be read (under 1%)": too few to make the item incomplete, still said. */
    private String fewUnread() {
        long unread = unreadable - problems;
        if (unread == 0) return "";
        return "; " + unread + " of " + count(files, "entry", "entries") + " could not be read (under " + INCOMPLETE_PERCENT + "%)";
    }

    /** Why nothing of the item was examined, or null when something was. */
    private String notExamined(SourceStats stats) {
        if (files > problems) return null;
        if (stats.error() != null) return stats.error();
        if (problems > 0) return firstProblem + (problems > 1 ? " (and " + (problems - 1) + " more)" : "");
        if (stats.interrupted()) return "interrupted before any entry was read";
        if (!doubts.isEmpty()) return String.join("; ", doubts);
        return null; // an empty directory: examined, nothing there
    }

    /** What leaves the item examined only in part, or null. */
    private String incomplete(SourceStats stats, ImageInfo image, String partial) {
        List<String> why = new ArrayList<>();
        // A partial HIGH item says why in its own words; one that did not match would say it here.
        if (partial != null && !raised) why.add("partial: " + partial);
        else if (stats.interrupted() && partial == null) why.add("interrupted after " + count(files, "entry", "entries"));
        if (stats.error() != null) why.add(stats.error());
        if (problems > 0) why.add(firstProblem + (problems > 1 ? " (and " + (problems - 1) + " more such problems)" : ""));
        if (image != null && image.problem() != null) why.add(image.problem());
        long unread = unreadable - problems;
        if (unread > 0 && files > 0) {
            double entryShare = 100.0 * unread / files;
            double byteShare = unreadableBytes == 0 ? 0 : 100.0 * unreadableBytes / (stats.bytesRead() + unreadableBytes);
            if (entryShare >= INCOMPLETE_PERCENT || byteShare >= INCOMPLETE_PERCENT) {
                why.add(unread + " of " + count(files, "entry", "entries") + " could not be read (" + percent(entryShare)
                        + " of entries" + (byteShare >= INCOMPLETE_PERCENT ? ", " + percent(byteShare) + " of bytes" : "") + ")");
            }
        }
        why.addAll(doubts);
        return why.isEmpty() ? null : String.join("; ", why);
    }

    /** The summary of an item that a stopped scan never started: UNKNOWN, nothing counted. */
    public static EvidenceSummary notScanned(String source) {
        return new EvidenceSummary(source, 0, 0, 0, 0, Map.of(), Map.of(), 0, 0, 0, 0, Priority.UNKNOWN, 0, 0, true,
                NOT_SCANNED, "not examined: " + NOT_SCANNED, 0, 0, 0, null);
    }

    /**
     * Per-category counts in words ("VICS 1 Child abuse material (CAM) 4, Category B 1, no category 1"),
     * most severe first, keeping only the categories that raise priority, or only those that do not.
     * Empty when there are none.
     */
    public static String inWords(Map<String, Long> byCategory, CategoryTable table, boolean raising) {
        record Named(String words, int severity, long files) { }
        List<Named> named = new ArrayList<>();
        for (Map.Entry<String, Long> e : byCategory.entrySet()) {
            String category = NO_CATEGORY.equals(e.getKey()) ? null : e.getKey();
            if (table.raises(category) != raising) continue;
            named.add(new Named(table.describe(category), table.severity(category), e.getValue()));
        }
        named.sort(Comparator.comparingInt(Named::severity).reversed().thenComparing(Named::words));
        return named.stream().map(n -> n.words() + " " + n.files()).collect(Collectors.joining(", "));
    }

    private static String count(long n, String one, String many) {
        return String.format(Locale.ROOT, "%,d %s", n, n == 1 ? one : many);
    }

    /** 7.5%, 13%, 0.3%: one decimal only where it matters. */
    private static String percent(double p) {
        if (p >= 10 || p == Math.rint(p)) return String.format(Locale.ROOT, "%.0f%%", p);
        return String.format(Locale.ROOT, "%.1f%%", p);
    }

    /** Orders summaries: most urgent first. */
    public static final Comparator<EvidenceSummary> URGENCY = Comparator
            .comparing((EvidenceSummary s) -> s.priority().ordinal())
            .thenComparing(EvidenceSummary::severity, Comparator.reverseOrder())
            .thenComparing(EvidenceSummary::alertFiles, Comparator.reverseOrder())
            .thenComparing(EvidenceSummary::unreadable, Comparator.reverseOrder())
            .thenComparing(EvidenceSummary::source);
}
