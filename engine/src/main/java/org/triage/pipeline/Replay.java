package org.triage.pipeline;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.triage.model.FileRecord;
import org.triage.model.RawPath;

/**
 * One item's records from an earlier scan, by the path of the item's entry they were found under:
 * a reader that meets such an entry hands these records to the recorder in place of reading it.
 * Each unit is taken once. Thread-safe: the item's readers take from it at once.
 */
public final class Replay {
    private final Map<RawPath, List<FileRecord>> units;
    private final AtomicLong taken = new AtomicLong();

    public Replay(Map<RawPath, List<FileRecord>> units) {
        this.units = new ConcurrentHashMap<>(units);
    }

    /** The records of the entry at {@code path}, removed; null when it must be read. */
    List<FileRecord> take(RawPath path) {
        List<FileRecord> r = units.remove(path);
        if (r != null) taken.addAndGet(r.size());
        return r;
    }

    /** Records handed on so far. */
    public long taken() { return taken.get(); }
}
