package org.triage.pipeline;

import java.util.List;
import org.triage.hash.ChunkDigest;
import org.triage.model.ContentType;
import org.triage.model.Match;
import org.triage.source.SourceEntry;

/**
 * One entry on its way through the ring: created by a reader (one object per file, never per
 * chunk), filled in by the stages in ring order. Each (file, algorithm) pair has exactly one
 * owning hasher, so a digest is only ever touched by one thread; the ring's sequence barriers
 * publish what one stage wrote to the next.
 */
final class FileJob {
    final long id;
    final SourceRun run;
    final SourceEntry entry;

    /** Digests in progress, by index into the scan's algorithm list; owned by one hasher each. */
    final ChunkDigest[] inProgress;
    /** The hasher that computes each digest, by algorithm index; set by the reader ({@link HashBalancer}). */
    final int[] owner;
    /** Work assigned and not yet done, by algorithm index; written by the reader, then by the owner only. */
    final long[] work;
    /** Finished digests, by index into the scan's algorithm list. */
    final byte[][] result;

    /** Written by the reader before END is published. */
    long bytes;
    String error;
    /** Set by the reader when the file changed while it was read (then {@link #error} says so too). */
    org.triage.model.ContentChange changed;
    /**
     * Written by the reader with END: the content was read whole but is known not to be what was
     * acquired (a failed EWF chunk). Unlike {@link #error} it keeps the digests and the look-up; the
     * record carries it as its error, so the file counts as unreadable.
     */
    String damage;
    /**
     * Written by the reader with END: cut short because its item was stopped early on purpose
     * ({@link SourceRun#stoppedEarly}); not recorded, like the entries never started, so that a
     * later run reads it whole (an unreadable record would count against the item).
     */
    boolean leftForLater;
    /**
     * Written by the reader with END, for a file of the item's own disk image read without error:
     * where its content lies in the image; null otherwise (a file of an image found in the item has
     * offsets in that image, not in the evidence, so none).
     */
    org.triage.model.ByteRuns runs;
    /** Told from the first chunk by the reader (OTHER for an empty file); null when not read. */
    ContentType contentType;

    /** For an archive member, the archives it is in, outermost first ({@link ArchiveExpansion}); else empty. */
    List<org.triage.model.RawPath> container = List.of();
    /**
     * For an archive member, the job of the outermost archive it came from, whose own record the
     * recorder delivers after every member's ({@link RecordHandler}); else null.
     */
    FileJob top;
    /**
     * For a file of a disk image found in a folder: its bytes are read from the evidence itself,
     * though it has a container ({@link ImageExpansion}), so they count as the item's bytes read.
     */
    boolean evidenceRead;
    /** Taken as a disk image (or a segment of one) by its path, at its first chunk: never hashed as a file. */
    boolean notHashed;
    /** Hashed as a file, then opened as a raw image through its reader at its end ({@link ImageExpansion}). */
    boolean expandAtEnd;
    /** Why a disk image was not examined (whole), for its record's error; its digests stand. Null: none. */
    String imageProblem;
    /** The record's note ({@link org.triage.model.FileRecord#note()}), or null. */
    String note;
    /** What archive format the reader told from the first chunk, or null. */
    org.triage.archive.ArchiveFormat archive;

    /** What the PDQ stage does with the file ({@link PictureTap}): one of the PICTURE_ states. */
    static final byte PICTURE_UNDECIDED = 0;
    static final byte PICTURE_NONE = 1;
    static final byte PICTURE_COPYING = 2;
    static final byte PICTURE_DEFERRED = 3;
    static final byte PICTURE_TOO_LARGE = 4;
    /** Written by the tap only; read by the recorder after it. */
    byte pictureState;
    /** The picture's bytes copied so far, or null; closed by whoever drops it. */
    PictureBytes picture;
    /** Bytes of the {@link PictureBudget} this file holds. */
    long pictureReserved;
    /** Why the picture is not decoded (too large), or null. */
    String pictureError;
    /** Records an earlier scan made of this entry, recorded instead of reading it ({@link Replay}); else null. */
    List<org.triage.model.FileRecord> replayed;

    /** Written by the lookup stage. */
    List<Match> matches = List.of();

    /**
     * Marks the file failed unless it already is (the first reason stands). Called by whichever
     * stage failed, before that stage publishes its progress, so that the stages after it see it.
     */
    void fail(String why) {
        if (error == null) error = why;
    }

    /** "internal error: " and what was thrown, for a stage's own failure on this file. */
    static String internalError(Throwable t) {
        return "internal error: " + t;
    }

    FileJob(long id, SourceRun run, SourceEntry entry, int algorithms) {
        this.id = id;
        this.run = run;
        this.entry = entry;
        this.inProgress = new ChunkDigest[algorithms];
        this.owner = new int[algorithms];
        this.work = new long[algorithms];
        this.result = new byte[algorithms][];
    }
}
