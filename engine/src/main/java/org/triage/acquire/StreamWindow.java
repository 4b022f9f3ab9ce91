package org.triage.acquire;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.triage.source.MediaReads;

/**
 * The last bytes of an acquisition's stream, held in native memory for the scan that reads the same
 * media ({@link StreamTriage}); the scan's image reads ({@link MediaReads}) are served from here.
 *
 * <p>A read is served, front to back, from whichever holds each part: the window (the last
 * {@code capacity} bytes streamed); the stream itself, by waiting until it gets there (the stream
 * then copies straight into the waiting read, so a sequential read needs no window at all); or,
 * for what the window no longer holds, the evidence file ({@code pread}), which is counted as read
 * again. Ranges the acquisition announced unreadable are served as the zeros the image holds, never
 * read again from the failing source. Before the source has listed its entries, every read goes
 * to the evidence file (the metadata walk comes before the stream), counted as metadata.
 *
 * <p>Backpressure: {@link #accept} waits while the stream would run more than half the window ahead
 * of the furthest byte read (the other half keeps what is just behind, for backward reads: a ZIP's
 * central directory, a fragment just before, a small file's re-read). It never waits while a read
 * is waiting for bytes ahead of the stream: that reader can go on only if the stream does, so
 * waiting then would deadlock. Nor once the scan is over ({@link #release}).
 *
 * <p>Threading: one monitor. {@link #accept}, {@link #unreadable} and {@link #finish} come from the
 * acquisition's thread; {@link #read} from the scan's threads, one at a time (libtsk's image lock).
 */
final class StreamWindow implements MediaReads {
    /** Files named in the statistics at most (the count goes on). */
    private static final int NAMED = 100;

    private final int capacity;
    private Memory ring;
    private ByteBuffer ringView;
    /** Bytes streamed so far: the next offset {@link #accept} takes. */
    private long streamed;
    /** The furthest byte end served from the window or the stream. */
    private long frontier;
    private boolean listed;
    private boolean released;
    private boolean ended;
    private boolean stopped;
    /** The read waiting for bytes ahead of the stream, or null. */
    private Pending pending;
    /** Announced unreadable ranges {offset, length}, ascending, adjacent ones merged. */
    private final List<long[]> unreadable = new ArrayList<>();

    private long metadataBytes;
    private long rereadBytes;
    private long fileBytesReread;
    private int filesReread;
    private final List<String> named = new ArrayList<>();
    /** Per reading thread: {bytes read again from the evidence, 1 while reading a file's content}. */
    private final ThreadLocal<long[]> thread = ThreadLocal.withInitial(() -> new long[2]);

    /** One read waiting for the stream: media bytes [pos, end) go to {@code buf} at {@code pos - base}. */
    private static final class Pending {
        final Pointer buf;
        final long base;
        final long end;
        long pos;

        Pending(Pointer buf, long base, long pos, long end) {
            this.buf = buf;
            this.base = base;
            this.pos = pos;
            this.end = end;
        }
    }

    StreamWindow(long capacity) {
        this.capacity = (int) capacity;
        this.ring = new Memory(capacity);
        this.ringView = ring.getByteBuffer(0, capacity);
    }

    // ---- the acquisition's side

    synchronized void accept(long offset, ByteBuffer data) throws IOException, InterruptedException {
        if (ended) throw new IOException("bytes at offset " + offset + " after the stream was finished");
        if (offset != streamed) {
            throw new IOException("the stream must go on at offset " + streamed + " without a gap or overlap, not at " + offset);
        }
        int n = data.remaining();
        while (!released && !waitingAhead() && streamed + n - frontier > capacity / 2) wait();
        if (!released) {
            Pending p = pending;
            if (waitingAhead() && p.pos < offset + n) {
                int from = (int) (p.pos - offset);
                int k = (int) (Math.min(p.end, offset + n) - p.pos);
                p.buf.getByteBuffer(p.pos - p.base, k).put(data.duplicate().position(data.position() + from).limit(data.position() + from + k));
                p.pos += k;
            }
            // Only the last capacity bytes can stay.
            int keep = Math.min(n, capacity);
            int src = data.position() + n - keep;
            long at = offset + n - keep;
            while (keep > 0) {
                int slot = (int) (at % capacity);
                int k = Math.min(keep, capacity - slot);
                ringView.duplicate().position(slot).limit(slot + k).slice().put(data.duplicate().position(src).limit(src + k));
                src += k;
                at += k;
                keep -= k;
            }
        }
        streamed += n;
        notifyAll();
    }

    /** A read waits for bytes the stream has not reached yet. */
    private boolean waitingAhead() {
        return pending != null && pending.pos < pending.end;
    }

    synchronized void unreadable(long offset, long length) {
        if (length <= 0) return;
        long[] last = unreadable.isEmpty() ? null : unreadable.get(unreadable.size() - 1);
        if (last != null && last[0] + last[1] == offset) last[1] += length;
        else unreadable.add(new long[] {offset, length});
    }

    /** No more bytes; {@code complete} false: reads waiting for bytes that will not come fail. */
    synchronized void finish(boolean complete) {
        ended = true;
        stopped = !complete;
        notifyAll();
    }

    // ---- the scan's side

    @Override
    public synchronized void listed() {
        listed = true;
        notifyAll();
    }

    /** The scan is over: nothing reads any more, so the stream never waits, and the memory goes. */
    synchronized void release() {
        released = true;
        if (ring != null) {
            ring.close();
            ring = null;
            ringView = null;
        }
        notifyAll();
    }

    /** Waits until the source has listed its entries or the scan is over; true when listed. */
    synchronized boolean awaitListed() throws InterruptedException {
        while (!listed && !released) wait();
        return listed;
    }

    @Override
    public long read(long offset, Pointer buf, long len, Direct direct) throws IOException {
        boolean metadata;
        synchronized (this) {
            metadata = !listed;
        }
        if (metadata) {
            long n = direct.read(offset, buf, len);
            synchronized (this) {
                metadataBytes += n;
            }
            return n;
        }
        boolean content = thread.get()[1] != 0;
        long pos = offset;
        long end = offset + len;
        while (pos < end) {
            long to;
            synchronized (this) {
                long low = streamed - Math.min(capacity, streamed);
                if (pos >= low && pos < streamed && ring != null) {
                    long k = Math.min(end, streamed) - pos;
                    copyOut(pos, buf.share(pos - offset), k);
                    pos += k;
                    advance(pos);
                    continue;
                }
                if (pos >= streamed && !ended && !content && pos - streamed > capacity / 2) {
                    // Metadata far ahead of the stream (an MFT entry in a later partition): an excursion,
                    // read from the evidence; the stream stays. Nearer, it waits like content, so that what
                    // libtsk caches around it (64 KiB) is the stream's bytes, zeros where they were unreadable.
                    to = end;
                } else if (pos >= streamed && !ended) {
                    Pending p = new Pending(buf, offset, pos, end);
                    pending = p;
                    notifyAll();
                    try {
                        while (p.pos < end && !ended) wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted while waiting for the stream to reach byte " + p.pos);
                    } finally {
                        pending = null;
                    }
                    pos = p.pos;
                    advance(pos);
                    continue;
                } else {
                    if (pos >= streamed && stopped) {
                        throw new IOException("the acquisition stopped at byte " + streamed + ", before byte " + pos);
                    }
                    to = pos < low ? Math.min(end, low) : end;
                }
            }
            long want = to - pos;
            long n = fromEvidence(pos, buf.share(pos - offset), want, direct);
            thread.get()[0] += n;
            synchronized (this) {
                rereadBytes += n;
            }
            pos += n;
            if (n < want) break; // the evidence ended early: libtsk sees a short read
        }
        return pos - offset;
    }

    private void advance(long pos) {
        if (pos > frontier) {
            frontier = pos;
            notifyAll();
        }
    }

    /** Window bytes [from, from + len) into {@code dst}, across the ring's wrap. */
    private void copyOut(long from, Pointer dst, long len) {
        long done = 0;
        while (done < len) {
            int slot = (int) ((from + done) % capacity);
            int k = (int) Math.min(len - done, capacity - slot);
            dst.getByteBuffer(done, k).put(ringView.duplicate().position(slot).limit(slot + k));
            done += k;
        }
    }

    /** Evidence bytes, with the announced unreadable ranges as zeros (as the image holds them). */
    private long fromEvidence(long from, Pointer dst, long len, Direct direct) throws IOException {
        List<long[]> bad;
        synchronized (this) {
            bad = new ArrayList<>();
            for (long[] r : unreadable) {
                if (r[0] < from + len && from < r[0] + r[1]) bad.add(r.clone());
            }
        }
        long pos = from;
        long end = from + len;
        for (long[] r : bad) {
            if (r[0] > pos) {
                long want = r[0] - pos;
                long n = direct.read(pos, dst.share(pos - from), want);
                pos += n;
                if (n < want) return pos - from;
            }
            long zeroEnd = Math.min(end, r[0] + r[1]);
            if (zeroEnd > pos) {
                dst.setMemory(pos - from, zeroEnd - pos, (byte) 0);
                pos = zeroEnd;
            }
        }
        if (pos < end) pos += direct.read(pos, dst.share(pos - from), end - pos);
        return pos - from;
    }

    @Override
    public synchronized String damageIn(List<long[]> runs) {
        List<long[]> hit = new ArrayList<>();
        for (long[] r : unreadable) {
            for (long[] run : runs) {
                if (r[0] < run[0] + run[1] && run[0] < r[0] + r[1]) {
                    hit.add(r);
                    break;
                }
            }
        }
        if (hit.isEmpty()) return null;
        StringBuilder b = new StringBuilder("unreadable sectors under it at ");
        for (int i = 0; i < Math.min(hit.size(), 3); i++) {
            if (i > 0) b.append("; ");
            b.append("offset ").append(hit.get(i)[0]).append(" (").append(hit.get(i)[1]).append(" bytes)");
        }
        if (hit.size() > 3) b.append("; and ").append(hit.size() - 3).append(" more");
        return b.append(": the acquisition could not read them and the image holds zeros there").toString();
    }

    @Override
    public long content(boolean on) {
        long[] t = thread.get();
        t[1] = on ? 1 : 0;
        return t[0];
    }

    @Override
    public synchronized void fileReread(String where, long bytes) {
        filesReread++;
        fileBytesReread += bytes;
        if (named.size() < NAMED) named.add(where);
    }

    synchronized StreamTriage.Stats stats() {
        return new StreamTriage.Stats(capacity, streamed, metadataBytes, filesReread, fileBytesReread,
                rereadBytes - fileBytesReread, List.copyOf(named));
    }
}
