package org.triage.store;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.triage.model.Algorithm;

/**
 * The sink between an alert set's importer and its {@link SpillingSink}: counts the trivial digests
 * ({@link TrivialDigests}) that pass, and unless told to keep them, holds them back. One import,
 * one thread.
 */
final class TrivialFilter implements ImportSink {
    private final ImportSink next;
    private final boolean keep;
    private final TrivialDigests trivial = new TrivialDigests();
    /** What was seen, in order of first sight, and how often. */
    private final Map<String, Long> seen = new LinkedHashMap<>();
    private long count;

    TrivialFilter(ImportSink next, boolean keep) {
        this.next = next;
        this.keep = keep;
    }

    @Override
    public int category(String text) { return next.category(text); }

    @Override
    public void digest(Algorithm a, byte[] digest, int off, int category) throws IOException {
        String what = trivial.match(a, digest, off);
        if (what != null) {
            seen.merge(what, 1L, Long::sum);
            count++;
            if (!keep) return;
        }
        next.digest(a, digest, off, category);
    }

    @Override
    public void pdq(byte[] hash, int off, int category, int quality) throws IOException {
        // No PDQ hash is trivial by its bytes: a blank picture's is refused by its quality, not here.
        next.pdq(hash, off, category, quality);
    }

    @Override
    public void entry(byte[] json) throws IOException { next.entry(json); }

    @Override
    public void read(long n) { next.read(n); }

    @Override
    public void warning(String sentence) { next.warning(sentence); }

    /** Trivial digests seen (repeats included). */
    long count() { return count; }

    /** The sentence for the import's summary, or null when there were none. */
    String summary(String set) {
        if (count == 0) return null;
        String list = String.join(", ", seen.keySet());
        return keep
                ? String.format(Locale.ROOT, "%,d trivial digests kept in alert set '%s' (--keep-trivial): %s; every empty or"
                        + " all-zero file of those sizes will be an alert match", count, set, list)
                : String.format(Locale.ROOT, "%,d trivial digests left out of alert set '%s': %s; they match any empty or"
                        + " all-zero file, not content (--keep-trivial keeps them)", count, set, list);
    }
}
