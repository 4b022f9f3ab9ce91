package org.triage.pipeline;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Live counters for progress displays; bytes are written by the readers as they read, the rest by
 * the recording stage; read by anyone.
 */
public final class ProgressCounters {
    final AtomicLong files = new AtomicLong();
    final AtomicLong bytes = new AtomicLong();
    final AtomicLong alerts = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    final AtomicLong members = new AtomicLong();
    final AtomicLong expanded = new AtomicLong();
    final AtomicLong images = new AtomicLong();
    final AtomicLong imageEntries = new AtomicLong();

    final AtomicLong picturesQueued = new AtomicLong();
    final AtomicLong picturesDone = new AtomicLong();
    final AtomicLong picturesDecoded = new AtomicLong();

    /** Pictures handed to the PDQ stage so far (distinct contents, queued or remembered for a second read). */
    public long picturesQueued() { return picturesQueued.get(); }

    /** Of those, pictures with a PDQ result so far. */
    public long picturesDone() { return picturesDone.get(); }

    /** Pictures decoded so far: one per distinct content. */
    public long picturesDecoded() { return picturesDecoded.get(); }

    /** Entries recorded so far. */
    public long files() { return files.get(); }

    /** Content bytes read so far, counted chunk by chunk (a big file shows before it ends). */
    public long bytes() { return bytes.get(); }

    /** Files matching an alert set so far. */
    public long alerts() { return alerts.get(); }

    /** Archive members found so far (each is also counted in {@link #files()} once recorded). */
    public long members() { return members.get(); }

    /** Bytes decompressed out of archives so far (not in {@link #bytes()}, which counts the evidence read). */
    public long expandedBytes() { return expanded.get(); }

    /** Disk images found inside the evidence items and opened as images so far ({@link ImageExpansion}). */
    public long images() { return images.get(); }

    /** Entries found in those images so far (each also counted in {@link #files()} once recorded). */
    public long imageEntries() { return imageEntries.get(); }

    /** Entries that could not be read so far. */
    public long errors() { return errors.get(); }
}
