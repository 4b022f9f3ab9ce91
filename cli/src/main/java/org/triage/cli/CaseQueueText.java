package org.triage.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.triage.casework.CaseInfo;
import org.triage.casework.ItemCounts;
import org.triage.casework.ItemState;
import org.triage.casework.QueueEntry;
import org.triage.casework.QueueLevel;

/** The ranked queue as {@code case status} and {@code case run} print it: text for people, JSON for scripts. */
final class CaseQueueText {
    private static final ObjectMapper JSON = new ObjectMapper();

    private CaseQueueText() {
    }

    /**
     * <pre>
     * case OP-HARBOUR-17 (examiner J. Smith): 5 items, 2 HIGH, 1 NOT EXAMINED, 2 LOW
     * #1 /mnt/exhibit-ab-01 [Laptop, exhibit JB/1]
     *      HIGH: 12 known pictures, Category A 3, B 9 (sets caid-2026-11, lab); 2 unreadable entries
     * </pre>
     */
    static void print(PrintWriter out, CaseInfo info, List<QueueEntry> queue) {
        Map<QueueLevel, Integer> byLevel = new EnumMap<>(QueueLevel.class);
        for (QueueEntry e : queue) byLevel.merge(e.level(), 1, Integer::sum);
        String levels = byLevel.entrySet().stream().map(e -> e.getValue() + " " + e.getKey().words()).collect(Collectors.joining(", "));
        out.println("case " + TerminalText.safe(info.caseId()) + " (examiner " + TerminalText.safe(info.examiner()) + "): "
                + Summaries.count(queue.size(), "item", "items") + (levels.isEmpty() ? "" : ", " + levels));
        for (QueueEntry e : queue) {
            out.println("#" + e.rank() + " " + TerminalText.safe(e.item().item().describe()));
            out.println("     " + TerminalText.safe(e.reason()));
        }
    }

    static String json(CaseInfo info, boolean runLive, List<QueueEntry> queue) throws java.io.IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("case", info.caseId());
        root.put("examiner", info.examiner());
        root.put("store", info.store());
        root.put("run_live", runLive);
        ArrayNode items = root.putArray("items");
        for (QueueEntry e : queue) {
            ItemState s = e.item();
            ItemCounts c = s.counts();
            ObjectNode n = items.addObject();
            n.put("rank", e.rank());
            n.put("id", s.item().id());
            n.put("path", s.item().path());
            n.put("label", s.item().label());
            n.put("kind", s.item().kind());
            n.put("device", s.item().device());
            n.put("state", e.state());
            n.put("level", e.level().words());
            n.put("priority", s.priority());
            n.put("reason", e.reason());
            if (Double.isNaN(e.percent())) n.putNull("percent");
            else n.put("percent", e.percent());
            if (Double.isNaN(e.etaSeconds())) n.putNull("eta_seconds");
            else n.put("eta_seconds", Math.round(e.etaSeconds()));
            n.put("run", s.run());
            n.put("files", c.files());
            n.put("known_files", c.raisingFiles());
            n.put("known_pictures", c.raisingPictures());
            n.put("known_videos", c.raisingVideos());
            n.put("alert_files", c.alertFiles());
            n.put("severity", c.severity());
            ObjectNode sets = n.putObject("alert_by_set");
            c.bySet().forEach(sets::put);
            n.put("pictures", c.pictures());
            n.put("videos", c.videos());
            n.put("unknown_pictures_and_videos", c.unknownMedia());
            n.put("ext_mismatches", c.extMismatches());
            n.put("known_good", c.knownGood());
            n.put("unreadable", c.unreadable());
            n.put("bytes_read", s.bytesRead());
            n.put("total_bytes", s.totalBytes());
            n.put("report", s.report());
            n.put("report_sha256", s.reportSha256());
            n.put("listing", s.listing());
            n.put("error", s.error());
        }
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    }
}
