package org.triage.casework;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The case's items ranked for manual review, each with the reason in words (README, "Cases").
 *
 * <p>The rule: first the level ({@link QueueLevel}: HIGH, NOT EXAMINED, INCOMPLETE, RUNNING,
 * QUEUED, LOW); within a level the most severe category matched (the category table's severity),
 * then the number of files matching in a category that raises priority, then all alert files, then
 * pictures and videos in no set at all (what an examiner would have to look through by hand),
 * then unreadable entries, then the order added. A running item ranks by what it has recorded so
 * far: its first match that raises priority makes it HIGH. An item whose scan ended early (stopped,
 * killed, its run died with the machine, not opened) is never LOW.
 *
 * <p>Pure: ranks the states it is given; no I/O. Thread-safe.
 */
public final class CaseQueue {
    private CaseQueue() {
    }

    /** The queue of the case in {@code store}, now. */
    public static List<QueueEntry> of(CaseStore store) throws java.io.IOException {
        return rank(store.states(), RunLock.held(store.layout()), Instant.now());
    }

    /** Whether a {@code case run} holds the case now (in any process). */
    public static boolean runLive(CaseStore store) {
        return RunLock.held(store.layout());
    }

    /**
     * @param states  every item's state
     * @param runLive whether a run holds the case now: if not, an item marked running was left by
     *                a run that died (killed, the machine stopped)
     */
    public static List<QueueEntry> rank(List<ItemState> states, boolean runLive, Instant now) {
        List<QueueEntry> unranked = new ArrayList<>();
        for (ItemState s : states) unranked.add(entry(s, runLive, now));
        unranked.sort(ORDER);
        List<QueueEntry> out = new ArrayList<>();
        for (int i = 0; i < unranked.size(); i++) {
            QueueEntry e = unranked.get(i);
            out.add(new QueueEntry(i + 1, e.state(), e.level(), e.reason(), e.percent(), e.etaSeconds(), e.item()));
        }
        return out;
    }

    static final Comparator<QueueEntry> ORDER = Comparator
            .comparing((QueueEntry e) -> e.level().ordinal())
            .thenComparing((QueueEntry e) -> e.item().counts().severity(), Comparator.reverseOrder())
            .thenComparing((QueueEntry e) -> e.item().counts().raisingFiles(), Comparator.reverseOrder())
            .thenComparing((QueueEntry e) -> e.item().counts().alertFiles(), Comparator.reverseOrder())
            .thenComparing((QueueEntry e) -> e.item().counts().unknownMedia(), Comparator.reverseOrder())
            .thenComparing((QueueEntry e) -> e.item().counts().unreadable(), Comparator.reverseOrder())
            .thenComparing((QueueEntry e) -> e.item().item().id());

    private static QueueEntry entry(ItemState s, boolean runLive, Instant now) {
        ItemCounts c = s.counts();
        double percent = Double.NaN;
        double eta = Double.NaN;
        QueueLevel level;
        String reason;
        switch (s.state()) {
            case ItemState.QUEUED -> {
                level = QueueLevel.QUEUED;
                reason = "QUEUED";
            }
            case ItemState.RUNNING -> {
                if (runLive) {
                    if (s.totalsKnown() && s.totalBytes() > 0) percent = Math.min(100, 100.0 * s.bytesRead() / s.totalBytes());
                    if (s.totalsKnown() && s.bytesRead() > 0 && s.startedAt() != null) {
                        double elapsed = Math.max(0, Duration.between(s.startedAt(), now).toMillis() / 1000.0);
                        eta = elapsed * Math.max(0, s.totalBytes() - s.bytesRead()) / s.bytesRead();
                    }
                    String head = "RUNNING" + (Double.isNaN(percent) ? " (counting the item's size)"
                            : String.format(Locale.ROOT, " %.0f%% (ETA %s)", Math.floor(percent), duration(eta)));
                    if (c.raisingFiles() > 0) {
                        level = QueueLevel.HIGH;
                        reason = head + ": " + known(c, " so far");
                    } else {
                        level = QueueLevel.RUNNING;
                        reason = head + ": no known material so far; " + count(c.files(), "entry", "entries") + " read";
                    }
                } else {
                    String died = "its scan (run " + s.run() + ") ended without finishing it: the run was killed or the machine"
                            + " stopped";
                    if (c.raisingFiles() > 0) {
                        level = QueueLevel.HIGH;
                        reason = "HIGH: " + known(c, "") + "; incomplete: " + died;
                    } else if (c.files() == 0) {
                        level = QueueLevel.NOT_EXAMINED;
                        reason = "NOT EXAMINED: " + died + " before any entry was recorded";
                    } else {
                        level = QueueLevel.INCOMPLETE;
                        reason = "INCOMPLETE: " + died + ", after " + count(c.files(), "entry", "entries");
                    }
                }
            }
            default -> {
                String engineReason = s.reason() == null ? "" : s.reason();
                switch (s.priority() == null ? "unknown" : s.priority()) {
                    case "high" -> {
                        level = QueueLevel.HIGH;
                        reason = "HIGH: " + known(c, "") + unreadable(c);
                        int also = engineReason.indexOf("also incomplete: ");
                        if (also >= 0) reason += "; incomplete: " + engineReason.substring(also + "also incomplete: ".length());
                    }
                    case "incomplete" -> {
                        level = QueueLevel.INCOMPLETE;
                        reason = "INCOMPLETE: " + strip(engineReason, "incomplete: ");
                    }
                    case "low" -> {
                        level = QueueLevel.LOW;
                        reason = "LOW: " + low(c);
                    }
                    default -> {
                        level = QueueLevel.NOT_EXAMINED;
                        reason = "NOT EXAMINED: " + strip(engineReason, "not examined: ");
                    }
                }
                if (ItemState.PARTIAL.equals(s.state()) && level == QueueLevel.HIGH) reason = partial(reason, engineReason);
                if (s.error() != null) reason += "; " + s.error();
            }
        }
        return new QueueEntry(0, s.state(), level, reason, percent, eta, s);
    }

    /**
     * A PARTIAL item (stopped at its first hit on purpose) says so after its level: "HIGH: 1 known
     * picture (sets caid); PARTIAL: stopped after the first known picture, 3.1% of the item's bytes
     * read; run `triage case run DIR --full` to finish".
     */
    private static String partial(String reason, String engineReason) {
        int at = engineReason.indexOf("partial: ");
        if (at < 0) return reason + "; PARTIAL";
        String why = engineReason.substring(at + "partial: ".length());
        int also = why.indexOf("; also incomplete: ");
        if (also >= 0) why = why.substring(0, also);
        return reason + "; PARTIAL: " + why;
    }

    /** "12 known pictures, Category A 3, B 9 (sets caid-2026-11, lab)". */
    private static String known(ItemCounts c, String soFar) {
        List<String> what = new ArrayList<>();
        if (c.raisingPictures() > 0) what.add(count(c.raisingPictures(), "known picture", "known pictures"));
        if (c.raisingVideos() > 0) what.add(count(c.raisingVideos(), "known video", "known videos"));
        long other = c.raisingFiles() - c.raisingPictures() - c.raisingVideos();
        if (other > 0) what.add(count(other, what.isEmpty() ? "known file" : "other known file",
                what.isEmpty() ? "known files" : "other known files"));
        StringBuilder sb = new StringBuilder(String.join(", ", what)).append(soFar);
        if (!c.raisingWords().isEmpty()) sb.append(", ").append(compact(c.raisingWords()));
        if (!c.bySet().isEmpty()) sb.append(" (sets ").append(String.join(", ", c.bySet().keySet())).append(')');
        return sb.toString();
    }

    /** "no known material; 1,204 pictures, 31 under a misleading extension, 8,112 known-good files set aside". */
    private static String low(ItemCounts c) {
        StringBuilder sb = new StringBuilder();
        if (c.alertFiles() > 0) {
            sb.append("only known material that does not raise priority: ").append(compact(c.otherWords()))
                    .append(" (sets ").append(String.join(", ", c.bySet().keySet())).append(')');
        } else {
            sb.append("no known material");
        }
        List<String> seen = new ArrayList<>();
        if (c.pictures() == 0 && c.videos() == 0) seen.add("no pictures or videos");
        else if (c.videos() == 0) seen.add(count(c.pictures(), "picture", "pictures"));
        else seen.add(count(c.pictures(), "picture", "pictures") + " and " + count(c.videos(), "video", "videos"));
        if (c.extMismatches() > 0) seen.add(String.format(Locale.ROOT, "%,d under a misleading extension", c.extMismatches()));
        if (c.knownGood() > 0) seen.add(count(c.knownGood(), "known-good file", "known-good files") + " set aside");
        return sb.append("; ").append(String.join(", ", seen)).append(unreadable(c)).toString();
    }

    private static String unreadable(ItemCounts c) {
        return c.unreadable() == 0 ? "" : "; " + count(c.unreadable(), "unreadable entry", "unreadable entries");
    }

    /** "Category A 3, Category B 9" as "Category A 3, B 9": the scheme named once. */
    static String compact(String words) {
        String[] parts = words.split(", ");
        StringBuilder sb = new StringBuilder();
        String prefix = "Category ";
        boolean previous = false;
        for (String p : parts) {
            if (sb.length() > 0) sb.append(", ");
            boolean is = p.startsWith(prefix);
            sb.append(is && previous ? p.substring(prefix.length()) : p);
            previous = is;
        }
        return sb.toString();
    }

    private static String strip(String reason, String prefix) {
        return reason.startsWith(prefix) ? reason.substring(prefix.length()) : reason;
    }

    static String count(long n, String one, String many) {
        return String.format(Locale.ROOT, "%,d %s", n, n == 1 ? one : many);
    }

    /** "40 s", "6 min", "2 h 5 min"; "?" when not known. */
    static String duration(double seconds) {
        if (Double.isNaN(seconds) || Double.isInfinite(seconds)) return "?";
        long s = Math.round(seconds);
        if (s < 60) return s + " s";
        long min = (s + 30) / 60;
        if (min < 60) return min + " min";
        return min / 60 + " h " + min % 60 + " min";
    }
}
