package org.triage.pipeline;

import java.util.ArrayDeque;
import org.triage.hash.ChunkDigest;
import org.triage.hash.DigestCost;
import org.triage.model.Algorithm;

/**
 * One of N hashing stages. Work is split by file and by algorithm: the algorithms are first packed
 * into N bins of about equal cost ({@link DigestCost}: with SHA extensions, MD5 alone weighs as
 * much as SHA-1 and SHA-256 together), and the pair (file, algorithm) belongs to hasher
 * {@code (bin(algorithm) + fileId) % N}. So one file's chunks reach each of its digests in ring
 * order, the algorithms of one large file run on several cores in balance, and consecutive files
 * rotate over all hashers. Digest objects are pooled per hasher and reused.
 */
final class HashHandler extends SignallingStage {
    private final int index;
    private final int hashers;
    private final Algorithm[] algorithms;
    private final ArrayDeque<ChunkDigest>[] pools;
    private final int[] bins;

    @SuppressWarnings("unchecked")
    HashHandler(int index, int hashers, Algorithm[] algorithms, StageSignal signal) {
        super(signal);
        this.index = index;
        this.hashers = hashers;
        this.algorithms = algorithms.clone();
        this.bins = bins(algorithms, hashers);
        this.pools = new ArrayDeque[algorithms.length];
        for (int a = 0; a < algorithms.length; a++) pools[a] = new ArrayDeque<>();
    }

    boolean owns(long fileId, int algorithmIndex) {
        return (int) ((bins[algorithmIndex] + fileId) % hashers) == index;
    }

    /** Greedy packing, costliest first, each into the lightest bin: good enough for three items. */
    static int[] bins(Algorithm[] algorithms, int hashers) {
        Integer[] order = new Integer[algorithms.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        java.util.Arrays.sort(order, (x, y) -> Double.compare(DigestCost.of(algorithms[y]), DigestCost.of(algorithms[x])));
        double[] load = new double[hashers];
        int[] bin = new int[algorithms.length];
        for (int i : order) {
            int lightest = 0;
            for (int b = 1; b < hashers; b++) if (load[b] < load[lightest]) lightest = b;
            bin[i] = lightest;
            load[lightest] += DigestCost.of(algorithms[i]);
        }
        return bin;
    }

    private int ends;

    /** Downstream waits for whole files: say so every 16 files, not only at the batch's end (every
     *  file would wake the recorder once per file: measured as a second of system time on 50,000 small files). */
    @Override
    boolean signalAfter(ChunkEvent ev, boolean endOfBatch) {
        return endOfBatch || (ev.kind == ChunkEvent.END && (++ends & 15) == 0);
    }

    @Override
    void handle(ChunkEvent ev) {
        int kind = ev.kind;
        if (kind != ChunkEvent.DATA && kind != ChunkEvent.END) return;
        FileJob job = ev.job;
        for (int a = 0; a < algorithms.length; a++) {
            if (!owns(job.id, a)) continue;
            if (kind == ChunkEvent.DATA) {
                ChunkDigest md = job.inProgress[a];
                if (md == null) {
                    md = take(a);
                    job.inProgress[a] = md;
                }
                md.update(ev.buffer, ev.length);
            } else {
                finish(job, a);
            }
        }
    }

    private void finish(FileJob job, int a) {
        ChunkDigest md = job.inProgress[a];
        job.inProgress[a] = null;
        if (job.error == null) {
            if (md == null) md = take(a); // empty file: no DATA event reached us
            job.result[a] = md.finish();
        } else if (md != null) {
            md.reset();
        }
        if (md != null) pools[a].push(md);
    }

    private ChunkDigest take(int a) {
        ChunkDigest md = pools[a].poll();
        return md != null ? md : ChunkDigest.of(algorithms[a]);
    }
}
