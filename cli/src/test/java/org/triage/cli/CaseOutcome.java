package org.triage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a case's runs wrote, read for comparing two cases that hold the same evidence (one run
 * straight through, one stopped and finished later): the status of its items, its audit trail, an
 * item's report without what differs between any two runs (times, the case's name, the order of
 * arrays) and its listing's entry lines, sorted.
 *
 * <p>Public for the spark module's tests (through this module's test jar), which compare a
 * cluster's run of a case with one machine's.
 */
public final class CaseOutcome {
    static final ObjectMapper JSON = new ObjectMapper();
    /** Report and listing fields that are times or durations: they differ between any two runs. */
    public static final Set<String> TIMES = Set.of("started", "finished", "seconds", "generated", "generated_at", "started_at",
            "finished_at", "scan_started", "mb_per_s", "time", "elapsed", "files_per_second", "mb_per_second", "bytes_per_second", "duration");

    private CaseOutcome() {
    }

    /** The items of {@code case status --json}. */
    static JsonNode status(Path kase) throws IOException {
        Cli.Result s = Cli.run("case", "status", kase.toString(), "--json");
        assertEquals(0, s.code(), s.toString());
        return JSON.readTree(s.out()).get("items");
    }

    /** The status of every item without what names the run or the case. */
    static String comparable(JsonNode items) {
        ArrayNode out = JSON.createArrayNode();
        for (JsonNode i : items) out.add(withoutRun(i));
        return out.toPrettyString();
    }

    /** An item's status without what names its run: the run, its report and listing and their times. */
    public static ObjectNode withoutRun(JsonNode item) {
        ObjectNode n = ((ObjectNode) item).deepCopy();
        n.remove(List.of("run", "report", "report_sha256", "listing", "started_at", "finished_at"));
        return n;
    }

    /** The case's audit-trail entries of one event, in order. */
    public static List<JsonNode> audit(Path kase, String event) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(kase.resolve("audit.jsonl"))) {
            JsonNode n = JSON.readTree(line);
            if (n.get("event").asText().equals(event)) out.add(n);
        }
        return out;
    }

    /**
     * Asserts that an item's run in {@code kase} (its {@code item-finished} entry {@code got}) wrote
     * what its run in {@code ref} ({@code expected}) wrote: the report, times and case aside, and the
     * listing's entries, none twice.
     */
    static void assertSameItem(Path ref, JsonNode expected, Path kase, JsonNode got, long item) throws IOException {
        assertEquals(normalised(JSON.readTree(ref.resolve(expected.get("report").asText()).toFile())),
                normalised(JSON.readTree(kase.resolve(got.get("report").asText()).toFile())), "report of item " + item);
        List<String> entries = entries(kase.resolve(got.get("listing").asText()));
        assertEquals(new HashSet<>(entries).size(), entries.size(), "an entry recorded twice in item " + item);
        assertEquals(entries(ref.resolve(expected.get("listing").asText())), entries, "listing of item " + item);
    }

    /** The entry lines of a listing, sorted; a torn last line (no end of line) left out. */
    static List<String> entries(Path listing) throws IOException {
        String text = Files.readString(listing);
        int end = text.lastIndexOf('\n');
        List<String> out = new ArrayList<>();
        for (String line : (end < 0 ? "" : text.substring(0, end)).split("\n")) {
            if (line.startsWith("{\"source\"")) out.add(line);
        }
        out.sort(null);
        return out;
    }

    /** A report without times and without what names its case, every array sorted. */
    static String normalised(JsonNode report) {
        return normalised(report, TIMES);
    }

    /** A report without the fields named in {@code ignored} and without what names its case, every array sorted. */
    public static String normalised(JsonNode report, Set<String> ignored) {
        return strip(report, ignored).toPrettyString();
    }

    private static JsonNode strip(JsonNode n, Set<String> ignored) {
        if (n.isObject()) {
            ObjectNode o = JSON.createObjectNode();
            Iterator<Map.Entry<String, JsonNode>> it = n.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (ignored.contains(e.getKey()) || e.getKey().equals("case")) continue;
                o.set(e.getKey(), strip(e.getValue(), ignored));
            }
            return o;
        }
        if (n.isArray()) {
            List<String> parts = new ArrayList<>();
            for (JsonNode x : n) parts.add(strip(x, ignored).toString());
            parts.sort(null);
            ArrayNode a = JSON.createArrayNode();
            for (String s : parts) {
                try {
                    a.add(JSON.readTree(s));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
            return a;
        }
        return n;
    }
}
