package org.triage.casework;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.triage.model.EvidenceSummary;
import org.triage.model.FileRecord;
import org.triage.model.RecordListener;
import org.triage.priority.CategoryTable;

/**
 * Writes one item's scan into the case database as it goes: each alert match and unreadable entry
 * (table {@code records}) and the item's counts, in batches, one transaction each. A batch is
 * committed at the end of the scan's record batch when it holds an alert match that raises priority
 * (so that a {@code case status} elsewhere shows the item HIGH as soon as its first such match is
 * recorded), or when {@value #FLUSH_MILLIS} ms have passed since the last commit; and at the end.
 *
 * <p>Threading: the scan's recording thread calls the listener methods; {@link #finish} is called
 * by the thread that ran the scan once it returned. A failed write is logged and kept: the scan
 * goes on (its report and listing still hold everything) and {@link #finish} throws it.
 */
final class ItemRecorder implements RecordListener {
    static final long FLUSH_MILLIS = 250;
    private static final System.Logger LOG = System.getLogger(ItemRecorder.class.getName());

    private final CaseStore store;
    private final long item;
    private final long run;
    private final LiveTally tally;
    private final List<FileRecord> pending = new ArrayList<>();
    private boolean urgent;
    private long lastFlush = System.nanoTime();
    private volatile EvidenceSummary summary;
    private IOException failure;

    ItemRecorder(CaseStore store, long item, long run, CategoryTable categories) {
        this.store = store;
        this.item = item;
        this.run = run;
        this.tally = new LiveTally(categories);
    }

    @Override
    public void onRecord(FileRecord r) {
        if (tally.add(r)) urgent = true;
        if (r.hasAlert() || r.error() != null) pending.add(r);
    }

    @Override
    public void onBatchEnd() {
        if (urgent || System.nanoTime() - lastFlush > FLUSH_MILLIS * 1_000_000) flush();
    }

    @Override
    public void onEvidenceDone(EvidenceSummary s) {
        summary = s;
        flush();
    }

    /** The engine's summary of the item, once the scan delivered it. */
    EvidenceSummary summary() { return summary; }

    ItemCounts counts() { return tally.counts(); }

    /** Writes what is left; throws the first write that failed. */
    synchronized void finish() throws IOException {
        flush();
        if (failure != null) throw failure;
    }

    private synchronized void flush() {
        lastFlush = System.nanoTime();
        urgent = false;
        List<FileRecord> batch = List.copyOf(pending);
        pending.clear();
        try {
            store.recorded(item, run, batch, tally.counts());
        } catch (IOException e) {
            if (failure == null) {
                failure = e;
                LOG.log(System.Logger.Level.ERROR, "case database: cannot record item " + item + ": " + e.getMessage(), e);
            }
        }
    }
}
