package org.triage.pipeline;

import com.lmax.disruptor.Sequence;

/**
 * Lets a stage tell the stages behind it that it moved on: at the end of a batch it publishes its
 * sequence early (the Disruptor would only do so after the handler returns) and wakes waiters.
 */
final class StageSignal {
    private final StageWaitStrategy strategy;
    private Sequence sequence;

    StageSignal(StageWaitStrategy strategy) {
        this.strategy = strategy;
    }

    void bind(Sequence s) {
        this.sequence = s;
    }

    /** Call at end of batch, after the event at {@code seq} is fully processed. */
    void done(long seq) {
        if (sequence != null) sequence.set(seq);
        strategy.signalAllWhenBlocking();
    }
}
