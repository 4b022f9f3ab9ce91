package org.triage.pipeline;

import java.util.ArrayDeque;
import java.util.function.Function;
import org.triage.hash.ChunkDigest;
import org.triage.model.Algorithm;

/**
 * One of N hashing stages. Work is split by file and by algorithm: the reader gives each (file,
 * algorithm) pair one owning hasher ({@link HashBalancer}: the least loaded), so one file's chunks
 * reach each of its digests in ring order, the digests of one large file run on several cores, and
 * files spread over all hashers. Digest objects are pooled per hasher and reused.
 */
final class HashHandler extends SignallingStage {
    private final int index;
    private final Algorithm[] algorithms;
    private final ArrayDeque<ChunkDigest>[] pools;
    private final HashBalancer balancer;
    private final Function<Algorithm, ChunkDigest> digests;

    @SuppressWarnings("unchecked")
    HashHandler(int index, Algorithm[] algorithms, HashBalancer balancer, StageSignal signal,
                Function<Algorithm, ChunkDigest> digests) {
        super(signal);
        this.index = index;
        this.digests = digests;
        this.algorithms = algorithms.clone();
        this.balancer = balancer;
        this.pools = new ArrayDeque[algorithms.length];
        for (int a = 0; a < algorithms.length; a++) pools[a] = new ArrayDeque<>();
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
            if (job.owner[a] != index) continue;
            // Each digest on its own: one that fails must not leave this hasher's other digests of
            // the file unfinished (their work would stay counted against this hasher for ever).
            try {
                if (kind == ChunkEvent.DATA) {
                    ChunkDigest md = job.inProgress[a];
                    if (md == null) {
                        md = take(a);
                        job.inProgress[a] = md;
                    }
                    md.update(ev.buffer, ev.length);
                    balancer.hashed(index, job, a, ev.length);
                } else {
                    finish(job, a);
                }
            } catch (RuntimeException | Error e) {
                // Logged once per file, not once per chunk of it.
                if (job.error == null) {
                    System.getLogger(HashHandler.class.getName()).log(System.Logger.Level.ERROR,
                            algorithms[a].id() + " failed on " + job.entry.path().display(), e);
                }
                job.fail(FileJob.internalError(e));
            }
        }
    }

    private void finish(FileJob job, int a) {
        ChunkDigest md = job.inProgress[a];
        job.inProgress[a] = null;
        balancer.finished(index, job, a);
        if (job.error == null) {
            if (md == null) md = take(a); // empty file: no DATA event reached us
            job.result[a] = md.finish();  // a digest that throws here is dropped, not pooled
        } else if (md != null) {
            md.reset();
        }
        if (md != null) pools[a].push(md);
    }

    private ChunkDigest take(int a) {
        ChunkDigest md = pools[a].poll();
        return md != null ? md : digests.apply(algorithms[a]);
    }
}
