package org.triage.pipeline;

import java.util.concurrent.atomic.AtomicLong;
import org.triage.model.ContentType;

/**
 * A ring stage beside the hashers: copies each picture's bytes out of the pooled chunks into one
 * array per picture, for the PDQ stage (a picture must be whole to be decoded, and the chunks go
 * back to the pool as soon as the recorder has passed them). Only files whose signature says
 * picture are copied, under {@link PictureBudget}.
 *
 * <p>When the budget is full, a file of the evidence item itself is not copied but marked to be
 * read again after the item's crypto pass ({@link FileJob#picture} stays null, {@code deferred} is
 * set), so the hashers never wait for the decoders. An archive member or a file of a disk image
 * found in the item cannot be read again without expanding its container again: for those the tap
 * waits for room (the one case where PDQ can slow the crypto part down; see {@link PictureBudget#reserve}).
 * The remembered files are bounded ({@link PdqSettings#maxDeferred()}); past that, files wait for room too.
 *
 * <p>Threading: one tap, on its own stage thread; what it writes to a job the recorder reads after
 * it, in ring order.
 */
final class PictureTap extends SignallingStage {
    private final PdqSettings settings;
    private final PictureBudget budget;
    private final AtomicLong deferred;

    PictureTap(PdqSettings settings, PictureBudget budget, AtomicLong deferred, StageSignal signal) {
        super(signal);
        this.settings = settings;
        this.budget = budget;
        this.deferred = deferred;
    }

    /** Whether the PDQ stage takes files of this content type. */
    static boolean isPicture(ContentType type) {
        return type != null && type.media() == ContentType.Media.IMAGE;
    }

    @Override
    void handle(ChunkEvent ev) {
        if (ev.kind != ChunkEvent.DATA) return;
        FileJob job = ev.job;
        if (job.pictureState == FileJob.PICTURE_UNDECIDED) decide(job);
        if (job.pictureState != FileJob.PICTURE_COPYING || job.error != null) return;
        int n = ev.length;
        long after = (job.picture == null ? 0 : job.picture.length()) + n;
        if (after > settings.maxPicture()) {
            tooLarge(job, after);
            return;
        }
        if (!reserve(job, n)) return;
        if (job.picture == null) job.picture = new PictureBytes(Math.max(after, Math.min(job.entry.size(), settings.maxPicture())));
        job.picture.append(ev.buffer, n);
    }

    private void decide(FileJob job) {
        if (!isPicture(job.contentType)) {
            job.pictureState = FileJob.PICTURE_NONE;
            return;
        }
        long size = job.entry.size();
        if (size > settings.maxPicture()) {
            tooLarge(job, size);
            return;
        }
        job.pictureState = FileJob.PICTURE_COPYING;
    }

    /** Reserves a chunk's bytes, or turns the picture into one read again later; false when not copying on. */
    private boolean reserve(FileJob job, int n) {
        if (budget.tryReserve(n)) {
            job.pictureReserved += n;
            return true;
        }
        boolean rereadable = job.container.isEmpty() && !job.evidenceRead;
        if (rereadable && deferred.incrementAndGet() <= settings.maxDeferred()) {
            dropCopy(job);
            job.pictureState = FileJob.PICTURE_DEFERRED;
            return false;
        }
        if (rereadable) deferred.decrementAndGet();
        try {
            budget.reserve(n);
        } catch (InterruptedException e) {
            // The scan is being stopped: the file is marked unfinished by its reader; no picture for it.
            Thread.currentThread().interrupt();
            dropCopy(job);
            job.pictureState = FileJob.PICTURE_NONE;
            return false;
        }
        job.pictureReserved += n;
        return true;
    }

    private void tooLarge(FileJob job, long size) {
        dropCopy(job);
        job.pictureState = FileJob.PICTURE_TOO_LARGE;
        job.pictureError = "not decoded: " + size + " bytes is over the limit of " + settings.maxPicture() + " for a picture";
    }

    private void dropCopy(FileJob job) {
        if (job.pictureReserved > 0) budget.release(job.pictureReserved, false);
        job.pictureReserved = 0;
        if (job.picture != null) job.picture.close();
        job.picture = null;
    }
}
