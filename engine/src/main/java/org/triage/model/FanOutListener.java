package org.triage.model;

import java.util.List;

/** Passes each call to several listeners, in order ({@link RecordListener#all}). */
final class FanOutListener implements RecordListener {
    private final RecordListener[] listeners;

    FanOutListener(List<RecordListener> listeners) {
        this.listeners = listeners.toArray(new RecordListener[0]);
    }

    @Override
    public void onRecord(FileRecord record) {
        for (RecordListener l : listeners) l.onRecord(record);
    }

    @Override
    public void onBatchEnd() {
        for (RecordListener l : listeners) l.onBatchEnd();
    }

    @Override
    public void onSourceStart(String source) {
        for (RecordListener l : listeners) l.onSourceStart(source);
    }

    @Override
    public void onSourceEnd(SourceStats stats) {
        for (RecordListener l : listeners) l.onSourceEnd(stats);
    }

    @Override
    public void onEvidenceDone(EvidenceSummary summary) {
        for (RecordListener l : listeners) l.onEvidenceDone(summary);
    }
}
