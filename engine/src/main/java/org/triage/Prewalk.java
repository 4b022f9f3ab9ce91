package org.triage;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.triage.source.Source;
import org.triage.source.Sources;

/**
 * Totals of every evidence item, so progress can show them and an ETA. Directory trees get a quick
 * metadata-only walk on a thread of its own. Disk images and devices are not walked twice: the scan
 * lists an image completely (to read it in disk order) before reading any content, and that
 * listing's totals are added here ({@link #listed}) when the scan reaches the image. It reads no
 * content and never delays the scan: until it is done the totals are simply incomplete. Hard links
 * count once, like the scan's bytes.
 */
public final class Prewalk {
    private final AtomicLong files = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    /** Images whose totals the scan will give; guarded by itself. */
    private final List<String> awaited = new ArrayList<>();
    private volatile boolean walked;
    private volatile boolean cancelled;

    Prewalk(List<String> sources) {
        List<String> trees = new ArrayList<>();
        for (String given : sources) {
            if (isDirectory(given)) trees.add(given);
            else awaited.add(given);
        }
        Thread t = new Thread(() -> run(trees), "triage-prewalk");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    private static boolean isDirectory(String given) {
        try {
            return Files.isDirectory(Path.of(given));
        } catch (InvalidPathException e) {
            return false;
        }
    }

    private void run(List<String> trees) {
        try {
            for (String given : trees) {
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
            walked = true;
        }
    }

    /** Listens for the totals of {@code given} when the scan walks it, if they are awaited from the scan. */
    void watch(String given, Source source) {
        synchronized (awaited) {
            if (!awaited.contains(given)) return;
        }
        source.onListed((entries, contentBytes) -> {
            synchronized (awaited) {
                if (!awaited.remove(given)) return;
            }
            files.addAndGet(entries);
            bytes.addAndGet(contentBytes);
        });
    }

    /** The scan is done with {@code given}: its totals, if they never came (it could not be read), are not awaited any more. */
    void ended(String given) {
        synchronized (awaited) {
            awaited.remove(given);
        }
    }

    /** Entries listed so far (all of them once {@link #done()}). */
    public long files() { return files.get(); }

    /** Content bytes of the regular files listed so far. */
    public long bytes() { return bytes.get(); }

    /** True when the totals are complete. */
    public boolean done() {
        if (!walked) return false;
        synchronized (awaited) {
            return awaited.isEmpty();
        }
    }

    void cancel() { cancelled = true; }
}
