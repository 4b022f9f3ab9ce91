package org.triage.pipeline;

/**
 * The PDQ stage's queue, bounded in bytes: every picture byte copied out of the ring or read again
 * is reserved here first and released once the picture is decoded (or dropped). Bytes are split by
 * where they are: {@code atWorkers} (submitted, released by the decoding threads without the ring's
 * help) and the rest (copied by the tap, released by the recorder once it reaches the file).
 *
 * <p>Threading: any thread; a monitor, since a reservation is per chunk of a picture, not per byte.
 */
final class PictureBudget {
    private final long limit;
    private long reserved;
    private long atWorkers;

    PictureBudget(long limit) {
        this.limit = limit;
    }

    /** Reserves {@code n} bytes if they fit now; never waits. */
    synchronized boolean tryReserve(long n) {
        if (reserved + n > limit) return false;
        reserved += n;
        return true;
    }

    /**
     * Reserves {@code n} bytes, waiting while they do not fit and the decoding threads hold bytes that
     * they will give back. When they hold none, whatever is reserved waits for the recorder, which may
     * itself be waiting behind the caller on the ring: then the bytes are taken over the limit rather
     * than wait for ever. That overdraft is bounded by the pictures between the tap and the recorder.
     */
    synchronized void reserve(long n) throws InterruptedException {
        while (reserved + n > limit && atWorkers > 0) wait();
        reserved += n;
    }

    /** Moves {@code n} reserved bytes to the decoding threads' side. */
    synchronized void submitted(long n) {
        atWorkers += n;
    }

    /** Gives back {@code n} bytes; {@code fromWorkers} when a decoding thread had them. */
    synchronized void release(long n, boolean fromWorkers) {
        reserved -= n;
        if (fromWorkers) atWorkers -= n;
        notifyAll();
    }

    synchronized long reserved() {
        return reserved;
    }
}
