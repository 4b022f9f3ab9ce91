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
 * metadata-only walk on a thread of its own. A disk image or device is listed completely by the scan
 * itself (to read it in disk order) before any content is read, and that listing's totals are
 * taken ({@link #watch}): the first image is never walked twice. Later images are listed here in
 * advance, so that the ETA covers them before the scan gets there; whichever listing of an image
 * ends first counts, once. Reads no content and never delays the scan: until it is done the totals
 * are simply incomplete. Hard links count once, like the scan's bytes.
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
        List<String> later = awaited.size() > 1 ? List.copyOf(awaited.subList(1, awaited.size())) : List.of();
        Thread t = new Thread(() -> run(trees, later), "triage-prewalk");
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

    private void run(List<String> trees, List<String> laterImages) {
        try {
            for (String given : laterImages) {
                if (cancelled) return;
                if (!isAwaited(given)) continue;
                try (Source s = Sources.open(given)) {
                    boolean[] listed = new boolean[1];
                    s.onListed((entries, contentBytes) -> {
                        listed[0] = true;
                        claim(given, entries, contentBytes);
                    });
                    s.walk(e -> !listed[0] && !cancelled); // the totals come before the listed entries: stop there
                } catch (Exception | LinkageError e) {
                    // The scan itself reports what cannot be read; totals just stay approximate.
                }
            }
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
        source.onListed((entries, contentBytes) -> claim(given, entries, contentBytes));
    }

    private boolean isAwaited(String given) {
        synchronized (awaited) {
            return awaited.contains(given);
        }
    }

    /** Counts an image's totals if no other listing of it has been counted. */
    private void claim(String given, long entries, long contentBytes) {
        synchronized (awaited) {
            if (!awaited.remove(given)) return;
        }
        files.addAndGet(entries);
        bytes.addAndGet(contentBytes);
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
