package org.triage.casework;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A run's items read elsewhere (a cluster: {@code triage case run --spark}), each in one or more
 * shares, each share's records written to an all-files listing that this machine can read. The run
 * then records each item from its shares' listings as a scan resumed from them ({@code
 * ScanConfig.Builder.resume}): the item's walk is made here again, but no entry the shares read
 * whole is read again, and the report, listing, records and counts are those one machine writes.
 *
 * <p>Threading: {@link #start} on the run's thread, {@link #await} on the item jobs' threads at once,
 * {@link #stop} from any thread.
 */
public interface RemoteShares {

    /** Where the items are read, for the audit trail's {@code run-started} (the cluster, the job). */
    Map<String, Object> describe();

    /** Starts reading every item of the run elsewhere; returns at once. */
    void start(long run, List<CaseItem> items) throws IOException;

    /**
     * Waits until every share of the item is read.
     *
     * @throws IOException when the item could not be read elsewhere (the job failed or was stopped):
     *                     the run then reads it here
     */
    SharesRead await(CaseItem item) throws IOException, InterruptedException;

    /** Stops the reading not yet done; await then throws. Any thread; returns at once. */
    void stop();

    /** What the audit trail's {@code run-finished} says of the work elsewhere (the executors that took part). */
    Map<String, Object> finished();

    /**
     * One item's shares, read.
     *
     * @param listings the shares' listings, each entry of the item in one of them
     * @param tasks    what the audit trail says of each share (where and how it was read)
     */
    record SharesRead(List<Path> listings, List<Map<String, Object>> tasks) {
        public SharesRead {
            listings = List.copyOf(listings);
            tasks = List.copyOf(tasks);
        }
    }
}
