package org.triage.pipeline;

import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import org.triage.model.SourceStats;
import org.triage.source.Source;

/** One evidence item being scanned: the reader side's state and the latch the recorder opens. */
final class SourceRun {
    final String name;
    final Source source;
    final Instant startedAt = Instant.now();
    final CountDownLatch recorded = new CountDownLatch(1);

    /** Set by the coordinator before SOURCE_END is published. */
    volatile boolean interrupted;
    volatile String error;
    /** Set by a reader that failed outside any one file (a bug): the scan must not pass as complete. */
    volatile String readerFailure;

    /** Opened by the recorder at the PICTURES event, once it has put the pictures to read again in {@link #deferred}. */
    final CountDownLatch picturesListed = new CountDownLatch(1);
    volatile java.util.List<PictureLedger.Deferred> deferred = java.util.List.of();
    /** What an earlier scan recorded of this item, taken in place of reading it; null: read everything. */
    volatile Replay replay;

    /**
     * Set when this item, not the scan, is to stop ({@link ScanPipeline#stopItem}): no new file is
     * started, files being read are left for a later run (not recorded), and the scan goes on to
     * the next item.
     */
    volatile boolean stoppedEarly;
    /** Set when a stop left something of the item unread (an entry not listed, not started or cut short). */
    volatile boolean leftSome;

    /** Set by the recorder when SOURCE_END is processed. */
    volatile SourceStats stats;

    SourceRun(String name, Source source) {
        this.name = name;
        this.source = source;
    }
}
