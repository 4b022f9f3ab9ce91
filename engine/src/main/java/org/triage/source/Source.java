package org.triage.source;

import java.io.IOException;

/**
 * One evidence item: lists its entries and opens their content, read-only, always.
 *
 * <p>Threading: {@link #walk} runs on one thread; {@link #open} may be called from several reader
 * threads at once, each reader owning the {@link ContentReader} it opened.
 */
public interface Source extends AutoCloseable {

    /** The evidence item as the examiner named it (the argument as given). */
    String name();

    /**
     * Streams every entry to the visitor on the calling thread, depth first. Entries that cannot be
     * listed (an unreadable directory, a name that cannot be stat'ed) are delivered with
     * {@link SourceEntry#error()} set, never skipped. Returns early when the visitor returns false.
     *
     * @throws IOException only when the evidence item itself cannot be opened
     */
    void walk(EntryVisitor visitor) throws IOException;

    /**
     * Opens a regular file's content for reading, read-only.
     *
     * @throws IOException with a message that says why (vanished, permission, not a regular file any more)
     */
    ContentReader open(SourceEntry entry) throws IOException;

    /** Told how many entries a walk will deliver and how many content bytes they hold. */
    @FunctionalInterface
    interface ListedTotals {
        void listed(long entries, long contentBytes);
    }

    /**
     * Asks to be told the totals of the next {@link #walk}, on the walking thread, once the source
     * knows them and before it delivers the entries. Only sources that list everything before
     * delivering (disk images, which sort by disk position) can; a directory tree streams its
     * listing and never calls back. Progress uses it instead of a second metadata walk.
     */
    default void onListed(ListedTotals listener) {
    }

    /**
     * Asks the next {@link #walk} to deliver the likely pictures and videos ({@link LikelyPictures})
     * before every other entry, each group in the source's own order (disk order for an image, walk
     * order for a tree), so that a scan that stops at its first match stops early. Every entry is
     * still delivered once. A source that cannot reorder ignores it. Call before the walk.
     */
    default void picturesFirst(boolean on) {
    }

    /**
     * Facts about the disk image or device behind this source, for the report, or null for a
     * directory tree. Call after {@link #walk} returned; may wait for a verification pass.
     */
    default org.triage.model.ImageInfo image() { return null; }

    /**
     * How this item is read: as a directory tree, a disk image, a device or one file; for the report.
     * Null when the source does not say (a test's own source).
     */
    default org.triage.model.TakenAs taken() { return null; }

    /**
     * Why reading this item moved access times of the evidence, or null when it did not (every
     * file was opened with O_NOATIME). Call after {@link #walk} and the reads.
     */
    default String atimeNote() { return null; }

    /**
     * Asks work the source does in the background (an image's --verify pass) to stop soon, so that
     * {@link #image()} returns with what it got so far. Any thread; returns at once; the source
     * stays usable.
     */
    default void stop() {
    }

    /** Releases the source; idempotent (a second call does nothing). */
    @Override
    void close();
}
