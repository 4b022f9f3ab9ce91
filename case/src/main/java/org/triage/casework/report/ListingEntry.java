package org.triage.casework.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.triage.model.ByteRuns;
import org.triage.model.ContentType;
import org.triage.model.Digests;
import org.triage.model.EntryDetails;
import org.triage.model.EntryType;
import org.triage.model.FileRecord;
import org.triage.model.Match;
import org.triage.model.PartitionInfo;
import org.triage.model.RawPath;
import org.triage.model.SetKind;

/**
 * One entry line of an all-files listing (README, "All-files listing") back into the scan's
 * {@link FileRecord}: the exact path bytes from {@code path_b64} where the name is not UTF-8, the
 * container chain, digests, matches and location. A field the line lacks is left empty, never
 * guessed. Stateless.
 */
final class ListingEntry {
    private static final HexFormat HEX = HexFormat.of();
    private static final Map<String, ContentType> CONTENT = new LinkedHashMap<>();
    private static final Map<String, EntryType> ENTRY = new LinkedHashMap<>();

    static {
        for (ContentType t : ContentType.values()) if (t != ContentType.OTHER) CONTENT.put(t.label(), t);
        for (EntryType t : EntryType.values()) ENTRY.put(t.label(), t);
    }

    private ListingEntry() {
    }

    static ListedFile parse(ItemSection item, JsonNode n) {
        RawPath path = raw(n.path("path"), n.path("path_b64"));
        List<RawPath> container = new ArrayList<>();
        JsonNode shown = n.path("container");
        JsonNode exact = n.path("container_b64");
        for (int i = 0; i < shown.size(); i++) container.add(raw(shown.get(i), exact.path(i)));
        Digests digests = new Digests(hex(n, "md5"), hex(n, "sha1"), hex(n, "sha256"));
        String type = n.path("type").asText("file");
        ContentType content = CONTENT.get(type);
        EntryType entry = content != null ? EntryType.FILE : ENTRY.getOrDefault(type, EntryType.OTHER);
        boolean read = digests.md5() != null || digests.sha1() != null || digests.sha256() != null;
        if (content == null && entry == EntryType.FILE && read) {
            content = ContentType.OTHER;
        }
        List<Match> matches = new ArrayList<>();
        List<ListedFile.Near> near = new ArrayList<>();
        for (JsonNode m : n.path("match")) {
            String set = m.path("set").asText();
            SetKind kind;
            try {
                kind = SetKind.parse(m.path("kind").asText("alert"));
            } catch (IllegalArgumentException e) {
                kind = SetKind.ALERT; // never hide a match whose kind this version does not know
            }
            Match match = new Match(set, kind, text(m, "category"));
            if ("pdq".equals(m.path("by").asText())) near.add(new ListedFile.Near(match, m.path("distance").asInt()));
            else matches.add(match);
        }
        JsonNode p = n.path("partition");
        PartitionInfo partition = p.isObject() ? new PartitionInfo(p.path("index").asInt(), p.path("offset").asLong(), text(p, "type"))
                : null;
        EntryDetails details = new EntryDetails(partition, n.path("inode").canConvertToLong() ? n.path("inode").asLong() : -1,
                n.path("deleted").asBoolean(false), text(n, "stream"), n.path("meta").asBoolean(false), runs(n));
        FileRecord r = new FileRecord(item.entry().item().item().path(), path, entry, n.path("size").asLong(), digests, matches,
                text(n, "error"), null, content, n.path("ext_mismatch").asBoolean(false), details, null, container, text(n, "note"));
        return new ListedFile(item.entry().item().item(), r, near);
    }

    /**
     * {@code runs} (README, "All-files listing"): where the file lies in the image, or null when the
     * line has none or they are not as the writer writes them (a report then shows none, never a
     * guess).
     */
    static ByteRuns runs(JsonNode n) {
        JsonNode runs = n.path("runs");
        if (runs.isTextual()) return "resident".equals(runs.asText()) ? ByteRuns.RESIDENT : null;
        if (!runs.isArray()) return null;
        ByteRuns.Builder b = new ByteRuns.Builder();
        for (JsonNode run : runs) {
            JsonNode at = run.path(0);
            JsonNode len = run.path(1);
            if (run.size() != 2 || !(at.isNull() || at.canConvertToLong() && at.asLong() >= 0)
                    || !len.canConvertToLong() || len.asLong() < 0) {
                return null;
            }
            b.add(at.isNull() ? -1 : at.asLong(), len.asLong());
        }
        ByteRuns out = b.build();
        long total = n.path("runs_total").asLong(-1);
        return total > out.total() ? new ByteRuns(out.runs(), total, false) : out;
    }

    private static RawPath raw(JsonNode shown, JsonNode b64) {
        if (b64 != null && b64.isTextual()) return RawPath.of(Base64.getDecoder().decode(b64.asText()));
        return RawPath.of(shown.asText(""));
    }

    private static byte[] hex(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.isTextual() ? HEX.parseHex(v.asText()) : null;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.isTextual() && !v.asText().isEmpty() ? v.asText() : null;
    }
}
