package org.triage.pipeline;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.WaitStrategy;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Blocks every stage, not just the first, until there is work. The Disruptor's own blocking
 * strategies wait on a lock only for the producer's cursor and busy-spin on the stage ahead, which
 * on a 2-core machine let the idle lookup and record stages eat the cores the hashers needed
 * (measured: SHA-1 alone at 495 MB/s instead of 2 GB/s); sleeping strategies cost a wake-up every
 * few tens of microseconds per idle stage. Here a waiter spins briefly, yields briefly, then parks; producers signal on publish (the sequencer calls
 * {@link #signalAllWhenBlocking()}), and every stage signals at the end of each batch after
 * publishing its own progress early through the sequence callback ({@link StageSignal}). A waiter
 * also re-checks every millisecond, so a missed signal would cost a millisecond, never a hang
 * (PipelineStressTest runs without that re-check, to show that no signal is missed).
 */
final class StageWaitStrategy implements WaitStrategy {
    // Spin a little, then yield, then park: on 50,000 small files parking at once cost about six
    // futex calls a file; 100 spins and 100 yields took the small-file bench from 2.9 s to 2.65 s
    // and halved its system time, with no change on large files (the -D overrides are for tuning).
    private static final int SPINS = Integer.getInteger("triage.spins", 200);
    private static final int YIELD_AFTER = Integer.getInteger("triage.yieldAfter", 100);
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition progressed = lock.newCondition();
    private final AtomicBoolean waiting = new AtomicBoolean();
    /** How long a parked waiter sleeps before it looks again without a signal; 0: only a signal wakes it. */
    private final long recheckNanos;

    StageWaitStrategy() {
        this(TimeUnit.MILLISECONDS.toNanos(1));
    }

    /**
     * Test seam: with {@code recheckNanos} 0 a waiter wakes only when signalled, so that a lost
     * wakeup, which the timed re-check would hide as a millisecond's delay, becomes a hang a
     * stress test can see.
     */
    StageWaitStrategy(long recheckNanos) {
        this.recheckNanos = recheckNanos;
    }

    @Override
    public long waitFor(long sequence, Sequence cursor, Sequence dependentSequence, SequenceBarrier barrier)
            throws AlertException {
        long available = dependentSequence.get();
        if (available >= sequence) return available;
        for (int spin = 0; spin < SPINS; spin++) {
            if (spin >= YIELD_AFTER) Thread.yield(); else Thread.onSpinWait();
            if ((available = dependentSequence.get()) >= sequence) return available;
        }
        lock.lock();
        try {
            while ((available = dependentSequence.get()) < sequence) {
                barrier.checkAlert();
                waiting.set(true);
                // Look again once the flag is up: a publish or an alert (halt) that came between the
                // checks above and the flag found no waiter to signal, and must not be slept through.
                if ((available = dependentSequence.get()) >= sequence) break;
                barrier.checkAlert();
                try {
                    if (recheckNanos > 0) progressed.awaitNanos(recheckNanos); else progressed.await();
                } catch (InterruptedException e) {
                    // Stages are stopped by alerts, never by interrupts. Letting this escape would make
                    // the processor treat it as a failed event and skip a sequence it never saw.
                }
            }
        } finally {
            lock.unlock();
        }
        return available;
    }

    @Override
    public void signalAllWhenBlocking() {
        if (waiting.getAndSet(false)) {
            lock.lock();
            try {
                progressed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }
}
