package org.triage.pipeline;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLongArray;
import org.triage.hash.DigestCost;
import org.triage.model.Algorithm;

/**
 * Decides which hasher computes each (file, algorithm): the one with the least work still queued,
 * work being bytes weighted by the digest's cost ({@link DigestCost}), costliest digest first. So
 * the MD5 and the SHA digests of one large file land on different cores, and with MD5 alone (one
 * digest, no split within a file) two large files in flight go to two cores, whatever their sizes;
 * a fixed rotation by file number left one core with a large file's MD5 while the other ran dry
 * (measured on a disk image: 41% against 30% of the samples, scan at 56% of the ceiling).
 *
 * <p>Readers assign when a file is opened (its size from metadata); each hasher counts the work it
 * has done, per chunk and, at the file's end, whatever the file's assignment had left (a file
 * shorter than its metadata said, or failed), so nothing stays queued for ever. Thread-safe:
 * {@link #assign} is synchronised (once per file); {@link #done} is one hasher's own counter.
 */
final class HashBalancer {
    private final int hashers;
    private final long[] costPerByte;
    private final Integer[] costliestFirst;
    private final long[] assigned;
    private final AtomicLongArray done;

    HashBalancer(int hashers, Algorithm[] algorithms) {
        this.hashers = hashers;
        this.costPerByte = new long[algorithms.length];
        for (int a = 0; a < algorithms.length; a++) costPerByte[a] = Math.max(1, Math.round(DigestCost.of(algorithms[a]) * 100));
        this.costliestFirst = new Integer[algorithms.length];
        for (int a = 0; a < algorithms.length; a++) costliestFirst[a] = a;
        Arrays.sort(costliestFirst, (x, y) -> Long.compare(costPerByte[y], costPerByte[x]));
        this.assigned = new long[hashers];
        this.done = new AtomicLongArray(hashers);
    }

    /** Chooses the owner of each of the job's digests and records the work given to it. */
    synchronized void assign(FileJob job, long size) {
        long bytes = Math.max(0, size);
        for (int a : costliestFirst) {
            int least = 0;
            long leastQueued = Long.MAX_VALUE;
            for (int h = 0; h < hashers; h++) {
                long queued = assigned[h] - done.get(h);
                if (queued < leastQueued) {
                    least = h;
                    leastQueued = queued;
                }
            }
            long work = bytes * costPerByte[a];
            assigned[least] += work;
            job.owner[a] = least;
            job.work[a] = work;
        }
    }

    /** Hasher {@code h} hashed {@code bytes} more of digest {@code a} of {@code job}. */
    void hashed(int h, FileJob job, int a, long bytes) {
        long work = Math.min(bytes * costPerByte[a], job.work[a]);
        if (work <= 0) return;
        job.work[a] -= work;
        done.addAndGet(h, work);
    }

    /** Hasher {@code h} finished digest {@code a} of {@code job}: whatever was assigned and not hashed is done too. */
    void finished(int h, FileJob job, int a) {
        long rest = job.work[a];
        if (rest <= 0) return;
        job.work[a] = 0;
        done.addAndGet(h, rest);
    }
}
