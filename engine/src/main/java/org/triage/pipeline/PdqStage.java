package org.triage.pipeline;

import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.triage.model.NearMatch;
import org.triage.natives.LibC;
import org.triage.model.PdqHash;
import org.triage.model.PictureHash;
import org.triage.pdq.PdqDihedralResult;
import org.triage.pdq.PdqHasher;
import org.triage.pdq.PdqResult;
import org.triage.picture.DecodedPicture;
import org.triage.picture.PictureDecoder;
import org.triage.picture.PictureDecoders;
import org.triage.picture.PictureException;
import org.triage.store.HashStore;

/**
 * The PDQ stage: decodes pictures, hashes them with PDQ and asks the store for near matches, on
 * threads of its own, off the ring, so that the crypto part of the scan never waits for it.
 *
 * <pre>
 *  ring --> PictureTap (copies picture bytes, within PictureBudget) --> recorder --submit--> [queue] --> PDQ x N
 *                                                                          ^                             |
 *                                                                          +------- results <------------+
 * </pre>
 *
 * <p>Why copies, and why a second read: a picture must be whole to be decoded, and the ring's pooled
 * chunks go back to the pool as soon as the recorder has passed them; so the tap copies a picture's
 * bytes out while the hashers hash them (a copy costs a memcpy, a decode 50-100 times the hash).
 * The copies wait within a budget in bytes ({@link PictureBudget}). When decoding falls behind and
 * the budget is full, a picture of the evidence item itself is not copied: it is remembered (its
 * listing entry and digest, bounded in number) and read again from the evidence once the item's
 * crypto pass is done ({@link ScanPipeline}), while the progress display counts the pictures left.
 * Reading again was chosen over spilling copies to a temporary file: it writes no evidence content
 * to the examiner's disk, and a file's second read costs about what a spill's write and read would.
 * A re-read picture whose digest differs from the first read's is not hashed (it changed in between).
 *
 * <p>Each content is decoded once per scan: the recorder keys pictures by their strongest digest
 * ({@link PictureLedger}) and hands only the first of each content here.
 *
 * <p>Threading: {@link #submit} from the recorder or the scan thread; results are polled by the
 * recorder. A decoder or the store that throws fails that picture only ({@code pdq_error}).
 */
final class PdqStage implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(PdqStage.class.getName());
    private static final Work STOP = new Work(null, null, 0);

    /** One content to decode: its key, its bytes (the PDQ thread closes them), and the budget it holds. */
    record Work(ByteBuffer key, PictureBytes bytes, long reserved) { }

    /** A content's result, for the recorder. */
    record Done(ByteBuffer key, PictureHash result) { }

    private final PdqSettings settings;
    private final HashStore store;
    private final PictureBudget budget;
    private final ProgressCounters progress;
    private final LinkedBlockingQueue<Work> queue = new LinkedBlockingQueue<>();
    private final ConcurrentLinkedQueue<Done> results = new ConcurrentLinkedQueue<>();
    private final AtomicLong pending = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();
    private final Object idle = new Object();

    PdqStage(PdqSettings settings, HashStore store, PictureBudget budget, ProgressCounters progress) {
        this.settings = settings;
        this.store = store;
        this.budget = budget;
        this.progress = progress;
        for (int i = 0; i < settings.threads(); i++) {
            Thread t = new Thread(this::work, "triage-pdq-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    PdqSettings settings() {
        return settings;
    }

    PictureBudget budget() {
        return budget;
    }

    /** Queues one content; its bytes are already reserved in the budget. Never waits. */
    void submit(Work w) {
        pending.incrementAndGet();
        progress.picturesQueued.incrementAndGet();
        budget.submitted(w.reserved());
        queue.add(w);
    }

    /** Hands a result straight to the recorder (a picture that could not be read again). */
    void post(ByteBuffer key, PictureHash result) {
        progress.picturesQueued.incrementAndGet();
        progress.picturesDone.incrementAndGet();
        results.add(new Done(key, result));
    }

    /** The next result, or null. */
    Done poll() {
        return results.poll();
    }

    /** Whether every content submitted has its result. */
    boolean idle() {
        return pending.get() == 0;
    }

    /** Waits until every content submitted has its result, or {@code millis} have passed. */
    void awaitIdle(long millis) throws InterruptedException {
        synchronized (idle) {
            if (pending.get() > 0) idle.wait(millis);
        }
    }

    /**
     * While an item's crypto pass runs, the stage's threads are in Linux's idle scheduling class:
     * they run only on a core the hashers leave idle (their waits on the disk), and a hasher that
     * wakes takes its core back at once. Decoding costs 50-100 times the hash, and threads of equal
     * weight took half the CPU (the crypto pass of 240 photos took 4.3-4.7 s instead of 1.8-2.6 s).
     * Nice 19 alone was not enough: its weight of 15 against the hashers' 1,024 still let the
     * decoders take 1.0-1.2 CPU-seconds of a 2,000-photo crypto pass on 2 cores (0.3 in the idle
     * class) and a hasher waking behind a decoder waited for the scheduler's granularity. Once the
     * pass is done ({@link #cryptoPass}), the threads go back to the normal class to drain the
     * queue, where the system lets them (root, or RLIMIT_NICE); else they drain in the idle class.
     * Where the idle class is refused, nice 19 is the fallback.
     */
    static final int NICE = 19;

    private final Object scheduling = new Object();
    private final List<SchedulingClass> classes = new ArrayList<>();
    private boolean cryptoRunning = true;

    /**
     * Whether an item's crypto pass is running (the stage's threads yield to it) or done (they
     * drain at full weight). Takes effect at once, on threads in the middle of a picture too.
     */
    void cryptoPass(boolean running) {
        synchronized (scheduling) {
            cryptoRunning = running;
            for (SchedulingClass c : classes) c.yieldToCrypto(running);
        }
    }

    private void work() {
        synchronized (scheduling) {
            SchedulingClass mine = new SchedulingClass();
            classes.add(mine);
            mine.yieldToCrypto(cryptoRunning);
        }
        try (PictureDecoder decoder = PictureDecoders.create()) {
            PdqHasher hasher = new PdqHasher();
            while (true) {
                Work w = queue.take();
                if (w == STOP) return;
                PictureHash result;
                try {
                    result = hash(decoder, hasher, w);
                } catch (RuntimeException | OutOfMemoryError e) {
                    LOG.log(Level.ERROR, "PDQ failed on a picture", e);
                    result = PictureHash.failed("internal error: " + e);
                } finally {
                    w.bytes().close();
                    budget.release(w.reserved(), true);
                }
                progress.picturesDone.incrementAndGet();
                progress.picturesDecoded.incrementAndGet();
                results.add(new Done(w.key(), result));
                if (pending.decrementAndGet() == 0) {
                    synchronized (idle) {
                        idle.notifyAll();
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private PictureHash hash(PictureDecoder decoder, PdqHasher hasher, Work w) {
        DecodedPicture picture;
        try {
            picture = decoder.decode(w.bytes().buffer());
        } catch (PictureException e) {
            return PictureHash.failed(e.getMessage());
        }
        if (!settings.dihedral()) {
            PdqResult r = hasher.hash(picture.pixels());
            return PictureHash.hashed(r.hash(), r.quality(), nearMatches(List.of(r.hash())));
        }
        PdqDihedralResult r = hasher.hashDihedral(picture.pixels());
        PdqHash original = r.hashes().get(0);
        return PictureHash.hashed(original, r.quality(), nearMatches(r.hashes()));
    }

    /**
     * One stage thread's scheduling class, set by its Linux thread id (from whichever thread asks),
     * changed only when asked for another. Guarded by the stage's {@code scheduling} lock.
     */
    private static final class SchedulingClass {
        private final int tid = ownTid();
        private Boolean yielding;
        /** True when the class cannot be changed (no libc binding here, or refused): the thread runs on as it is. */
        private boolean stuck = tid < 0;

        /**
         * The calling thread's id, or -1 where libc cannot be bound: a decoding thread must never
         * die of that, or the pictures it would have taken are never hashed and the item never ends.
         */
        private static int ownTid() {
            try {
                return LibC.gettid();
            } catch (RuntimeException | LinkageError e) {
                LOG.log(Level.DEBUG, "cannot bind gettid: the PDQ threads keep their priority", e);
                return -1;
            }
        }

        void yieldToCrypto(boolean yield) {
            if (stuck || Boolean.valueOf(yield).equals(yielding)) return;
            try {
                if (yield) {
                    if (LibC.sched_setscheduler(tid, LibC.SCHED_IDLE, new int[] {0}) != 0
                            && LibC.setpriority(LibC.PRIO_PROCESS, tid, NICE) != 0) {
                        LOG.log(Level.DEBUG, "cannot lower the PDQ thread's priority: errno " + LibC.errno());
                        stuck = true;
                    }
                } else if (LibC.sched_setscheduler(tid, LibC.SCHED_OTHER, new int[] {0}) != 0) {
                    // Unprivileged, leaving the idle class needs RLIMIT_NICE: the thread drains where it is.
                    LOG.log(Level.DEBUG, "the PDQ thread stays in the idle class: errno " + LibC.errno());
                    stuck = true;
                }
            } catch (RuntimeException | LinkageError e) {
                LOG.log(Level.DEBUG, "cannot change the PDQ thread's priority", e);
                stuck = true;
            }
            yielding = yield;
        }
    }

    /** The store's near matches of every query, each known hash once at its least distance, nearest first. */
    private List<NearMatch> nearMatches(List<PdqHash> queries) {
        if (queries.size() == 1) return store.nearMatches(queries.get(0), settings.maxDistance());
        Map<List<Object>, NearMatch> best = new java.util.LinkedHashMap<>();
        for (PdqHash q : queries) {
            for (NearMatch m : store.nearMatches(q, settings.maxDistance())) {
                best.merge(List.of(m.match(), m.known()), m, (a, b) -> a.distance() <= b.distance() ? a : b);
            }
        }
        List<NearMatch> all = new ArrayList<>(best.values());
        all.sort(java.util.Comparator.comparingInt(NearMatch::distance));
        return all;
    }

    /** Ends the threads once the work queued is done (the scan waited for it) or dropped. */
    @Override
    public void close() {
        for (Work w; (w = queue.poll()) != null; ) {
            if (w != STOP) w.bytes().close();
        }
        for (int i = 0; i < threads.size(); i++) queue.add(STOP);
        for (Thread t : threads) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
