package org.triage.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import com.sun.jna.Pointer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 10, item 5: stress tests of the two hand-offs the pipeline builds itself, in the spirit of
 * the Disruptor's own: many threads, random pauses, and invariants counted rather than timed.
 *
 * <p>{@link StageWaitStrategy}: producers publish through a three-layer ring (parallel stages, a
 * second parallel layer, one last stage) that waits on each other the way the scan's stages do
 * (early progress through {@link StageSignal}, one shared strategy). The strategy runs without its
 * millisecond re-check, so a lost wakeup hangs instead of costing a millisecond; the time bound
 * turns that hang into a failure. Checked: every stage sees every event once, each producer's in
 * order; a stage never sees an event before every stage ahead of it finished it; the last stage
 * never sees a slot overwritten; the stages end when halted.
 *
 * <p>{@link BufferPool}: more threads than buffers take and give with random pauses. Checked: no
 * buffer is ever held by two threads (each stamps the buffer and finds its stamp intact when it
 * gives it back, and the set of buffers out never holds one twice); every buffer comes back;
 * no waiter is left asleep (the pool's wait has no re-check at all).
 */
class PipelineStressTest {

    /** Pauses of random length, sometimes none: a yield, a spin, or a park of up to 50 µs. */
    private static void randomPause() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        switch (r.nextInt(4)) {
            case 0 -> Thread.yield();
            case 1 -> {
                for (int i = r.nextInt(200); i > 0; i--) Thread.onSpinWait();
            }
            case 2 -> LockSupport.parkNanos(r.nextLong(50_000));
            default -> { }
        }
    }

    /** A stage like the scan's hashers and lookups: stamps each event's sequence into its own table. */
    private static final class StampingStage extends SignallingStage {
        final AtomicLongArray stamps;
        final AtomicLongArray[] ahead;
        final long[] lastCounter;
        final AtomicLong seen = new AtomicLong();
        final List<String> failures;

        StampingStage(StageSignal signal, int ringSize, AtomicLongArray[] ahead, int producers, List<String> failures) {
            super(signal);
            this.stamps = new AtomicLongArray(ringSize);
            this.ahead = ahead;
            this.lastCounter = new long[producers];
            java.util.Arrays.fill(lastCounter, -1);
            this.failures = failures;
        }

        @Override
        void handle(ChunkEvent ev) {
            long seq = ev.kind;
            int slot = (int) (seq & (stamps.length() - 1));
            for (AtomicLongArray a : ahead) {
                if (a.get(slot) != seq) failures.add("saw sequence " + seq + " before a stage ahead finished it");
            }
            checkOrder(ev.length, lastCounter, failures);
            if (ThreadLocalRandom.current().nextInt(8) == 0) randomPause();
            seen.incrementAndGet();
            stamps.set(slot, seq);
        }
    }

    /** Payload: producer * 1,000,000 + its own counter; each producer's counters arrive in order, each once. */
    private static void checkOrder(int payload, long[] lastCounter, List<String> failures) {
        int producer = payload / 1_000_000;
        int counter = payload % 1_000_000;
        if (counter != lastCounter[producer] + 1) {
            failures.add("producer " + producer + ": event " + counter + " after " + lastCounter[producer]);
        }
        lastCounter[producer] = counter;
    }

    @ParameterizedTest(name = "producers={0} first={1} second={2} ring={3}")
    @CsvSource({"1,2,1,16", "3,3,2,8", "4,1,3,64"})
    void stagesSeeEveryEventOnceInOrderAndNeverEarlyAndNoWakeupIsLost(int producers, int first, int second, int ringSize) {
        int perProducer = 3_000;
        long total = (long) producers * perProducer;
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        StageWaitStrategy waits = new StageWaitStrategy(0); // no timed re-check: a lost wakeup is a hang
        List<Thread> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
        Disruptor<ChunkEvent> disruptor = new Disruptor<>(ChunkEvent::new, ringSize, r -> {
            Thread t = new Thread(r, "stress-stage");
            t.setDaemon(true);
            threads.add(t);
            return t;
        }, ProducerType.MULTI, waits);
        StampingStage[] layer1 = new StampingStage[first];
        for (int i = 0; i < first; i++) layer1[i] = new StampingStage(new StageSignal(waits), ringSize, new AtomicLongArray[0], producers, failures);
        AtomicLongArray[] afterLayer1 = new AtomicLongArray[first];
        for (int i = 0; i < first; i++) afterLayer1[i] = layer1[i].stamps;
        StampingStage[] layer2 = new StampingStage[second];
        for (int i = 0; i < second; i++) layer2[i] = new StampingStage(new StageSignal(waits), ringSize, afterLayer1, producers, failures);
        AtomicLongArray[] afterAll = new AtomicLongArray[first + second];
        System.arraycopy(afterLayer1, 0, afterAll, 0, first);
        for (int i = 0; i < second; i++) afterAll[first + i] = layer2[i].stamps;
        long[] lastCounter = new long[producers];
        java.util.Arrays.fill(lastCounter, -1);
        AtomicLong recorded = new AtomicLong();
        CountDownLatch allRecorded = new CountDownLatch(1);
        EventHandler<ChunkEvent> last = (ev, seq, endOfBatch) -> {
            if (ev.kind != seq) failures.add("slot of sequence " + seq + " holds " + ev.kind + ": overwritten before the last stage");
            int slot = (int) (seq & (ringSize - 1));
            for (AtomicLongArray a : afterAll) {
                if (a.get(slot) != seq) failures.add("last stage saw sequence " + seq + " before a stage ahead finished it");
            }
            checkOrder(ev.length, lastCounter, failures);
            if (ThreadLocalRandom.current().nextInt(8) == 0) randomPause();
            if (recorded.incrementAndGet() == total) allRecorded.countDown();
        };
        disruptor.handleEventsWith(layer1).then(layer2).then(last);
        RingBuffer<ChunkEvent> ring = disruptor.start();

        assertTimeoutPreemptively(Duration.ofMinutes(3), () -> {
            List<Thread> producerThreads = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                int id = p;
                Thread t = new Thread(() -> {
                    for (int i = 0; i < perProducer; i++) {
                        int payload = id * 1_000_000 + i;
                        ring.publishEvent((ev, seq, arg) -> {
                            ev.kind = (int) seq;
                            ev.length = arg;
                        }, payload);
                        // Pauses let every stage run dry and park, where a lost wakeup would strand it.
                        if (ThreadLocalRandom.current().nextInt(64) == 0) randomPause();
                    }
                }, "stress-producer-" + p);
                producerThreads.add(t);
                t.start();
            }
            for (Thread t : producerThreads) t.join();
            allRecorded.await();
            disruptor.halt(); // halting wakes parked stages through the same strategy: none may stay asleep
            for (Thread t : threads) t.join();
        }, "a stage or producer never woke: lost wakeup (or a deadlock)");

        assertEquals(List.of(), failures.subList(0, Math.min(10, failures.size())));
        for (StampingStage s : layer1) assertEquals(total, s.seen.get(), "events seen by a first-layer stage");
        for (StampingStage s : layer2) assertEquals(total, s.seen.get(), "events seen by a second-layer stage");
        assertEquals(total, recorded.get(), "events seen by the last stage");
        for (Thread t : threads) assertFalse(t.isAlive(), t.getName());
    }

    @ParameterizedTest(name = "threads={0} buffers={1}")
    @CsvSource({"12,8", "6,2", "32,16"})
    void everyBufferIsHeldByOneThreadAtATimeAndAllComeBack(int threadCount, int buffers) {
        int cycles = 5_000;
        int size = 4096;
        BufferPool pool = new BufferPool(buffers, size);
        Set<Long> out = ConcurrentHashMap.newKeySet();
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        AtomicLong takes = new AtomicLong();
        AtomicLong gives = new AtomicLong();
        try {
            assertTimeoutPreemptively(Duration.ofMinutes(3), () -> {
                List<Thread> workers = new ArrayList<>();
                for (int w = 0; w < threadCount; w++) {
                    long id = w + 1;
                    Thread t = new Thread(() -> {
                        try {
                            for (int i = 0; i < cycles; i++) {
                                Pointer b = pool.take();
                                takes.incrementAndGet();
                                long address = Pointer.nativeValue(b);
                                if (!out.add(address)) failures.add("buffer " + address + " handed out while held");
                                long stamp = id << 32 | i;
                                b.setLong(0, stamp);
                                b.setLong(size - 8, stamp);
                                if (ThreadLocalRandom.current().nextInt(4) == 0) randomPause();
                                if (b.getLong(0) != stamp || b.getLong(size - 8) != stamp) {
                                    failures.add("buffer " + address + " written by another thread while held");
                                }
                                out.remove(address);
                                pool.give(b);
                                gives.incrementAndGet();
                                if (ThreadLocalRandom.current().nextInt(4) == 0) randomPause();
                            }
                        } catch (InterruptedException e) {
                            failures.add("interrupted");
                        }
                    }, "stress-pool-" + w);
                    workers.add(t);
                    t.start();
                }
                for (Thread t : workers) t.join();
            }, "a thread waiting for a buffer was never woken");
            assertEquals(List.of(), failures.subList(0, Math.min(10, failures.size())));
            assertEquals((long) threadCount * cycles, takes.get());
            assertEquals(takes.get(), gives.get());
            assertEquals(buffers, pool.free(), "every buffer back in the pool");
            assertTrue(out.isEmpty());
        } finally {
            pool.close();
        }
    }
}
