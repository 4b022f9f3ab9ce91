package org.triage;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.triage.source.Source;
import org.triage.source.Sources;

/**
 * Totals of every evidence item, so progress can show them and an ETA, taken wherever they are
 * cheapest. The item being scanned is listed by the scan itself: a disk image or device completely,
 * before any content is read (its listing's totals are taken, {@link #walked}); a directory tree as
 * it is read, and when its walk ends before the readers catch up (a tree of up to 65,536 entries,
 * the listing queue), the walk's own counts are the totals ({@link #walked}). Only a tree larger
 * than that gets a second, metadata-only walk here ({@link #blocked}), as every tree did before:
 * that walk read every directory and stat'ed every entry a second time, a cost every interactive
 * scan paid and {@code triage bench}, run with --quiet, never showed. Items still to come are
 * listed here in advance, on a thread of their own, so that the ETA covers them before the scan
 * gets there. Whichever listing of an item ends first counts, once. Reads no content and never
 * delays the scan: until all totals are in, {@link #done()} is false. Hard links count once, like
 * the scan's bytes.
 */
final class Prewalk {
    private final AtomicLong files = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    /** Items whose totals have not been counted yet; guarded by itself. */
    private final List<String> awaited = new ArrayList<>();
    private final List<String> trees = new ArrayList<>();
    /** Metadata-only walks of directory trees made here: the cost the scan's own listing saves. */
    private final AtomicInteger treeWalks = new AtomicInteger();
    private volatile boolean cancelled;

    Prewalk(List<String> sources) {
        for (String given : sources) {
            awaited.add(given);
            if (isDirectory(given)) trees.add(given);
        }
        // The first item is being listed by the scan right now; the others are listed here in advance.
        List<String> later = sources.size() > 1 ? List.copyOf(sources.subList(1, sources.size())) : List.of();
        if (!later.isEmpty()) start(later);
    }

    private void start(List<String> items) {
        Thread t = new Thread(() -> run(items), "triage-prewalk");
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

    private void run(List<String> items) {
        for (String given : items) {
            if (cancelled) return;
            if (!isAwaited(given)) continue;
            try (Source s = Sources.open(given)) {
                if (trees.contains(given)) countTree(given, s);
                else countImage(given, s);
            } catch (Exception | LinkageError e) {
                // The scan itself reports what cannot be read; totals just stay approximate.
            }
        }
    }

    private void countImage(String given, Source s) throws Exception {
        boolean[] listed = new boolean[1];
        s.onListed((entries, contentBytes) -> {
            listed[0] = true;
            claim(given, entries, contentBytes);
        });
        s.walk(e -> !listed[0] && !cancelled); // the totals come before the listed entries: stop there
    }

    private void countTree(String given, Source s) throws Exception {
        treeWalks.incrementAndGet();
        long[] t = new long[2];
        boolean[] stoppedEarly = new boolean[1];
        s.walk(e -> {
            t[0]++;
            if (e.type().hasContent() && e.hardLinkOf() == null && e.error() == null) t[1] += e.size();
            // Stop as soon as the scan's own listing has counted the tree, or the scan is over.
            boolean go = !cancelled && isAwaited(given);
            stoppedEarly[0] = !go;
            return go;
        });
        if (!stoppedEarly[0]) claim(given, t[0], t[1]);
    }

    /**
     * The scan's own listing of {@code given} counted it (an image before it delivers, a tree when
     * its walk ended complete): its counts are the totals, if none came first.
     */
    void walked(String given, long entries, long contentBytes) {
        claim(given, entries, contentBytes);
    }

    /**
     * The scan's walk of {@code given} is a full queue ahead of its readers, so its counts will come
     * late: a directory tree is then counted here, on a thread of its own, as before.
     */
    void blocked(String given) {
        if (cancelled || !trees.contains(given) || !isAwaited(given)) return;
        start(List.of(given));
    }

    private boolean isAwaited(String given) {
        synchronized (awaited) {
            return awaited.contains(given);
        }
    }

    /** Counts an item's totals if no other listing of it has been counted. */
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

    /** Entries of the items counted so far (all of them once {@link #done()}). */
    long files() { return files.get(); }

    /** Content bytes of the regular files of the items counted so far. */
    long bytes() { return bytes.get(); }

    /** True when the totals are complete. */
    boolean done() {
        synchronized (awaited) {
            return awaited.isEmpty();
        }
    }

    /** How many directory trees were walked a second time, metadata only, for their totals. */
    int treeWalks() { return treeWalks.get(); }

    void cancel() { cancelled = true; }
}
