package org.triage.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;
import org.triage.model.Algorithm;

/** Work goes to the hasher with the least queued; finished or failed files queue nothing. */
class HashBalancerTest {

    private static FileJob job(int algorithms) {
        return new FileJob(0, null, null, algorithms);
    }

    @Test
    void md5AloneSpreadsFilesByQueuedBytesNotByNumber() {
        HashBalancer b = new HashBalancer(2, new Algorithm[] {Algorithm.MD5});
        FileJob big = job(1);
        b.assign(big, 256L << 20);
        FileJob next = job(1);
        b.assign(next, 1 << 20);
        assertNotEquals(big.owner[0], next.owner[0], "the second file goes to the idle hasher");
        FileJob third = job(1);
        b.assign(third, 1 << 20);
        assertEquals(next.owner[0], third.owner[0], "and so do small files while the big one is queued");

        b.hashed(big.owner[0], big, 0, 255L << 20);
        FileJob fourth = job(1);
        b.assign(fourth, 4 << 20);
        assertEquals(big.owner[0], fourth.owner[0], "once the big file is nearly done, its hasher is the least loaded");
    }

    @Test
    void digestsOfOneFileGoToDifferentHashers() {
        HashBalancer b = new HashBalancer(2, new Algorithm[] {Algorithm.SHA1, Algorithm.MD5});
        FileJob f = job(2);
        b.assign(f, 100 << 20);
        assertNotEquals(f.owner[0], f.owner[1]);
    }

    @Test
    void aFileEndingEarlyLeavesNothingQueued() {
        HashBalancer b = new HashBalancer(2, new Algorithm[] {Algorithm.MD5});
        FileJob failed = job(1);
        b.assign(failed, 1L << 30); // metadata said 1 GiB; the read failed at once
        b.finished(failed.owner[0], failed, 0);
        FileJob other = job(1);
        b.assign(other, 1 << 20);
        FileJob again = job(1);
        b.assign(again, 1 << 20);
        assertNotEquals(other.owner[0], again.owner[0], "both hashers are free again: files alternate");
        assertEquals(0, failed.work[0]);
    }
}
