package org.triage.pipeline;

import com.lmax.disruptor.EventTranslatorOneArg;
import com.sun.jna.Pointer;

/**
 * A ring slot. Preallocated once and reused; it refers to a pooled buffer, never a fresh array.
 * The recording stage, last in line, hands the buffer back to the pool and clears the slot.
 */
final class ChunkEvent {
    /** A chunk of a file's content, in order. */
    static final int DATA = 1;
    /** A file's content ended (or failed: see {@link FileJob#error}). */
    static final int END = 2;
    /** An entry without content to read: special file, link, hard link to a file read earlier, or error. */
    static final int ENTRY = 3;
    /** Every entry of a source has been published. */
    static final int SOURCE_END = 4;
    /** A source is about to be read. */
    static final int SOURCE_START = 5;
    /** The scan thread asks the recorder for the pictures to read again for the PDQ stage ({@link PdqStage}). */
    static final int PICTURES = 6;
    /** While the PDQ stage drains after a crypto pass: the recorder records the pictures whose results are in. */
    static final int PDQ_RESULTS = 7;

    int kind;
    FileJob job;
    SourceRun run;
    /** A pooled native buffer (DATA only). */
    Pointer buffer;
    int length;

    void clear() {
        kind = 0;
        job = null;
        run = null;
        buffer = null;
        length = 0;
    }

    /** Claim, fill, publish in a finally: no translator, so no boxed length per chunk. */
    static void publishData(com.lmax.disruptor.RingBuffer<ChunkEvent> ring, FileJob job, Pointer chunk, int length) {
        long seq = ring.next();
        try {
            ChunkEvent ev = ring.get(seq);
            ev.kind = DATA;
            ev.job = job;
            ev.run = job.run;
            ev.buffer = chunk;
            ev.length = length;
        } finally {
            ring.publish(seq);
        }
    }

    static final EventTranslatorOneArg<ChunkEvent, FileJob> END_TRANSLATOR = (ev, seq, job) -> {
        ev.kind = END;
        ev.job = job;
        ev.run = job.run;
    };

    static final EventTranslatorOneArg<ChunkEvent, FileJob> ENTRY_TRANSLATOR = (ev, seq, job) -> {
        ev.kind = ENTRY;
        ev.job = job;
        ev.run = job.run;
    };

    static final EventTranslatorOneArg<ChunkEvent, SourceRun> SOURCE_START_TRANSLATOR = (ev, seq, run) -> {
        ev.kind = SOURCE_START;
        ev.run = run;
    };

    static final EventTranslatorOneArg<ChunkEvent, SourceRun> PICTURES_TRANSLATOR = (ev, seq, run) -> {
        ev.kind = PICTURES;
        ev.run = run;
    };

    static final EventTranslatorOneArg<ChunkEvent, SourceRun> PDQ_RESULTS_TRANSLATOR = (ev, seq, run) -> {
        ev.kind = PDQ_RESULTS;
        ev.run = run;
    };

    static final EventTranslatorOneArg<ChunkEvent, SourceRun> SOURCE_END_TRANSLATOR = (ev, seq, run) -> {
        ev.kind = SOURCE_END;
        ev.run = run;
    };

    /** What this event is about, for a log line: the file's path, else the evidence item's name, else "?". */
    String where() {
        if (job != null && job.entry.path() != null) return job.entry.path().display();
        return run != null ? run.name : "?";
    }
}
