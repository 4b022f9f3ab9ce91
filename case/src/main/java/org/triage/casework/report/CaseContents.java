package org.triage.casework.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.triage.casework.CaseInfo;
import org.triage.casework.CaseLayout;
import org.triage.casework.CaseQueue;
import org.triage.casework.CaseStore;
import org.triage.casework.ItemState;
import org.triage.casework.QueueEntry;
import org.triage.casework.RecordedEntry;
import org.triage.model.Digests;
import org.triage.model.EntryType;
import org.triage.model.FileRecord;
import org.triage.model.Match;
import org.triage.model.RawPath;
import org.triage.model.SetKind;

/**
 * What a case holds, read once for its reports: the case, the ranked queue (as {@code case status}
 * ranks it), the hash sets' provenance from the audit trail's {@code run-started} entries, each
 * item's identity from its {@code item-finished} entry, and, item by item, the entries of its last
 * run's all-files listing ({@link #entries}). Reports are made from these alone, never from the
 * evidence: nothing here opens an evidence item.
 *
 * <p>An item whose listing cannot be read (removed, damaged) still has its matches and unreadable
 * entries in the case database ({@code records}); those are reported instead and the item says so.
 * Not thread-safe; made and used by one report command.
 */
public final class CaseContents {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CaseLayout layout;
    private final CaseStore store;
    private final CaseInfo info;
    private final String tool;
    private final Instant made;
    private final List<ItemSection> items;
    private final List<HashSetProvenance> sets;

    private CaseContents(CaseLayout layout, CaseStore store, CaseInfo info, String tool, List<ItemSection> items,
                         List<HashSetProvenance> sets) {
        this.layout = layout;
        this.store = store;
        this.info = info;
        this.tool = tool;
        this.made = Instant.now();
        this.items = List.copyOf(items);
        this.sets = List.copyOf(sets);
    }

    /**
     * Reads the case in {@code store}.
     *
     * @param tool the tool and version making the reports ("triage 0.1.0")
     * @throws IOException when the database or the audit trail cannot be read
     */
    public static CaseContents read(CaseStore store, String tool) throws IOException {
        CaseLayout layout = store.layout();
        List<JsonNode> trail = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(layout.audit(), StandardCharsets.UTF_8)) {
            for (String line; (line = r.readLine()) != null; ) {
                try {
                    trail.add(JSON.readTree(line));
                } catch (IOException e) {
                    // A damaged entry is case verify's to name; the report uses the others.
                }
            }
        }
        Map<String, HashSetProvenance> sets = new LinkedHashMap<>();
        Map<String, JsonNode> finished = new LinkedHashMap<>();
        for (JsonNode e : trail) {
            if (e == null) continue;
            String event = e.path("event").asText();
            if (event.equals("run-started")) {
                for (JsonNode s : e.path("hash_sets")) {
                    String key = s.path("name").asText() + "\u0000" + s.path("source_sha256").asText();
                    HashSetProvenance before = sets.get(key);
                    String run = e.path("run").asText();
                    sets.put(key, new HashSetProvenance(s.path("name").asText(), text(s, "kind"), s.path("entries").asLong(),
                            text(s, "source_file"), text(s, "source_sha256"), s.path("source_size").asLong(-1), text(s, "format"),
                            text(s, "imported_at"), text(s, "imported_by"), before == null ? run : before.runs() + ", " + run));
                }
            } else if (event.equals("item-finished")) {
                finished.put(e.path("item").asLong() + ":" + e.path("run").asLong(), e);
            }
        }
        List<ItemSection> items = new ArrayList<>();
        for (QueueEntry q : CaseQueue.of(store)) {
            ItemState s = q.item();
            JsonNode image = finished.getOrDefault(s.item().id() + ":" + s.run(), JSON.nullNode()).path("image");
            String note = null;
            if (s.listing() == null) {
                note = s.run() == 0 ? null : "no all-files listing was recorded for run " + s.run();
            } else if (!Files.isReadable(layout.dir().resolve(s.listing()))) {
                note = "its all-files listing " + s.listing() + " cannot be read: the matches and unreadable entries below are"
                        + " the case database's records";
            }
            items.add(new ItemSection(q, text(image, "md5"), text(image, "sha1"), text(image, "stored_md5"), s.listing(), note));
        }
        return new CaseContents(layout, store, store.info(), tool, items, new ArrayList<>(sets.values()));
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.isNull() || v.isMissingNode() ? null : v.asText();
    }

    public CaseInfo info() { return info; }

    public String tool() { return tool; }

    /** When these contents were read: the report's date. */
    public Instant made() { return made; }

    public CaseLayout layout() { return layout; }

    /** The items, ranked. */
    public List<ItemSection> items() { return items; }

    public List<HashSetProvenance> sets() { return sets; }

    /** Receives an item's entries in the listing's order. */
    @FunctionalInterface
    public interface EntrySink {
        void entry(ListedFile f) throws IOException;
    }

    /**
     * Every entry of the item's last run, in the listing's order (its header and end lines
     * skipped); when the listing cannot be read, the case database's records of that run.
     *
     * @return the listing lines that could not be read (a damaged line), 0 when none
     */
    public long entries(ItemSection item, EntrySink sink) throws IOException {
        ItemState s = item.entry().item();
        if (item.listingNote() != null || item.listing() == null) {
            if (s.run() == 0) return 0;
            for (RecordedEntry r : store.recordedEntries(s.item().id(), s.run())) sink.entry(fromDatabase(item, r));
            return 0;
        }
        long bad = 0;
        Path listing = layout.dir().resolve(item.listing());
        try (BufferedReader r = Files.newBufferedReader(listing, StandardCharsets.UTF_8)) {
            for (String line; (line = r.readLine()) != null; ) {
                JsonNode n;
                try {
                    n = JSON.readTree(line);
                } catch (IOException e) {
                    bad++; // a line cut by a kill: the listing's last, at most
                    continue;
                }
                if (n == null || !n.has("path")) continue;
                sink.entry(ListingEntry.parse(item, n));
            }
        }
        return bad;
    }

    private static ListedFile fromDatabase(ItemSection item, RecordedEntry r) {
        HexFormat hex = HexFormat.of();
        Digests d = new Digests(r.md5() == null ? null : hex.parseHex(r.md5()), r.sha1() == null ? null : hex.parseHex(r.sha1()),
                r.sha256() == null ? null : hex.parseHex(r.sha256()));
        List<Match> matches = new ArrayList<>();
        for (String m : r.matches().split(";")) {
            if (m.isEmpty()) continue;
            int colon = m.lastIndexOf(':');
            String category = m.substring(colon + 1);
            matches.add(new Match(m.substring(0, colon), SetKind.ALERT, category.isEmpty() ? null : category));
        }
        FileRecord rec = new FileRecord(item.entry().item().item().path(), RawPath.of(r.path()), EntryType.FILE, r.size(), d,
                matches, r.error(), null, null, false, null);
        return new ListedFile(item.entry().item().item(), rec, List.of());
    }
}
