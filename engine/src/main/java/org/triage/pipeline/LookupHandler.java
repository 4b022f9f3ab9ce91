package org.triage.pipeline;

import java.util.ArrayList;
import java.util.List;
import org.triage.model.Algorithm;
import org.triage.model.Match;
import org.triage.store.HashStore;

/**
 * Looks every finished digest up in the known-hash store. One of N lookup stages, each taking the
 * files whose id modulo N is its index.
 */
final class LookupHandler extends SignallingStage {
    private final int index;
    private final int handlers;
    private final Algorithm[] algorithms;
    private final HashStore store;

    LookupHandler(int index, int handlers, Algorithm[] algorithms, HashStore store, StageSignal signal) {
        super(signal);
        this.index = index;
        this.handlers = handlers;
        this.algorithms = algorithms.clone();
        this.store = store;
    }

    @Override
    void handle(ChunkEvent ev) {
        if (ev.kind != ChunkEvent.END) return;
        FileJob job = ev.job;
        if (job.id % handlers != index) return;
        lookUp(job, algorithms, store);
    }

    /** Looks a finished file's digests up; sets {@code job.matches}, or {@code job.error} if the store fails. */
    static void lookUp(FileJob job, Algorithm[] algorithms, HashStore store) {
        if (job.error != null) return;
        List<Match> found = null;
        try {
            for (int a = 0; a < algorithms.length; a++) {
                byte[] digest = job.result[a];
                if (digest == null) continue;
                List<Match> hits = store.lookup(algorithms[a], digest);
                if (hits.isEmpty()) continue;
                if (found == null) found = new ArrayList<>(2);
                for (Match m : hits) {
                    if (!found.contains(m)) found.add(m);
                }
            }
        } catch (RuntimeException e) {
            job.error = "hash store lookup failed: " + e.getMessage();
            return;
        }
        if (found != null) job.matches = List.copyOf(found);
    }
}
