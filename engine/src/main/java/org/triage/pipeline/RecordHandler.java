package org.triage.pipeline;

import com.lmax.disruptor.EventHandler;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.triage.model.Algorithm;
import org.triage.model.ContentType;
import org.triage.model.Digests;
import org.triage.model.EntryType;
import org.triage.model.FileRecord;
import org.triage.model.Match;
import org.triage.model.RawPath;
import org.triage.model.RecordListener;
import org.triage.model.SourceStats;
import org.triage.source.FileKey;
import org.triage.source.SourceEntry;
import org.triage.store.HashStore;

/**
 * Last stage: turns finished jobs into {@link FileRecord}s for the listener, in ring order, on one
 * thread. Gives each chunk's buffer back to the pool and clears the slot.
 *
 * <p>Hard links: the first path of a multiply-linked file is read; later paths arrive as ENTRY
 * events naming it. With one reader the first path is always recorded first; with several, a later
 * path can overtake it and is parked until it arrives. A file's entry is dropped once all its links
 * have been seen, so memory is bounded by the hard-linked files in flight, not by the drive.
 */
final class RecordHandler implements EventHandler<ChunkEvent> {
    private static final System.Logger LOG = System.getLogger(RecordHandler.class.getName());

    private final Algorithm[] algorithms;
    private final BufferPool pool;
    private final RecordListener listener;
    private final ProgressCounters progress;
    /** When not null, this stage also does the lookups (no separate lookup stage). */
    private final HashStore inlineLookups;

    private final Map<FileKey, Linked> links = new HashMap<>();
    private long runBytes;
    /** Whether the slot being handled has had its record emitted (so a failure after it records nothing twice). */
    private boolean emitted;
    /** Holds pictures' records until their PDQ results are in; null when PDQ is off. */
    private final PictureLedger pictures;

    RecordHandler(Algorithm[] algorithms, BufferPool pool, RecordListener listener, ProgressCounters progress,
                  HashStore inlineLookups, PdqStage pdq, java.util.concurrent.atomic.AtomicLong deferred) {
        this.pictures = pdq == null ? null : new PictureLedger(pdq, algorithms, deferred, this::pictureDone);
        this.inlineLookups = inlineLookups;
        this.algorithms = algorithms.clone();
        this.pool = pool;
        this.listener = listener;
        this.progress = progress;
    }

    /**
     * Per archive (the job of the outermost one), its members' pictures still waiting for PDQ, and
     * its own record once that comes: the archive's own record goes out after every member's, as
     * without PDQ, because a resumed scan ({@link org.triage.Checkpoint}) takes an archive as
     * recorded when its own record is in the listing; a member listed later would be lost to a kill
     * in between. Keyed by the job itself: two archives of one item may share a path (one per
     * partition).
     */
    private final Map<FileJob, ArchiveWait> archives = new java.util.IdentityHashMap<>();
    /** Members whose picture the ledger holds, by their entry (one per member), to their archive's job. */
    private final Map<SourceEntry, FileJob> heldMembers = new java.util.IdentityHashMap<>();

    private static final class ArchiveWait {
        int members;
        FileRecord own;
        SourceEntry entry;
    }

    /** What a hard-linked file's later paths copy from its first one. */
    private static final class Linked {
        FileRecord first;
        long seen;
        final List<SourceEntry> parked = new ArrayList<>(0);
    }

    /**
     * Handles the slot, then clears it. A failure is handled here, while the slot still says what
     * it was: the stage is last, so nothing after it would put a failed file on record, and the
     * Disruptor's exception handler, which runs after the slot is cleared, could not tell which file it was.
     */
    @Override
    public void onEvent(ChunkEvent ev, long sequence, boolean endOfBatch) {
        emitted = false;
        try {
            switch (ev.kind) {
                case ChunkEvent.DATA -> pool.give(ev.buffer);
                case ChunkEvent.END -> onEnd(ev.job);
                case ChunkEvent.ENTRY -> onEntry(ev.job);
                case ChunkEvent.SOURCE_END -> onSourceEnd(ev.run);
                case ChunkEvent.SOURCE_START -> onSourceStart(ev.run);
                case ChunkEvent.PICTURES -> onPictures(ev.run);
                case ChunkEvent.PDQ_RESULTS -> drainPictures();
                default -> { }
            }
        } catch (RuntimeException | Error e) {
            failed(ev, sequence, e);
        } finally {
            // An item's end hands the item back to the scan thread, which writes its end line at
            // once (onEvidenceDone): from then on this stage must not call the listener for it, or
            // the two threads flush the same pending lines twice. finishRun flushed before that.
            boolean handedBack = ev.kind == ChunkEvent.SOURCE_END;
            ev.clear();
            if (endOfBatch && !handedBack) {
                drainPictures();
                safeBatchEnd();
            }
        }
    }

    /**
     * The recorder itself failed on a slot: a file not yet recorded is recorded now with the
     * failure as its error (once: not if its record already went out), and an item's end always
     * reaches the scan thread.
     */
    private void failed(ChunkEvent ev, long sequence, Throwable e) {
        FileJob job = ev.job;
        String where = ev.where();
        LOG.log(Level.ERROR, "record stage failed on " + where + " (sequence " + sequence + ")", e);
        if ((ev.kind == ChunkEvent.END || ev.kind == ChunkEvent.ENTRY) && job != null && !emitted) {
            SourceEntry en = job.entry;
            emit(new FileRecord(job.run.name, en.path(), en.type(), en.size(), Digests.NONE, List.of(),
                    "internal error while recording: " + e, null, null, false, en.details(), null, job.container));
        } else if (ev.kind == ChunkEvent.SOURCE_END && ev.run != null && ev.run.recorded.getCount() > 0) {
            finishRun(ev.run);
        }
    }

    private void onEnd(FileJob job) {
        if (inlineLookups != null) LookupHandler.lookUp(job, algorithms, inlineLookups);
        // Archive members' bytes are not read from the evidence; a folder's disk image's files' are.
        if (job.container.isEmpty() || job.evidenceRead) runBytes += job.bytes;
        boolean hashed = job.error == null && !job.notHashed;
        byte[][] digests = new byte[3][];
        if (hashed) {
            for (int a = 0; a < algorithms.length; a++) digests[algorithms[a].ordinal()] = job.result[a];
        }
        SourceEntry e = job.entry;
        long size = hashed ? job.bytes : e.size();
        ContentType ct = job.error == null ? job.contentType : null;
        FileRecord record = new FileRecord(job.run.name, e.path(), e.type(), size,
                hashed ? Digests.of(digests) : Digests.NONE, hashed ? job.matches : List.of(),
                job.error != null ? job.error : job.damage, null,
                ct, ct != null && ct.mismatches(e.path().fileName()),
                job.runs == null || e.details() == null || !hashed ? e.details() : e.details().withRuns(job.runs),
                job.changed, job.container, job.note);
        if (pictures != null) {
            ArchiveWait w = null;
            if (job.top != null) {
                // Counted before the ledger may emit it at once (a content already PDQ-hashed).
                w = archives.computeIfAbsent(job.top, k -> new ArchiveWait());
                w.members++;
                heldMembers.put(e, job.top);
            }
            if (pictures.take(job, record, hashed)) return;
            if (w != null) {
                w.members--;
                heldMembers.remove(e);
            }
        }
        if (job.leftForLater) return; // read in part before a first-hit stop: a later run reads it whole
        if (pictures != null) {
            ArchiveWait w = archives.get(job);
            if (w != null && w.members > 0) {
                w.own = record;
                w.entry = e;
                return;
            }
            archives.remove(job);
        }
        complete(record, e);
    }

    /** A picture's record whose PDQ is in; the last member of an archive lets the archive's own record go. */
    private void pictureDone(FileRecord record, SourceEntry e) {
        complete(record, e);
        FileJob key = heldMembers.remove(e);
        if (key == null) return;
        ArchiveWait w = archives.get(key);
        if (w == null) return;
        w.members--;
        if (w.members <= 0 && w.own != null) {
            archives.remove(key);
            complete(w.own, w.entry);
        }
    }

    /** Archives whose own record still waits at the end of an item (their members' pictures never came): out now. */
    private void flushArchives() {
        for (ArchiveWait w : archives.values()) {
            if (w.own != null) complete(w.own, w.entry);
        }
        archives.clear();
        heldMembers.clear();
    }

    /** Emits a file's record and lets the later paths of a hard-linked file follow it. */
    private void complete(FileRecord record, SourceEntry e) {
        emit(record);
        if (e.linkCount() > 1 && e.key() != null) {
            Linked l = links.computeIfAbsent(e.key(), k -> new Linked());
            l.first = record;
            l.seen++;
            for (SourceEntry later : l.parked) emitLink(record, later);
            l.parked.clear();
            if (l.seen >= e.linkCount()) links.remove(e.key());
        }
    }

    private void onEntry(FileJob job) {
        SourceEntry e = job.entry;
        if (job.replayed != null) {
            onReplayed(job);
            return;
        }
        if (e.hardLinkOf() != null && e.key() != null && job.error == null) {
            Linked l = links.computeIfAbsent(e.key(), k -> new Linked());
            if (l.first == null) {
                l.parked.add(e);
                return;
            }
            emitLink(l.first, e);
            if (l.seen >= e.linkCount()) links.remove(e.key());
            return;
        }
        String error = job.error != null ? job.error : e.error();
        emit(new FileRecord(job.run.name, e.path(), e.type(), e.size(), Digests.NONE, List.of(), error, null,
                null, false, e.details(), null, job.container, job.note));
    }

    /**
     * An entry an earlier scan recorded ({@link Replay}): its records go out as they were, its
     * bytes count as read (they were, by that scan), and a hard-linked file stands as the first
     * path for its later ones, as if it had been read here.
     */
    private void onReplayed(FileJob job) {
        SourceEntry e = job.entry;
        FileRecord own = null;
        for (FileRecord r : job.replayed) {
            emit(r);
            if (r.container().isEmpty() && r.path().equals(e.path())) own = r;
        }
        if (own == null) return;
        if (own.type() == EntryType.FILE && own.hardLinkOf() == null) runBytes += own.size();
        if (e.linkCount() > 1 && e.key() != null) {
            Linked l = links.computeIfAbsent(e.key(), k -> new Linked());
            l.seen++;
            if (e.hardLinkOf() == null) {
                l.first = own;
                for (SourceEntry later : l.parked) emitLink(own, later);
                l.parked.clear();
            }
            if (l.seen >= e.linkCount()) links.remove(e.key());
        }
    }

    private void emitLink(FileRecord first, SourceEntry later) {
        Linked l = links.get(later.key());
        if (l != null) l.seen++;
        ContentType ct = first.contentType();
        emit(new FileRecord(first.source(), later.path(), EntryType.FILE, first.size(), first.digests(),
                first.matches(), first.error(), first.path(), ct, ct != null && ct.mismatches(later.path().fileName()),
                later.details(), null, List.of(), null, first.pdq()));
    }

    private void onSourceStart(SourceRun run) {
        runBytes = 0;
        try {
            listener.onSourceStart(run.name);
        } catch (RuntimeException | Error e) {
            LOG.log(Level.ERROR, "record listener failed at the start of " + run.name, e);
        }
    }

    /** The scan thread asks for the pictures to read again: everything before this event has been recorded. */
    private void onPictures(SourceRun run) {
        try {
            if (pictures != null) {
                drainPictures();
                run.deferred = pictures.takeDeferred();
            }
        } finally {
            run.picturesListed.countDown();
        }
    }

    private void drainPictures() {
        if (pictures == null) return;
        try {
            pictures.drain();
        } catch (RuntimeException | Error e) {
            LOG.log(Level.ERROR, "recording PDQ results failed", e);
        }
    }

    private void onSourceEnd(SourceRun run) {
        try {
            if (pictures != null) pictures.finish("not PDQ-hashed: the scan was stopped first");
        } catch (RuntimeException | Error e) {
            LOG.log(Level.ERROR, "recording the last PDQ results of " + run.name + " failed", e);
        }
        try {
            flushArchives();
        } catch (RuntimeException | Error e) {
            LOG.log(Level.ERROR, "recording the last archives of " + run.name + " failed", e);
            archives.clear();
        }
        try {
            flushParked(run);
        } catch (RuntimeException | Error e) {
            LOG.log(Level.ERROR, "recording the last hard links of " + run.name + " failed", e);
            links.clear();
        }
        finishRun(run);
    }

    private void flushParked(SourceRun run) {
        // A later path whose first path never arrived (it vanished, or the scan stopped): say so.
        for (Map.Entry<FileKey, Linked> it : links.entrySet()) {
            Linked l = it.getValue();
            for (SourceEntry e : l.parked) {
                emit(new FileRecord(run.name, e.path(), e.type(), e.size(), Digests.NONE, List.<Match>of(),
                        "hard link to " + e.hardLinkOf().display() + " which was not read", e.hardLinkOf(),
                        null, false, e.details()));
            }
        }
        links.clear();
    }

    /**
     * Ends the item: flushes the listener (the item's last records may have come in this batch:
     * pictures whose PDQ came last), says the item's end, then hands the item back to the scan
     * thread. {@link RecordListener#onSourceEnd} is this stage's last call for the item.
     */
    private void finishRun(SourceRun run) {
        SourceStats stats = new SourceStats(run.name, run.startedAt, Instant.now(), runBytes, run.interrupted, run.error);
        runBytes = 0;
        run.stats = stats;
        safeBatchEnd();
        try {
            listener.onSourceEnd(stats);
        } catch (RuntimeException | Error e) {
            LOG.log(Level.ERROR, "record listener failed at the end of " + run.name, e);
        } finally {
            run.recorded.countDown();
        }
    }

    /**
     * Hands one record to the listener. Whatever the listener throws, even an Error, is its own
     * failure: logged, and the scan goes on (the record was offered once; it is never offered again).
     */
    private void emit(FileRecord record) {
        emitted = true;
        progress.files.incrementAndGet();
        if (record.hasAlert() || record.hasNearAlert()) progress.alerts.incrementAndGet();
        if (record.error() != null) progress.errors.incrementAndGet();
        try {
            listener.onRecord(record);
        } catch (RuntimeException | Error e) {
            LOG.log(Level.ERROR, "record listener failed on " + record.path().display(), e);
        }
    }

    private void safeBatchEnd() {
        try {
            listener.onBatchEnd();
        } catch (RuntimeException | Error e) {
            LOG.log(Level.ERROR, "record listener failed to flush", e);
        }
    }

}
