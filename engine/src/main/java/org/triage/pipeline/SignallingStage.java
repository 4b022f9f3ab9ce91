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

    @Override
    public final void onEvent(ChunkEvent ev, long sequence, boolean endOfBatch) {
        try {
            handle(ev);
        } finally {
            if (signalAfter(ev, endOfBatch)) signal.done(sequence);
        }
    }

    abstract void handle(ChunkEvent ev);

    /** Whether to wake the next stage now; by default at the end of each batch. */
    boolean signalAfter(ChunkEvent ev, boolean endOfBatch) {
        return endOfBatch;
    }
}
