package org.triage.source;

import com.sun.jna.Memory;
import java.util.HexFormat;
import org.triage.model.Algorithm;

/**
 * Hashes a whole image's media (MD5 and SHA-1, in one pass) on a thread of its own while the scan
 * reads the files: for EWF the decoded media, which is what the acquisition hash covers, for raw
 * and split raw the concatenated bytes. Reads go through libtsk's image layer, which serialises
 * them with the file reads; for EWF that layer reads through {@link EwfImage}, so the hash is the
 * one ewfverify computes and every chunk that fails its checksum is found on the way.
 *
 * <p>Owned by its {@link TskImageSource}; {@link #start} once, {@link #await} from any thread,
 * {@link #cancel} before the image is closed.
 */
final class ImageVerifier {
    private static final int CHUNK = 1 << 20;
    private static final int ALIGN = 4096;

    /** The outcome: both digests, or the error that stopped the pass. */
    record Result(String md5, String sha1, String error) {
    }

    private final String name;
    private final Tsk.Image image;
    /** Undoes what it changed in libtsk's view of the media, or null: the hash is of the evidence's bytes. */
    private final ExtInodeGuard guard;
    private final MediaDigest.Factory digests;
    private final Thread thread;
    private volatile boolean cancelled;
    private volatile Result result;

    /** @param digests makes the MD5 and SHA-1 digests (the caller's choice of implementation) */
    ImageVerifier(String name, Tsk.Image image, ExtInodeGuard guard, MediaDigest.Factory digests) {
        this.name = name;
        this.image = image;
        this.guard = guard;
        this.digests = java.util.Objects.requireNonNull(digests, "digests");
        this.thread = new Thread(this::run, "triage-verify");
        thread.setDaemon(true);
    }

    void start() {
        if (thread.getState() == Thread.State.NEW) thread.start();
    }

    /** Waits for the pass to end; a pass never started is started now. */
    Result await() {
        start();
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
                cancel();
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
        return result;
    }

    /** Asks the pass to stop after the read under way; returns at once (any thread). */
    void stop() {
        cancelled = true;
    }

    /** Stops the pass and waits for it, so that the image can be closed. */
    void cancel() {
        cancelled = true;
        if (thread.getState() == Thread.State.NEW) {
            result = new Result(null, null, "verification not run");
            return;
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        try {
            MediaDigest md5 = digests.create(Algorithm.MD5);
            MediaDigest sha1 = digests.create(Algorithm.SHA1);
            long size = image.size();
            // Page-aligned: the kernel copies into a buffer misaligned by malloc's 16 bytes about five
            // times slower (measured: 2 GiB from the page cache, 0.85 s of system time against 0.18 s).
            Memory mem = new Memory(CHUNK + ALIGN).align(ALIGN);
            long offset = 0;
            while (offset < size) {
                if (cancelled) {
                    result = new Result(null, null, name + ": verification interrupted after " + offset + " of " + size
                            + " bytes (" + percent(offset, size) + "): no media hash");
                    return;
                }
                int want = (int) Math.min(CHUNK, size - offset);
                long n = image.read(offset, mem, want);
                if (n <= 0) {
                    String why = n < 0 ? Tsk.error() : "no data";
                    result = new Result(null, null, name + ": verification read failed at image offset " + offset + ": " + why);
                    return;
                }
                if (guard != null) guard.restore(offset, mem, n);
                md5.update(mem.getByteBuffer(0, n));
                sha1.update(mem.getByteBuffer(0, n));
                offset += n;
            }
            HexFormat hex = HexFormat.of();
            result = new Result(hex.formatHex(md5.finish()), hex.formatHex(sha1.finish()), null);
        } catch (RuntimeException e) {
            result = new Result(null, null, name + ": verification failed: " + e);
        }
    }

    /** "37%", or "99.9%" rather than a rounded "100%" for a pass that did not finish. */
    private static String percent(long done, long size) {
        if (size <= 0) return "0%";
        double p = 100.0 * done / size;
        return p >= 99.9 ? "99.9%" : p < 1 && done > 0 ? String.format(java.util.Locale.ROOT, "%.2f%%", p)
                : String.format(java.util.Locale.ROOT, "%.0f%%", Math.floor(p));
    }
}
