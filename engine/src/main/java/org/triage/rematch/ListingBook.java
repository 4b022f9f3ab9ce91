package org.triage.rematch;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.triage.model.Algorithm;
import org.triage.model.Digests;
import org.triage.model.EntryType;
import org.triage.model.EvidenceSummary;
import org.triage.model.FileRecord;
import org.triage.model.ListingHeader;
import org.triage.model.ListingProvenance;
import org.triage.model.RecordListener;
import org.triage.model.SourceStats;
import org.triage.model.TakenAs;
import org.triage.priority.CategoryTable;
import org.triage.priority.EvidenceTally;

/**
 * One listing's evidence items as its lines arrive, and, at the end, their summaries: counted by
 * the scan's own {@link EvidenceTally}, so a re-match ranks exactly as the scan ranks, plus what
 * only the listing as a whole can say. The rule is "when in doubt, say not examined": an item is
 * LOW only when the listing proves its scan read it to the end (its end line is there and counts
 * every entry the listing holds of it) and the listing lost no line; otherwise the tally is told
 * why ({@link EvidenceTally#doubt}) and the item is INCOMPLETE, or UNKNOWN when nothing of it is
 * there. A match still makes it HIGH.
 *
 * <p>Single-threaded: the re-match's calling thread.
 */
final class ListingBook implements ListingReader.LineSink {
    private final String file;
    private final CategoryTable categories;
    private final RecordListener listener;
    /** Names of items taken so far by every listing of the re-match: two listings may name one path. */
    private final Set<String> namesTaken;
    private final Map<String, Item> items = new LinkedHashMap<>();
    private ListingHeader header;
    private long entries;
    private long linesLost;
    private final List<ListingProvenance.LineProblem> problems = new ArrayList<>();
    private int algorithmsSeen;
    private Item last;

    private final class Item {
        final String source;
        final String name;
        final EvidenceTally tally;
        EvidenceEnd end;
        long counted;
        long bytesRead;

        Item(String source) {
            // An item of the same name from an earlier listing (the same mount point, another day): told apart.
            this.source = source;
            String n = source;
            if (namesTaken.contains(n)) n = source + " (listing " + file + ")";
            namesTaken.add(n);
            this.name = n;
            this.tally = new EvidenceTally(n, categories);
        }
    }

    ListingBook(String file, CategoryTable categories, RecordListener listener, Set<String> namesTaken) {
        this.file = file;
        this.categories = categories;
        this.listener = listener;
        this.namesTaken = namesTaken;
    }

    private Item item(String source) {
        // Nearly every line is of the item of the line before: no map lookup (and no lambda made) for it.
        if (last != null && last.source.equals(source)) return last;
        Item it = items.get(source);
        if (it == null) {
            it = new Item(source);
            items.put(source, it);
        }
        return last = it;
    }

    @Override
    public void entry(FileRecord r, int algorithms) {
        entries++;
        algorithmsSeen |= algorithms;
        Item it = item(r.source());
        if (!it.name.equals(r.source())) r = renamed(r, it.name);
        it.counted++;
        if (r.type() == EntryType.FILE && r.error() == null && r.hardLinkOf() == null && !r.inArchive()
                && r.digests() != Digests.NONE) {
            it.bytesRead += r.size();
        }
        it.tally.add(r);
        listener.onRecord(r);
    }

    @Override
    public void header(ListingLineParser.Header h, long line) {
        if (line != 1 || header != null || entries > 0) {
            bad(line, "a listing header after line 1 (two listings joined into one file?): its scan's facts are not taken");
            return;
        }
        header = h.header();
        for (String e : header.evidence()) item(e); // in the scan's order, also an item nothing of which is listed
    }

    @Override
    public void end(EvidenceEnd end, long line) {
        Item it = item(end.source());
        if (it.end != null) {
            bad(line, "a second end line for " + end.source());
            return;
        }
        it.end = end;
    }

    @Override
    public void bad(long line, String error) {
        linesLost++;
        if (problems.size() < ListingProvenance.PROBLEMS_KEPT) problems.add(new ListingProvenance.LineProblem(line, error));
    }

    /** Whether the listing named any evidence item. */
    boolean anyItem() {
        return !items.isEmpty();
    }

    ListingProvenance provenance(ListingReader.Read read) {
        return new ListingProvenance(file, read.sha256(), read.bytes(), read.lines(), entries, header, linesLost, problems);
    }

    /**
     * The items' summaries (unranked), each told every doubt the listing leaves.
     *
     * @param storeAlgorithms the digests the store holds: a listing without one of them was not checked against it
     * @param stopped         the re-match stopped before the listing's end
     */
    List<EvidenceSummary> finish(Set<Algorithm> storeAlgorithms, boolean stopped) {
        List<String> shared = new ArrayList<>();
        if (stopped) shared.add("the re-match was stopped before the end of the listing");
        if (linesLost > 0) {
            ListingProvenance.LineProblem first = problems.get(0);
            shared.add(String.format(Locale.ROOT, "%,d %s of listing %s could not be read (line %d: %s)", linesLost,
                    linesLost == 1 ? "line" : "lines", file, first.line(), first.error()));
        }
        Set<Algorithm> covered = EnumSet.noneOf(Algorithm.class);
        if (header != null) covered.addAll(header.algorithms());
        for (Algorithm a : Algorithm.values()) {
            if ((algorithmsSeen & 1 << a.ordinal()) != 0) covered.add(a);
        }
        Set<Algorithm> missing = EnumSet.noneOf(Algorithm.class);
        missing.addAll(storeAlgorithms);
        missing.removeAll(covered);
        if (!missing.isEmpty() && entries > 0) {
            shared.add("the listing has no " + missing.stream().map(Algorithm::id).collect(Collectors.joining(", "))
                    + " digests, which the store holds: its files were not checked against those");
        }
        List<EvidenceSummary> out = new ArrayList<>(items.size());
        for (Item it : items.values()) {
            List<String> doubts = new ArrayList<>();
            if (header == null) {
                doubts.add("provenance unknown: listing " + file + " has no header (written before triage recorded one),"
                        + " so it cannot show that its scan read this item to the end");
            } else if (it.end == null) {
                doubts.add(it.counted == 0
                        ? "listing " + file + " holds nothing of this item: its scan was killed before it, or the listing was cut short"
                        : "listing " + file + " has no end line for this item: its scan was killed while reading it, or the listing was cut short");
            } else if (it.end.files() != it.counted) {
                doubts.add(String.format(Locale.ROOT, "listing %s holds %,d of the %,d entries its scan recorded", file,
                        it.counted, it.end.files()));
            }
            doubts.addAll(shared);
            for (String d : doubts) it.tally.doubt(d);
            EvidenceEnd e = it.end;
            SourceStats stats = e == null
                    ? new SourceStats(it.name, Instant.EPOCH, Instant.EPOCH, it.bytesRead, false, null)
                    : new SourceStats(it.name, Instant.EPOCH, Instant.EPOCH.plusNanos((long) (e.seconds() * 1e9)), e.bytes(),
                            e.interrupted(), e.error());
            EvidenceSummary s = it.tally.finish(stats, e == null ? null : e.image());
            if (e != null && e.atimePreserved() != null) s = s.withAtime(e.atimePreserved() ? null : String.valueOf(e.atimeNote()));
            if (e != null && e.takenAs() != null) s = s.withTaken(takenAs(e));
            listener.onEvidenceDone(s);
            out.add(s);
        }
        return out;
    }

    private static TakenAs takenAs(EvidenceEnd e) {
        try {
            return new TakenAs(e.takenAs(), e.takenNote());
        } catch (IllegalArgumentException unknown) {
            return null; // a kind of a newer version: said nowhere rather than wrongly
        }
    }

    private static FileRecord renamed(FileRecord r, String source) {
        return new FileRecord(source, r.path(), r.type(), r.size(), r.digests(), r.matches(), r.error(), r.hardLinkOf(),
                r.contentType(), r.extMismatch(), r.details(), r.changedDuringRead(), r.container(), r.note(), r.pdq());
    }
}
