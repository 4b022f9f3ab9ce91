package org.triage.pipeline;

import com.lmax.disruptor.EventHandler;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import org.triage.model.Algorithm;

/**
 * One of N hashing stages. Work is split by file and by algorithm: the pair (file, algorithm
 * index) belongs to hasher {@code (fileId + algorithmIndex) % N}, so one file's chunks reach each
 * of its digests in ring order, two algorithms of one large file run on two cores, and
 * consecutive files spread over all hashers. Digest objects are pooled per hasher and reused.
 */
final class HashHandler implements EventHandler<ChunkEvent> {
    private final int index;
    private final int hashers;
    private final Algorithm[] algorithms;
    private final ArrayDeque<MessageDigest>[] pools;

    @SuppressWarnings("unchecked")
    HashHandler(int index, int hashers, Algorithm[] algorithms) {
        this.index = index;
        this.hashers = hashers;
        this.algorithms = algorithms.clone();
        this.pools = new ArrayDeque[algorithms.length];
        for (int a = 0; a < algorithms.length; a++) pools[a] = new ArrayDeque<>();
    }

    boolean owns(long fileId, int algorithmIndex) {
        return (int) ((fileId + algorithmIndex) % hashers) == index;
    }

    @Override
    public void onEvent(ChunkEvent ev, long sequence, boolean endOfBatch) {
        int kind = ev.kind;
        if (kind != ChunkEvent.DATA && kind != ChunkEvent.END) return;
        FileJob job = ev.job;
        for (int a = 0; a < algorithms.length; a++) {
            if (!owns(job.id, a)) continue;
            if (kind == ChunkEvent.DATA) {
                MessageDigest md = job.inProgress[a];
                if (md == null) {
                    md = take(a);
                    job.inProgress[a] = md;
                }
                md.update(ev.buffer, 0, ev.length);
            } else {
                finish(job, a);
            }
        }
    }

    private void finish(FileJob job, int a) {
        MessageDigest md = job.inProgress[a];
        job.inProgress[a] = null;
        if (job.error == null) {
            if (md == null) md = take(a); // empty file: no DATA event reached us
            job.result[a] = md.digest();
        } else if (md != null) {
            md.reset();
        }
        if (md != null) pools[a].push(md);
    }

    private MessageDigest take(int a) {
        MessageDigest md = pools[a].poll();
        if (md != null) return md;
        try {
            return MessageDigest.getInstance(algorithms[a].jcaName());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM lacks " + algorithms[a].jcaName(), e);
        }
    }
}
