package org.triage.model;

import java.util.List;

/**
 * Receives a scan's results as they are recorded.
 *
 * <p>Threading: all calls come from the scan's single recording thread, in order, so an
 * implementation needs no locking of its own. Calls must return quickly: a slow listener slows the
 * scan. An exception thrown here is logged and the scan goes on.
 */
public interface RecordListener {

    /** One listener that passes each call to all of {@code listeners}, in their order. */
    static RecordListener all(List<RecordListener> listeners) {
        return new FanOutListener(listeners);
    }

    /** One entry's outcome. Every listed entry of every source arrives exactly once. */
    void onRecord(FileRecord record);

    /** A batch of records ended: a good moment to flush buffered output. */
    default void onBatchEnd() {
    }

    /** The scan started reading an evidence item. */
    default void onSourceStart(String source) {
    }

    /**
     * Every entry of an evidence item has been recorded, and the last of them were followed by
     * {@link #onBatchEnd}. The recording thread's last call for the item: once it returns, the item
     * is handed back and {@link #onEvidenceDone} may come at once on the scan's thread, with no
     * recording-thread call between or overlapping it (a flush from both would write lines twice).
     */
    default void onSourceEnd(SourceStats stats) {
    }

    /**
     * An evidence item is done, with its summary (unranked): called once for every item of the
     * scan, also one that could not be opened or that a stopped scan never started (for which
     * {@link #onSourceStart} never came). Called on the thread running the scan, after every record
     * of the item has been delivered and before anything of the next item is (so still one call at
     * a time, in order). An all-files listing writes it as the item's last line, so that a reader
     * of the listing can tell an item read to the end from one a killed scan left half-written.
     */
    default void onEvidenceDone(EvidenceSummary summary) {
    }
}
