package org.triage.pipeline;

import com.lmax.disruptor.RingBuffer;
import com.sun.jna.Pointer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.triage.archive.ArchiveFormat;
import org.triage.archive.ArchiveLimits;
import org.triage.archive.ArchiveLister;
import org.triage.archive.DirectContent;
import org.triage.archive.ExpansionBudget;
import org.triage.archive.MemberVisitor;
import org.triage.archive.ZipInflation;
import org.triage.model.ContentType;
import org.triage.model.EntryType;
import org.triage.model.RawPath;
import org.triage.signature.FileSignature;
import org.triage.source.ContentReader;
import org.triage.source.ImageSignature;
import org.triage.source.SourceEntry;

/**
 * Expands an archive a reader has just hashed into jobs of its own, one per member, through the
 * same ring: each member is hashed by the same hashers, looked up and recorded like a file, with
 * {@link FileJob#container} naming the chain of archives it came from.
 *
 * <p>Where it runs: on the reader thread, when the archive's own content has been read to its end
 * (its digests are then complete, and its record waits for its members'); the reader's other files
 * in flight wait meanwhile. So one archive's members are read one after another, as a stream must
 * be, while the hashers still spread them over the cores (each member is balanced like a file).
 * Not on a thread of its own (yet): measured on the bench's archive slice, a core idles in two
 * stretches, while the archive's own MD5 sets the pace (members cannot start: the pooled buffers
 * hold the archive's chunks) and while the ZIP's directory is parsed (0.5 CPU s for 50,000
 * entries); on a loaded machine the scan is CPU-bound and they cost little. An expander thread
 * reading members by positional reads while the reader hashes the archive would win them back.
 *
 * <p>The fast way in, for the members nearly every ZIP holds (stored or deflated, in an archive in
 * the evidence): the member is read straight into the pooled buffer the hashers take
 * ({@link DirectContent}): stored bytes by the reader's own native read, deflated ones by zlib from
 * a native input buffer, with no Java array between, one reused {@link ZipInflation} for all of
 * them. Measured on the bench's archive slice (20,000 members of 4-64 KiB in a 700 MB ZIP, two
 * cores, MD5+SHA-1): before it, the reader spent 2.3 CPU seconds (the same files unpacked: 0.75),
 * through a new Inflater, an 8 KiB buffer and a 512-byte inflate loop per member and four copies
 * of every byte, while the hashers spent 3.4 on twice the bytes (the ZIP's own and its members');
 * the reader then set the pace. After: 1.15 (on 50,000 members, 23 µs of CPU a member beyond what
 * the file unpacked costs, 61 before). Other members (nested archives, other formats and methods) are
 * decompressed into a small heap buffer and copied into the pooled buffers as they fill.
 *
 * <p>Memory: at most one pooled buffer per nesting level is held unpublished, so memory stays
 * bounded by the pool whatever the member's size, plus {@link ZipInflation}'s 64 KiB input buffer
 * and zlib's state (about 40 KiB) per reader thread; nothing is written anywhere.
 *
 * <p>Nesting: a member is told by its first bytes ({@link ArchiveFormat#detect}); one that is an
 * archive is hashed as itself and expanded in the same pass: the nested lister reads the member
 * through {@link Feed}, which hands every byte it reads on to the hashers too, and what the lister
 * leaves unread (a ZIP's central directory, a TAR's padding) is then read to the end for the
 * member's own digest. A member that fails to read (CRC, truncation, a refused bound, the scan
 * stopping) gets the reason as its error and no digest: its digest would be of part of it.
 */
final class ArchiveExpansion implements AutoCloseable {
    private static final int SCRATCH = 64 << 10;

    private final SourceRun run;
    private final RingBuffer<ChunkEvent> ring;
    private final BufferPool pool;
    private final HashBalancer balancer;
    private final AtomicLong ids;
    private final int algorithms;
    private final BooleanSupplier stopping;
    private final ProgressCounters progress;
    private final ArchiveLimits limits;
    /** One heap buffer per nesting level, reused for every member at that level. */
    private final byte[][] scratch;
    private final byte[][] heads;
    /** Made at the first ZIP, closed with this. */
    private ZipInflation zips;
    /**
     * The disk images the archive being expanded is in ({@link ImageExpansion}): that many entries
     * of a member's chain are images, not archive levels.
     */
    private int imageLevels;

    ArchiveExpansion(SourceRun run, RingBuffer<ChunkEvent> ring, BufferPool pool, HashBalancer balancer, AtomicLong ids,
                     int algorithms, BooleanSupplier stopping, ProgressCounters progress, ArchiveLimits limits) {
        this.run = run;
        this.ring = ring;
        this.pool = pool;
        this.balancer = balancer;
        this.ids = ids;
        this.algorithms = algorithms;
        this.stopping = stopping;
        this.progress = progress;
        this.limits = limits;
        this.scratch = new byte[limits.depth() + 1][];
        this.heads = new byte[limits.depth() + 1][];
    }

    boolean enabled() { return limits.depth() > 0; }

    /**
     * Expands the archive {@code archive} (read to its end through {@code in}, which is then re-read
     * at offsets). Returns why the archive was not expanded whole, for its own record, or null.
     */
    /** The outermost archive of the expansion under way (its members' {@link FileJob#top}). */
    private FileJob top;

    String expand(FileJob archive, ArchiveFormat format, ContentReader in) throws InterruptedException {
        if (format == ArchiveFormat.RAR) return "RAR archives are not expanded";
        RawPath name = archive.entry.path();
        ExpansionBudget budget = new ExpansionBudget(limits, archive.bytes);
        if (zips == null && format == ArchiveFormat.ZIP) zips = new ZipInflation();
        try (ReaderChannel channel = new ReaderChannel(in, archive.bytes)) {
            // Inside a disk image found in the item, the chain starts with the image's ({@link ImageExpansion}).
            List<RawPath> chain = new ArrayList<>(archive.container);
            chain.add(name);
            imageLevels = archive.container.size();
            top = archive.top != null ? archive.top : archive;
            return ArchiveLister.list(format, channel, null, name, budget, new Level(List.copyOf(chain), budget), zips);
        }
    }

    /** Releases zlib's memory; the reader thread calls it as it ends. */
    @Override
    public void close() {
        if (zips != null) zips.close();
        zips = null;
    }

    /** The members of one archive, {@code chain} being the archives down to it. */
    private final class Level implements MemberVisitor {
        private final List<RawPath> chain;
        private final ExpansionBudget budget;

        Level(List<RawPath> chain, ExpansionBudget budget) {
            this.chain = chain;
            this.budget = budget;
        }

        @Override
        public boolean member(RawPath name, long size, InputStream content, String error) throws InterruptedException {
            if (stopping.getAsBoolean()) return false;
            FileJob job = new FileJob(ids.getAndIncrement(), run,
                    new SourceEntry(name, EntryType.FILE, Math.max(0, size), null, 1, null, null, null), algorithms);
            job.container = chain;
            job.top = top;
            progress.members.incrementAndGet();
            if (error != null) {
                job.error = error;
                ring.publishEvent(ChunkEvent.ENTRY_TRANSLATOR, job);
                return true;
            }
            balancer.assign(job, Math.max(0, size));
            Feed feed = new Feed(job, content);
            try {
                read(job, name, feed);
            } catch (InterruptedException e) {
                job.fail("unfinished: the reader was interrupted");
                throw e;
            } catch (InterruptedIOException e) {
                job.fail("unfinished: the reader was interrupted");
                throw new InterruptedException("interrupted while reading an archive member");
            } catch (IOException | RuntimeException e) {
                job.fail(e instanceof IOException ? describe(e) : "read failed: " + e);
            } finally {
                feed.end();
            }
            return !stopping.getAsBoolean();
        }

        private void read(FileJob job, RawPath name, Feed feed) throws IOException, InterruptedException {
            int level = chain.size() - imageLevels;
            byte[] head = heads[level] != null ? heads[level]
                    : (heads[level] = new byte[Math.max(ArchiveFormat.NEEDED, ImageSignature.NEEDED)]);
            int n = feed.direct != null ? feed.headDirect(head) : feed.readFully(head);
            job.contentType = n == 0 ? ContentType.OTHER : FileSignature.detect(head, n);
            ArchiveFormat nested = ArchiveFormat.detect(head, n);
            if (nested == null && ImageSignature.of(head, n) != ImageSignature.Kind.NONE) {
                // An image needs random access; a member is a stream, never held whole nor written out.
                job.contentType = ContentType.DISK_IMAGE;
                job.damage = "disk image inside an archive: not examined (a member is read as a stream, and an image"
                        + " needs random access); hashed as a file";
            } else if (nested == ArchiveFormat.RAR) {
                job.damage = "RAR archives are not expanded";
            } else if (nested != null && level >= limits.depth()) {
                job.damage = "archive not expanded: nested deeper than " + limits.depth() + " (--archive-depth)";
            } else if (nested != null) {
                List<RawPath> deeper = new ArrayList<>(chain);
                deeper.add(name);
                InputStream replay = new SequenceInputStream(
                        new ByteArrayInputStream(java.util.Arrays.copyOf(head, n)), feed.stream());
                String problem = ArchiveLister.list(nested, null, replay, name, budget, new Level(List.copyOf(deeper), budget));
                if (problem != null) job.damage = problem;
            }
            if (feed.direct != null) {
                feed.drainDirect();
                return;
            }
            byte[] buf = scratch[level] != null ? scratch[level] : (scratch[level] = new byte[SCRATCH]);
            feed.drain(buf);
        }
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        if (e instanceof java.io.EOFException) return "truncated: the archive ends inside it" + (m == null ? "" : " (" + m + ")");
        return m == null ? e.getClass().getSimpleName() : m;
    }

    /**
     * One member's bytes on their way to the hashers: whatever is read through it is copied into
     * pooled buffers, published as DATA when full. The first failure of the member's stream is
     * kept and thrown again at every later read, so a member whose nested lister gave up on a
     * failing stream cannot then end as if complete.
     */
    private final class Feed {
        private final FileJob job;
        private final InputStream src;
        /** The same content, readable straight into the pooled buffer; null when it is not. */
        final DirectContent direct;
        private Pointer buf;
        /** {@link #buf} as a direct buffer, for {@link #direct}; made when needed, per pooled buffer. */
        private ByteBuffer view;
        private int filled;
        private long total;
        private IOException failure;
        private boolean ended;

        Feed(FileJob job, InputStream src) {
            this.job = job;
            this.src = src;
            this.direct = src instanceof DirectContent d ? d : null;
        }

        /** Before every read: a failure stands, and a stopping scan reads no more. */
        private void stillGoing() throws IOException {
            if (failure != null) throw failure;
            if (stopping.getAsBoolean()) {
                failure = new IOException("unfinished: scan interrupted after " + total + " bytes");
                throw failure;
            }
        }

        int read(byte[] b, int off, int len) throws IOException {
            stillGoing();
            int n;
            try {
                n = src.read(b, off, len);
            } catch (IOException | RuntimeException e) {
                throw failed(e);
            }
            if (n > 0) hash(b, off, n);
            return n;
        }

        /** Keeps the member's first failure, to be thrown again at every later read. */
        private IOException failed(Exception e) {
            // Commons Compress throws unchecked exceptions for some malformed input.
            failure = e instanceof IOException io ? io : new IOException(e.getMessage() == null ? e.toString() : e.getMessage(), e);
            return failure;
        }

        /**
         * Reads up to {@code max} bytes of the member straight into the pooled buffer, published
         * when full; returns the bytes read, or -1 at the member's end.
         */
        private int readDirect(int max) throws IOException {
            stillGoing();
            take();
            if (view == null) view = buf.getByteBuffer(0, pool.size());
            view.limit((int) Math.min(pool.size(), (long) filled + max)).position(filled);
            int n;
            try {
                n = direct.read(view);
            } catch (IOException | RuntimeException e) {
                throw failed(e);
            }
            if (n > 0) {
                filled += n;
                total += n;
                progress.expanded.addAndGet(n);
                if (filled == pool.size()) publish();
            }
            return n;
        }

        /**
         * The member's first bytes, read straight into the pooled buffer, copied into {@code head}
         * (it is a new member: they start the buffer); returns how many.
         */
        int headDirect(byte[] head) throws IOException {
            int got = 0;
            while (got < head.length) {
                int n = readDirect(head.length - got);
                if (n < 0) break;
                got += n;
            }
            if (got > 0) buf.read(0, head, 0, got);
            return got;
        }

        /** Reads the rest of the member straight into pooled buffers. */
        void drainDirect() throws IOException {
            while (readDirect(Integer.MAX_VALUE) >= 0) {
                // every byte went to the hashers
            }
        }

        /** Makes sure a pooled buffer with room is at hand. */
        private void take() throws IOException {
            if (buf != null) return;
            try {
                buf = pool.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = new InterruptedIOException("interrupted");
                throw failure;
            }
            filled = 0;
            view = null;
        }

        private void hash(byte[] b, int off, int n) throws IOException {
            int done = 0;
            while (done < n) {
                take();
                int k = Math.min(n - done, pool.size() - filled);
                buf.write(filled, b, off + done, k);
                filled += k;
                done += k;
                if (filled == pool.size()) publish();
            }
            total += n;
            progress.expanded.addAndGet(n);
        }

        private void publish() {
            Pointer chunk = buf;
            int length = filled;
            buf = null;
            view = null;
            filled = 0;
            ChunkEvent.publishData(ring, job, chunk, length);
        }

        /** Reads until {@code into} is full or the member ends; returns the bytes read. */
        int readFully(byte[] into) throws IOException {
            int got = 0;
            while (got < into.length) {
                int n = read(into, got, into.length - got);
                if (n < 0) break;
                got += n;
            }
            return got;
        }

        void drain(byte[] scratch) throws IOException {
            while (read(scratch, 0, scratch.length) >= 0) {
                // every byte went to the hashers
            }
        }

        InputStream stream() {
            return new InputStream() {
                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return Feed.this.read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    return Feed.this.read(b, off, len);
                }
            };
        }

        /** Publishes the last partial chunk and the member's END (once). */
        void end() {
            if (ended) return;
            ended = true;
            if (buf != null) {
                if (filled > 0 && job.error == null) {
                    publish();
                } else {
                    pool.give(buf);
                    buf = null;
                    view = null;
                }
            }
            if (job.error == null && job.contentType == null) job.contentType = ContentType.OTHER;
            job.bytes = total;
            ring.publishEvent(ChunkEvent.END_TRANSLATOR, job);
        }
    }
}
