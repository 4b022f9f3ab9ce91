package org.triage.pipeline;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.ExceptionHandler;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.triage.model.EntryType;
import org.triage.model.RawPath;
import org.triage.source.SourceEntry;

/**
 * Issue 10, item 5: a stage that throws must put the failure on the file before the stages behind
 * it can see the file. It used to publish its progress in a finally and leave the failure to the
 * Disruptor's exception handler, which runs after that finally: the stage behind could take the
 * file as ended with neither digest nor error. Here the exception handler (the test's) waits until
 * the stage behind has seen the event, which makes the old order fail every time rather than when
 * the scheduler happens to favour it; with the right order the handler is never called.
 */
class SignallingStageTest {

    @Test
    void theFailureIsOnTheFileBeforeTheNextStageSeesIt() throws Exception {
        CountDownLatch seen = new CountDownLatch(1);
        BlockingQueue<String> errorsSeen = new ArrayBlockingQueue<>(1);
        StageWaitStrategy waits = new StageWaitStrategy();
        Disruptor<ChunkEvent> disruptor = new Disruptor<>(ChunkEvent::new, 8, r -> {
            Thread t = new Thread(r, "test-stage");
            t.setDaemon(true);
            return t;
        }, ProducerType.SINGLE, waits);
        disruptor.setDefaultExceptionHandler(new ExceptionHandler<>() {
            @Override
            public void handleEventException(Throwable ex, long sequence, ChunkEvent event) {
                try {
                    seen.await(30, TimeUnit.SECONDS); // a guard only: the order under test decides the outcome
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                event.job.fail("set by the exception handler, too late");
            }

            @Override
            public void handleOnStartException(Throwable ex) { }

            @Override
            public void handleOnShutdownException(Throwable ex) { }
        });
        SignallingStage failing = new SignallingStage(new StageSignal(waits)) {
            @Override
            void handle(ChunkEvent ev) {
                throw new IllegalStateException("injected: digest failed");
            }
        };
        EventHandler<ChunkEvent> behind = (ev, seq, end) -> {
            errorsSeen.add(String.valueOf(ev.job.error));
            seen.countDown();
        };
        disruptor.handleEventsWith(failing).then(behind);
        RingBuffer<ChunkEvent> ring = disruptor.start();
        try {
            SourceEntry entry = new SourceEntry(RawPath.of("a.bin"), EntryType.FILE, 10, null, 1, null, null);
            FileJob job = new FileJob(0, new SourceRun("evidence", null), entry, 1);
            ring.publishEvent(ChunkEvent.END_TRANSLATOR, job);
            String error = errorsSeen.poll(60, TimeUnit.SECONDS);
            assertNotNull(error, "the stage behind never saw the file");
            assertTrue(error.contains("injected: digest failed"), "the stage behind saw the file with error: " + error);
        } finally {
            disruptor.halt();
        }
    }
}
