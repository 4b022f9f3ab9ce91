package org.triage;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.triage.source.Source;
import org.triage.source.Sources;

/**
 * A quick metadata-only walk of every evidence item, on its own thread, so progress can show
 * totals and an ETA. It reads no content and never delays the scan: until it is done the totals
 * are simply unknown. Hard links count once, like the scan's bytes.
 */
public final class Prewalk {
    private final AtomicLong files = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private volatile boolean done;
    private volatile boolean cancelled;

    Prewalk(List<String> sources) {
        Thread t = new Thread(() -> run(sources), "triage-prewalk");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    private void run(List<String> sources) {
        try {
            for (String given : sources) {
                if (cancelled) return;
                try (Source s = Sources.open(given)) {
                    s.walk(e -> {
                        files.incrementAndGet();
                        if (e.type().hasContent() && e.hardLinkOf() == null && e.error() == null) bytes.addAndGet(e.size());
                        return !cancelled;
                    });
                } catch (Exception | LinkageError e) {
                    // The scan itself reports what cannot be read; totals just stay approximate.
                }
            }
        } finally {
            done = true;
        }
    }

    /** Entries listed so far (all of them once {@link #done()}). */
    public long files() { return files.get(); }

    /** Content bytes of the regular files listed so far. */
    public long bytes() { return bytes.get(); }

    /** True when the totals are complete. */
    public boolean done() { return done; }

    void cancel() { cancelled = true; }
}
