package org.triage.pipeline;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.triage.model.Algorithm;
import org.triage.model.FileRecord;
import org.triage.model.PictureHash;
import org.triage.source.SourceEntry;

/**
 * The recorder's side of the PDQ stage: holds a picture's record until its PDQ result is in, and
 * decodes each content once. Pictures are keyed by the strongest digest the scan computes: the
 * first file of a content goes to the {@link PdqStage}; a copy that arrives while it is decoded
 * waits for the same result; a copy that arrives later takes the remembered result
 * ({@link PictureHash#reused()}). Remembered results are bounded ({@value #REMEMBERED}, oldest
 * dropped: a copy seen after that is decoded again, which costs time, never a wrong answer).
 *
 * <p>Memory: one held record per picture waiting (in the queue, or remembered for the second read,
 * both bounded by {@link PdqSettings}). Threading: the recorder's thread only, except
 * {@link #takeDeferred}, which it calls itself when the scan thread asks.
 */
final class PictureLedger {
    static final int REMEMBERED = 200_000;

    /** What the recorder does with a record once its picture's result is in. */
    interface Emitter {
        void emit(FileRecord record, SourceEntry entry);
    }

    /** A picture to read again after the crypto pass: its entry, its digest to check, its size. */
    record Deferred(ByteBuffer key, SourceEntry entry, Algorithm algorithm, long size) { }

    private record Held(FileRecord record, SourceEntry entry) { }

    private final PdqStage stage;
    private final Algorithm[] algorithms;
    private final Emitter emitter;
    private final AtomicLong deferredCount;
    private final Map<ByteBuffer, List<Held>> waiting = new HashMap<>();
    private final Map<ByteBuffer, PictureHash> known = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ByteBuffer, PictureHash> eldest) {
            return size() > REMEMBERED;
        }
    };
    private List<Deferred> deferred = new ArrayList<>();

    PictureLedger(PdqStage stage, Algorithm[] algorithms, AtomicLong deferredCount, Emitter emitter) {
        this.stage = stage;
        this.algorithms = algorithms.clone();
        this.deferredCount = deferredCount;
        this.emitter = emitter;
    }

    /**
     * A finished file. Returns true when the ledger took its record (to emit once its picture's
     * result is in, or at once with a result); false when the file is not the PDQ stage's
     * (not a picture, not read whole), and the recorder emits the record itself.
     */
    boolean take(FileJob job, FileRecord record, boolean hashed) {
        byte state = job.pictureState;
        if (state == FileJob.PICTURE_UNDECIDED || state == FileJob.PICTURE_NONE) {
            release(job);
            return false;
        }
        if (!hashed || job.error != null) {
            release(job);
            if (state == FileJob.PICTURE_DEFERRED) deferredCount.decrementAndGet();
            return false;
        }
        if (state == FileJob.PICTURE_TOO_LARGE) {
            emitter.emit(record.withPdq(PictureHash.failed(job.pictureError)), job.entry);
            return true;
        }
        int strongest = strongest(job);
        ByteBuffer key = ByteBuffer.wrap(job.result[strongest]);
        PictureHash seen = known.get(key);
        if (seen != null) {
            release(job);
            if (state == FileJob.PICTURE_DEFERRED) deferredCount.decrementAndGet();
            emitter.emit(record.withPdq(seen.reusedCopy()), job.entry);
            return true;
        }
        List<Held> same = waiting.get(key);
        if (same != null) {
            release(job);
            if (state == FileJob.PICTURE_DEFERRED) deferredCount.decrementAndGet();
            same.add(new Held(record, job.entry));
            return true;
        }
        List<Held> first = new ArrayList<>(1);
        first.add(new Held(record, job.entry));
        waiting.put(key, first);
        if (state == FileJob.PICTURE_DEFERRED) {
            deferred.add(new Deferred(key, job.entry, algorithms[strongest], job.bytes));
        } else {
            stage.submit(new PdqStage.Work(key, job.picture, job.pictureReserved));
            job.picture = null;
            job.pictureReserved = 0;
        }
        return true;
    }

    /** Emits the records whose results have come in. */
    void drain() {
        for (PdqStage.Done d; (d = stage.poll()) != null; ) {
            List<Held> held = waiting.remove(d.key());
            known.put(d.key(), d.result());
            if (held == null) continue;
            for (int i = 0; i < held.size(); i++) {
                Held h = held.get(i);
                emitter.emit(h.record().withPdq(i == 0 ? d.result() : d.result().reusedCopy()), h.entry());
            }
        }
    }

    /** The pictures to read again, handed over once (the scan thread reads them). */
    List<Deferred> takeDeferred() {
        List<Deferred> d = deferred;
        deferred = new ArrayList<>();
        return d;
    }

    /** At an item's end: emits whatever still waits, with why it has no PDQ hash (the scan was stopped). */
    void finish(String why) {
        drain();
        for (List<Held> held : waiting.values()) {
            for (Held h : held) emitter.emit(h.record().withPdq(PictureHash.failed(why)), h.entry());
        }
        waiting.clear();
        deferred.clear();
        deferredCount.set(0);
    }

    private void release(FileJob job) {
        if (job.pictureReserved > 0) stage.budget().release(job.pictureReserved, false);
        job.pictureReserved = 0;
        if (job.picture != null) job.picture.close();
        job.picture = null;
    }

    private int strongest(FileJob job) {
        int best = -1;
        for (int a = 0; a < algorithms.length; a++) {
            if (job.result[a] != null && (best < 0 || algorithms[a].ordinal() > algorithms[best].ordinal())) best = a;
        }
        return best;
    }
}
