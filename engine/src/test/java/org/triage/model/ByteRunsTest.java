package org.triage.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Runs as libtsk hands them (split where an extent or a cluster chain breaks) into the few a report needs. */
class ByteRunsTest {
    @Test
    void runsThatContinueInTheImageAndHolesThatFollowHolesAreJoined() {
        ByteRuns r = new ByteRuns.Builder().add(4096, 1024).add(5120, 1024).add(-1, 512).add(-1, 512).add(0, 0)
                .add(9000, 100).add(20000, 10).build();
        assertEquals(List.of(new ByteRuns.Run(4096, 2048), new ByteRuns.Run(-1, 1024), new ByteRuns.Run(9000, 100),
                new ByteRuns.Run(20000, 10)), r.runs());
        assertEquals(4, r.total());
        assertFalse(r.truncated());
    }

    @Test
    void aFileInMorePiecesThanTheLimitKeepsTheFirstAndCountsAll() {
        ByteRuns.Builder b = new ByteRuns.Builder();
        for (int i = 0; i < ByteRuns.LIMIT + 10; i++) b.add(100L * i, 50);
        b.add(100L * (ByteRuns.LIMIT + 9) + 50, 7); // continues the last, which is not kept: counted once
        ByteRuns r = b.build();
        assertEquals(ByteRuns.LIMIT, r.runs().size());
        assertEquals(ByteRuns.LIMIT + 10, r.total());
        assertTrue(r.truncated());
        assertEquals(new ByteRuns.Run(100L * (ByteRuns.LIMIT - 1), 50), r.runs().get(ByteRuns.LIMIT - 1));
    }
}
