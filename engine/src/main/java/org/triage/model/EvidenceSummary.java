package org.triage.model;

import java.util.Map;

/**
 * The triage result for one evidence item.
 *
 * @param source            the evidence item as given
 * @param files             entries recorded (regular files, links, special files; hard links once per path)
 * @param regularFiles      regular files among them
 * @param bytes             content bytes read and hashed (a hard-linked file once)
 * @param alertFiles        files matching at least one alert set
 * @param alertBySet        alert-matching files per set name
 * @param alertByCategory   alert-matching files per category as stored ("(no category)" when none)
 * @param knownGoodFiles    files found only in known-good sets, set aside
 * @param unreadable        entries that could not be listed or read (plus one for an item that could not be opened,
 *                          one for a failed image verification)
 * @param seconds           wall time spent on this item
 * @param megabytesPerSecond bytes / seconds / 1e6
 * @param priority          see {@link Priority}; {@code reason} says why in words
 * @param severity          highest category severity among alert matches (0 when none)
 * @param rank              1 = look at this first, among the items of this scan
 * @param interrupted       true when the scan stopped before this item was fully read
 * @param error             why the item could not be opened at all, or null
 * @param reason            why it has its priority, in words ("not examined: …", "incomplete: …")
 * @param images            regular files whose signature says picture
 * @param videos            regular files whose signature says video
 * @param extMismatches     pictures and videos whose name's extension is not their own
 * @param image             for a disk image or device: its path, format, size, segments and hashes; else null
 * @param atimePreserved    true when the scan left the access times of the evidence as they were (every
 *                          file opened with O_NOATIME), false when not ({@code atimeNote} says why), null
 *                          when the item was not opened
 * @param atimeNote         why access times moved, or null
 * @param taken             how the item was read (directory, disk image, device or file), or null when it
 *                          could not be opened
 * @param pictures          what the PDQ stage made of the item's pictures; {@link PictureCounts#NONE} when PDQ was off
 * @param partial           why the item was read only in part on purpose, in words ("stopped after the first known
 *                          picture, 3.1% of the item's bytes read": a first-hit scan), or null when it was not;
 *                          {@code interrupted} is then true too
 */
public record EvidenceSummary(String source, long files, long regularFiles, long bytes, long alertFiles,
                              Map<String, Long> alertBySet, Map<String, Long> alertByCategory,
                              long knownGoodFiles, long unreadable, double seconds, double megabytesPerSecond,
                              Priority priority, int severity, int rank, boolean interrupted, String error,
                              String reason, long images, long videos, long extMismatches, ImageInfo image,
                              Boolean atimePreserved, String atimeNote, TakenAs taken, PictureCounts pictures,
                              String partial) {

    public EvidenceSummary {
        if (pictures == null) pictures = PictureCounts.NONE;
    }

    /** A summary of an item read as far as it was meant to be. */
    public EvidenceSummary(String source, long files, long regularFiles, long bytes, long alertFiles,
                           Map<String, Long> alertBySet, Map<String, Long> alertByCategory,
                           long knownGoodFiles, long unreadable, double seconds, double megabytesPerSecond,
                           Priority priority, int severity, int rank, boolean interrupted, String error,
                           String reason, long images, long videos, long extMismatches, ImageInfo image,
                           Boolean atimePreserved, String atimeNote, TakenAs taken, PictureCounts pictures) {
        this(source, files, regularFiles, bytes, alertFiles, alertBySet, alertByCategory, knownGoodFiles, unreadable,
                seconds, megabytesPerSecond, priority, severity, rank, interrupted, error, reason, images, videos,
                extMismatches, image, atimePreserved, atimeNote, taken, pictures, null);
    }

    /** A summary without PDQ counts. */
    public EvidenceSummary(String source, long files, long regularFiles, long bytes, long alertFiles,
                           Map<String, Long> alertBySet, Map<String, Long> alertByCategory,
                           long knownGoodFiles, long unreadable, double seconds, double megabytesPerSecond,
                           Priority priority, int severity, int rank, boolean interrupted, String error,
                           String reason, long images, long videos, long extMismatches, ImageInfo image,
                           Boolean atimePreserved, String atimeNote, TakenAs taken) {
        this(source, files, regularFiles, bytes, alertFiles, alertBySet, alertByCategory, knownGoodFiles, unreadable,
                seconds, megabytesPerSecond, priority, severity, rank, interrupted, error, reason, images, videos,
                extMismatches, image, atimePreserved, atimeNote, taken, PictureCounts.NONE);
    }

    /** A summary without access-time facts (an item not opened). */
    public EvidenceSummary(String source, long files, long regularFiles, long bytes, long alertFiles,
                           Map<String, Long> alertBySet, Map<String, Long> alertByCategory,
                           long knownGoodFiles, long unreadable, double seconds, double megabytesPerSecond,
                           Priority priority, int severity, int rank, boolean interrupted, String error,
                           String reason, long images, long videos, long extMismatches, ImageInfo image) {
        this(source, files, regularFiles, bytes, alertFiles, alertBySet, alertByCategory, knownGoodFiles, unreadable,
                seconds, megabytesPerSecond, priority, severity, rank, interrupted, error, reason, images, videos,
                extMismatches, image, null, null, null);
    }

    /** A summary without image facts (a directory tree). */
    public EvidenceSummary(String source, long files, long regularFiles, long bytes, long alertFiles,
                           Map<String, Long> alertBySet, Map<String, Long> alertByCategory,
                           long knownGoodFiles, long unreadable, double seconds, double megabytesPerSecond,
                           Priority priority, int severity, int rank, boolean interrupted, String error,
                           String reason, long images, long videos, long extMismatches) {
        this(source, files, regularFiles, bytes, alertFiles, alertBySet, alertByCategory, knownGoodFiles, unreadable,
                seconds, megabytesPerSecond, priority, severity, rank, interrupted, error, reason, images, videos,
                extMismatches, null);
    }

    public EvidenceSummary withRank(int newRank) {
        return new EvidenceSummary(source, files, regularFiles, bytes, alertFiles, alertBySet, alertByCategory,
                knownGoodFiles, unreadable, seconds, megabytesPerSecond, priority, severity, newRank,
                interrupted, error, reason, images, videos, extMismatches, image, atimePreserved, atimeNote, taken, pictures, partial);
    }

    /** With the access-time facts of an item that was opened: {@code note} null means preserved. */
    public EvidenceSummary withAtime(String note) {
        return new EvidenceSummary(source, files, regularFiles, bytes, alertFiles, alertBySet, alertByCategory,
                knownGoodFiles, unreadable, seconds, megabytesPerSecond, priority, severity, rank,
                interrupted, error, reason, images, videos, extMismatches, image, note == null, note, taken, pictures, partial);
    }

    /** With how the item was read. */
    public EvidenceSummary withTaken(TakenAs how) {
        return new EvidenceSummary(source, files, regularFiles, bytes, alertFiles, alertBySet, alertByCategory,
                knownGoodFiles, unreadable, seconds, megabytesPerSecond, priority, severity, rank,
                interrupted, error, reason, images, videos, extMismatches, image, atimePreserved, atimeNote, how, pictures, partial);
    }
}
