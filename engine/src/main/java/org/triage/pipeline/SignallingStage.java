package org.triage.pipeline;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.Sequence;

/**
 * A stage that others wait on: it handles each event, then, when {@link #signalAfter} says so,
 * publishes its progress early and wakes the stages behind it ({@link StageSignal}).
 */
abstract class SignallingStage implements EventHandler<ChunkEvent> {
    private final StageSignal signal;

    SignallingStage(StageSignal signal) {
        this.signal = signal;
    }

    @Override
    public final void setSequenceCallback(Sequence sequenceCallback) {
        signal.bind(sequenceCallback);
    }

    /**
     * Handles the event; a failure is put on the event's file <em>before</em> the stage publishes
     * its progress. Publishing in a finally and leaving the failure to the Disruptor's exception
     * handler, which runs only after the finally, let the stage behind see the file ended with
     * neither a digest nor an error, and record it so.
     */
    @Override
    public final void onEvent(ChunkEvent ev, long sequence, boolean endOfBatch) {
        try {
            handle(ev);
        } catch (RuntimeException | Error e) {
            failed(ev, sequence, e);
        }
        if (signalAfter(ev, endOfBatch)) signal.done(sequence);
    }

    private void failed(ChunkEvent ev, long sequence, Throwable e) {
        FileJob job = ev.job;
        String where = ev.where();
        System.getLogger(getClass().getName()).log(System.Logger.Level.ERROR,
                "pipeline stage failed on " + where + " (sequence " + sequence + ")", e);
        if (job != null) job.fail(FileJob.internalError(e));
    }

    abstract void handle(ChunkEvent ev);

    /** Whether to wake the next stage now; by default at the end of each batch. */
    boolean signalAfter(ChunkEvent ev, boolean endOfBatch) {
        return endOfBatch;
    }
}
