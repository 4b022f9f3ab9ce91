package org.triage.casework;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Items on different physical devices run at once, never two on one; --jobs bounds how many. */
class RunPlanTest {
    private static CaseItem item(long id, String device) {
        return new CaseItem(id, "/ev/" + id, null, "raw", device, "0:" + id, 1, Instant.EPOCH);
    }

    /** Waits (with a deadline, no fixed sleep) until {@code t} blocks. */
    private static void awaitBlocked(Thread t) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (t.getState() != Thread.State.WAITING && System.nanoTime() < deadline) Thread.onSpinWait();
        assertEquals(Thread.State.WAITING, t.getState());
    }

    @Test
    void twoItemsOnOneDiskNeverRunTogetherAndJobsBoundTheRest() throws Exception {
        CaseItem a1 = item(1, "sda");
        CaseItem a2 = item(2, "sda");
        CaseItem b = item(3, "sdb");
        CaseItem c = item(4, "sdc");
        RunPlan plan = new RunPlan(List.of(a1, a2, b, c), 2);
        assertEquals(a1, plan.next());
        assertEquals(b, plan.next(), "the second item is on sda, busy: the next device's item starts");
        AtomicReference<CaseItem> third = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                third.set(plan.next());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        t.start();
        awaitBlocked(t); // two running: --jobs 2 holds the third back although sdc is free
        plan.done(a1);
        t.join(TimeUnit.SECONDS.toMillis(30));
        assertEquals(a2, third.get(), "sda is free again: its second item, first in order, starts");
        assertEquals(List.of(c), plan.waiting());
        plan.stop();
        assertNull(plan.next());
    }

    @Test
    void oneJobReadsOneItemAtATime() throws Exception {
        RunPlan plan = new RunPlan(List.of(item(1, "sda"), item(2, "sdb")), 1);
        CaseItem first = plan.next();
        assertTrue(plan.running().contains(first));
        plan.done(first);
        assertEquals(2, plan.next().id());
        assertNull(plan.next());
    }
}
