package org.triage.source;

import java.io.IOException;
import org.triage.model.ImageInfo;
import org.triage.model.TakenAs;

/**
 * An evidence item seen through one share of its entries ({@code org.triage.EntryShare}: this
 * package cannot name the API's types, so the share is its two numbers): its walk delivers only the share's entries,
 * so the pipeline neither reads nor records the others; everything else is the item's own.
 *
 * <p>The cut is made from what the walk delivers, nothing else, so every machine that walks the
 * same item cuts it the same way. Once the source has told its totals (a disk image lists everything
 * first, in disk order), an entry's position is the weight of the entries before it, its own weight
 * being its content bytes plus {@value #ENTRY_WEIGHT} (a file costs an open and a seek besides its
 * bytes), and the share whose slice of the total holds that position takes it; the last share takes
 * anything past the total (a sparse file weighs more here than in the total). Before totals (a
 * directory tree never tells them; an image's unreadable regions come first) an entry goes by a
 * hash of its path. Threading as {@link Source}.
 */
public final class SharedSource implements Source {
    static final long ENTRY_WEIGHT = 4096;

    private final Source inner;
    private final int part;
    private final int parts;
    private volatile ListedTotals outer;

    /** Share {@code part} (0-based) of {@code parts}, validated by the caller. */
    public SharedSource(Source inner, int part, int parts) {
        this.inner = inner;
        this.part = part;
        this.parts = parts;
    }

    /** The item itself, under any share: what the pipeline asks about the item's kind (a folder's images). */
    public static Source item(Source s) {
        return s instanceof SharedSource shared ? shared.inner : s;
    }

    @Override
    public String name() { return inner.name(); }

    @Override
    public void onListed(ListedTotals listener) {
        this.outer = listener;
    }

    @Override
    public void walk(EntryVisitor visitor) throws IOException {
        long[] total = {-1};
        long[] at = {0};
        inner.onListed((entries, bytes) -> {
            total[0] = Math.max(1, bytes + entries * ENTRY_WEIGHT);
            ListedTotals o = outer;
            // About this share's part, for a progress display: the exact counts are known only as it is walked.
            if (o != null) o.listed(Math.max(1, entries / parts), bytes / parts);
        });
        inner.walk(e -> {
            int owner;
            if (total[0] < 0) {
                owner = byPath(e);
            } else {
                owner = (int) Math.min(parts - 1, (long) ((double) at[0] / total[0] * parts));
                at[0] += weight(e);
            }
            return owner != part || visitor.visit(e);
        });
    }

    /** As the pipeline counts content: a readable file's bytes, read once for all its hard links. */
    private static long weight(SourceEntry e) {
        boolean content = e.type() != null && e.type().hasContent() && e.hardLinkOf() == null && e.error() == null;
        return ENTRY_WEIGHT + (content ? e.size() : 0);
    }

    /** The same on every JVM: the path's bytes, mixed (a path's hash code alone clusters by name). */
    private int byPath(SourceEntry e) {
        if (e.path() == null) return 0;
        long h = e.path().hashCode() * 0x9E3779B97F4A7C15L;
        return (int) Math.floorMod(h ^ (h >>> 32), (long) parts);
    }

    @Override
    public ContentReader open(SourceEntry entry) throws IOException { return inner.open(entry); }

    @Override
    public ImageInfo image() { return inner.image(); }

    @Override
    public TakenAs taken() { return inner.taken(); }

    @Override
    public String atimeNote() { return inner.atimeNote(); }

    @Override
    public void stop() { inner.stop(); }

    @Override
    public void close() { inner.close(); }
}
