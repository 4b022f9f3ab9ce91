package org.triage.model;

import java.util.List;

/**
 * The outcome for one entry of one evidence item: what it is, its digests, the known-hash sets it
 * is in, or why it could not be read. Never holds content.
 *
 * @param source  the evidence item as the examiner gave it
 * @param path    path relative to the evidence item
 * @param type    what the entry is
 * @param size    bytes hashed for a file that was read, otherwise the size its metadata gives
 * @param digests digests computed ({@link Digests#NONE} when not read)
 * @param matches known-hash sets the file is in (empty when none)
 * @param error   why the entry could not be read, or null
 * @param hardLinkOf for the second and later paths of a hard-linked file, the path that was read; else null
 * @param contentType what a regular file's first bytes say it is; null when not read
 * @param extMismatch true when a recognised picture or video has a name whose extension is not its own
 * @param details filesystem facts where the source knows them, or null
 * @param changedDuringRead for a file that changed while it was read (then also {@code error}), its
 *                          states before and after; else null
 * @param container for an archive member, the chain of archives it was found in, outermost first:
 *                  the archive's path in the evidence item, then each nested archive's path inside
 *                  the one before; {@code path} is then the member's own path inside the last one,
 *                  exactly as the archive names it (data, never a path to open or write). Empty for
 *                  an ordinary file. A disk image found inside the item is a container too: its
 *                  path in the item, then (for an image inside it) that image's path inside it.
 * @param note    what the scan did with the entry instead of, or besides, hashing it, in words, where
 *                that is not plain (a disk image examined as one, a segment read with its image);
 *                null for an ordinary entry. Not an error: an entry with a note and no error was
 *                examined.
 * @param pdq     for a picture when the scan's PDQ stage was on: its perceptual hash, quality and near
 *                matches, or why it has none; null otherwise (PDQ off, not a picture, not read)
 */
public record FileRecord(String source, RawPath path, EntryType type, long size, Digests digests,
                         List<Match> matches, String error, RawPath hardLinkOf, ContentType contentType,
                         boolean extMismatch, EntryDetails details, ContentChange changedDuringRead,
                         List<RawPath> container, String note, PictureHash pdq) {

    public FileRecord {
        container = container == null ? List.of() : List.copyOf(container);
    }

    /** A record without a PDQ result. */
    public FileRecord(String source, RawPath path, EntryType type, long size, Digests digests, List<Match> matches,
                      String error, RawPath hardLinkOf, ContentType contentType, boolean extMismatch,
                      EntryDetails details, ContentChange changedDuringRead, List<RawPath> container, String note) {
        this(source, path, type, size, digests, matches, error, hardLinkOf, contentType, extMismatch, details,
                changedDuringRead, container, note, null);
    }

    /** This record with the picture's PDQ result. */
    public FileRecord withPdq(PictureHash result) {
        return new FileRecord(source, path, type, size, digests, matches, error, hardLinkOf, contentType, extMismatch,
                details, changedDuringRead, container, note, result);
    }

    /**
     * Whether a near match of this picture lies in an alert set and the picture is clear enough for
     * it to count ({@link PictureHash#raisingQuality()}).
     */
    public boolean hasNearAlert() {
        return pdq != null && pdq.hasNearAlert() && pdq.raisingQuality();
    }

    /** A record without a note. */
    public FileRecord(String source, RawPath path, EntryType type, long size, Digests digests, List<Match> matches,
                      String error, RawPath hardLinkOf, ContentType contentType, boolean extMismatch,
                      EntryDetails details, ContentChange changedDuringRead, List<RawPath> container) {
        this(source, path, type, size, digests, matches, error, hardLinkOf, contentType, extMismatch, details,
                changedDuringRead, container, null);
    }

    /** A record of an entry of the evidence item itself (not inside an archive). */
    public FileRecord(String source, RawPath path, EntryType type, long size, Digests digests, List<Match> matches,
                      String error, RawPath hardLinkOf, ContentType contentType, boolean extMismatch,
                      EntryDetails details, ContentChange changedDuringRead) {
        this(source, path, type, size, digests, matches, error, hardLinkOf, contentType, extMismatch, details,
                changedDuringRead, List.of());
    }

    /** A record of an entry that did not change while it was read (or was not read). */
    public FileRecord(String source, RawPath path, EntryType type, long size, Digests digests, List<Match> matches,
                      String error, RawPath hardLinkOf, ContentType contentType, boolean extMismatch,
                      EntryDetails details) {
        this(source, path, type, size, digests, matches, error, hardLinkOf, contentType, extMismatch, details, null);
    }

    /** Whether this is a member of an archive or a file of a disk image found in the item ({@link #container} not empty). */
    public boolean inArchive() {
        return !container.isEmpty();
    }

    /**
     * Whether this record stands for a whole region that could not be examined: the item's image
     * itself, a partition or a filesystem (an unreadable record with an empty path, outside any
     * container), or a disk image found inside the item that could not be examined whole (its record
     * carries the reason). Counted by the priority rule like a partition that could not be read: an
     * image that was not examined must never hide inside a LOW.
     */
    public boolean unexaminedRegion() {
        if (error == null) return false;
        return (path.display().isEmpty() && container.isEmpty()) || contentType == ContentType.DISK_IMAGE;
    }

    /**
     * The full chain for display: each container, then the path, joined by {@code "!/"} (as a
     * jar: URL names a member), e.g. {@code photos.tar.gz!/inner.zip!/a.jpg}. Display only; JSON
     * writes the chain as an array.
     */
    public String chainDisplay() {
        if (container.isEmpty()) return path.display();
        StringBuilder sb = new StringBuilder();
        for (RawPath c : container) sb.append(c.display()).append("!/");
        return sb.append(path.display()).toString();
    }

    /** The report's {@code type}: the content type of a regular file that was read, else the entry type. */
    public String typeLabel() {
        return type == EntryType.FILE && contentType != null ? contentType.label() : type.label();
    }

    public boolean hasAlert() {
        for (Match m : matches) {
            if (m.kind() == SetKind.ALERT) return true;
        }
        return false;
    }

    public boolean isKnownGood() {
        if (matches.isEmpty()) return false;
        for (Match m : matches) {
            if (m.kind() != SetKind.KNOWN_GOOD) return false;
        }
        return true;
    }
}
