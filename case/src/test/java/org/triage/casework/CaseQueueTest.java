package org.triage.casework;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The queue's rule on item states as the database holds them: the levels, then severity, then
 * counts, then unknown pictures and videos; an item whose scan ended early is never LOW.
 */
class CaseQueueTest {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    private static ItemState state(long id, String state, String priority, String reason, ItemCounts c) {
        CaseItem item = new CaseItem(id, "/ev/" + id, null, "raw", "sda", "0:" + id, 1000, T0);
        return new ItemState(item, state, 1, T0, null, c, 400, 1000, true, priority, reason, null, null, null, null);
    }

    private static ItemCounts counts(long files, long raising, long pictures, int severity, String words, long unknownMedia) {
        return new ItemCounts(files, raising, raising, raising, 0, severity, words, "", raising > 0 ? Map.of("caid", raising) : Map.of(),
                pictures, 0, unknownMedia, 0, 0, 0);
    }

    @Test
    void severityThenCountsThenUnknownPicturesDecideWithinALevel() {
        List<ItemState> states = new ArrayList<>();
        states.add(state(1, ItemState.FINISHED, "low", "no alert match", counts(100, 0, 5, 0, "", 5)));
        states.add(state(2, ItemState.FINISHED, "high", "", counts(100, 9, 9, 2, "Category B 9", 0)));
        states.add(state(3, ItemState.FINISHED, "high", "", counts(100, 1, 1, 3, "Category A 1", 0)));
        states.add(state(4, ItemState.FINISHED, "low", "no alert match", counts(100, 0, 50, 0, "", 50)));
        states.add(state(5, ItemState.QUEUED, null, null, ItemCounts.NONE));
        states.add(state(6, ItemState.FINISHED, "high", "", counts(100, 12, 12, 2, "Category B 12", 0)));
        states.add(state(7, ItemState.FINISHED, "unknown", "not examined: /ev/7: no such file or directory", ItemCounts.NONE));
        states.add(state(8, ItemState.INTERRUPTED, "incomplete", "incomplete: interrupted after 40 entries", counts(40, 0, 2, 0, "", 2)));
        states.add(state(9, ItemState.RUNNING, null, null, counts(40, 0, 2, 0, "", 2)));
        List<Long> order = CaseQueue.rank(states, true, T0.plusSeconds(60)).stream().map(e -> e.item().item().id()).toList();
        // A (3) before B; among B, 12 files before 9; then not examined, incomplete, running, queued; LOW by unknown pictures.
        assertEquals(List.of(3L, 6L, 2L, 7L, 8L, 9L, 5L, 4L, 1L), order);
    }

    @Test
    void reasonsAreInWords() {
        ItemCounts high = new ItemCounts(5000, 12, 12, 12, 0, 3, "Category A 3, Category B 9", "", Map.of("caid-2026-11", 10L, "lab", 2L),
                1204, 0, 1100, 0, 0, 2);
        ItemCounts low = new ItemCounts(9000, 0, 0, 0, 0, 0, "", "", Map.of(), 1204, 0, 1204, 31, 8112, 0);
        List<QueueEntry> q = CaseQueue.rank(List.of(state(1, ItemState.FINISHED, "high", "", high),
                state(2, ItemState.FINISHED, "low", "no alert match", low),
                state(3, ItemState.RUNNING, null, null, new ItemCounts(10, 2, 2, 2, 0, 3, "Category A 2", "", Map.of("caid-2026-11", 2L),
                        2, 0, 0, 0, 0, 0)),
                state(4, ItemState.QUEUED, null, null, ItemCounts.NONE)), true, T0.plusSeconds(240));
        assertEquals("HIGH: 12 known pictures, Category A 3, B 9 (sets caid-2026-11, lab); 2 unreadable entries", q.get(0).reason());
        // Started at T0, 40% read after 4 minutes: 6 more.
        assertEquals("RUNNING 40% (ETA 6 min): 2 known pictures so far, Category A 2 (sets caid-2026-11)", q.get(1).reason());
        assertEquals("QUEUED", q.get(2).reason());
        assertEquals("LOW: no known material; 1,204 pictures, 31 under a misleading extension, 8,112 known-good files set aside",
                q.get(3).reason());
    }

    @Test
    void anItemLeftRunningByARunThatDiedIsNeverLow() {
        ItemState left = state(1, ItemState.RUNNING, null, null, counts(1204, 0, 3, 0, "", 3));
        ItemState none = state(2, ItemState.RUNNING, null, null, ItemCounts.NONE);
        ItemState clean = state(3, ItemState.FINISHED, "low", "no alert match", counts(10, 0, 0, 0, "", 0));
        List<QueueEntry> q = CaseQueue.rank(List.of(left, none, clean), false, T0);
        assertEquals(QueueLevel.NOT_EXAMINED, q.get(0).level());
        assertTrue(q.get(0).reason().startsWith("NOT EXAMINED: its scan (run 1) ended without finishing it"), q.get(0).reason());
        assertEquals(QueueLevel.INCOMPLETE, q.get(1).level());
        assertTrue(q.get(1).reason().endsWith("after 1,204 entries"), q.get(1).reason());
        assertEquals(QueueLevel.LOW, q.get(2).level());
    }
}
