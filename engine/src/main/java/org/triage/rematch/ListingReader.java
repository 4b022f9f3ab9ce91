package org.triage.rematch;

import com.fasterxml.jackson.core.JsonFactory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import org.triage.hash.ChunkDigest;
import org.triage.model.Algorithm;
import org.triage.model.FileRecord;
import org.triage.model.Match;
import org.triage.model.PictureHash;
import org.triage.store.HashStore;

/**
 * Reads one all-files listing in a single pass: the calling thread reads it in blocks of
 * {@value #BLOCK} bytes, feeds each to SHA-256 (so the digest is of exactly the bytes read) and
 * cuts it after its last end of line; workers parse the blocks' lines and look their digests up;
 * the calling thread hands the results to a {@link LineSink} in the listing's order, with line
 * numbers. At most {@code window} blocks are in flight, their buffers reused, so memory is bounded
 * whatever the listing's size.
 *
 * <p>Why blocks and not lines: a line is a few hundred bytes and a lookup a microsecond; handing
 * lines to threads one by one would cost more than the work. A block holds some ten thousand lines.
 * Why the order is kept: the report lists matches and unreadable entries in the listing's order,
 * and a problem must be named by its line.
 *
 * <p>Not thread-safe: one reader per listing, driven by one thread.
 */
final class ListingReader {
    static final int BLOCK = 4 << 20;

    /** Receives a listing's lines in order, on the thread that called {@link #read}. */
    interface LineSink {
        /** An entry with its matches in the store (and, if the lookup failed, that error). */
        void entry(FileRecord record, int algorithms);

        void header(ListingLineParser.Header header, long line);

        void end(EvidenceEnd end, long line);

        void bad(long line, String error);
    }

    /** What was read: the listing's SHA-256, its bytes and lines. */
    record Read(String sha256, long bytes, long lines, boolean stopped) {
    }

    private final HashStore store;
    private final Algorithm[] lookedUp;
    private final ExecutorService workers;
    private final int window;
    private final int pdqDistance;
    private final JsonFactory json = new JsonFactory();

    /**
     * @param lookedUp    the algorithms the store holds: the only digests worth a lookup
     * @param window      blocks in flight at most (workers + 1 keeps every worker busy)
     * @param pdqDistance near matches of a listed picture's PDQ hash up to this many bits; negative
     *                    when the store holds no PDQ hash (nothing is asked)
     */
    ListingReader(HashStore store, List<Algorithm> lookedUp, ExecutorService workers, int window, int pdqDistance) {
        this.store = store;
        this.lookedUp = lookedUp.toArray(new Algorithm[0]);
        this.workers = workers;
        this.window = Math.max(1, window);
        this.pdqDistance = pdqDistance;
    }

    /** @throws IOException when the listing cannot be opened; a read error after that is a lost line, said to the sink */
    Read read(Path file, LineSink sink, BooleanSupplier stop) throws IOException, InterruptedException {
        Deque<Future<Block>> inFlight = new ArrayDeque<>();
        Deque<byte[]> free = new ArrayDeque<>();
        long lines = 0;
        boolean stopped = false;
        byte[] carry = new byte[0];
        HashedInput in = new HashedInput(file);
        try (in) {
            boolean eof = false;
            while (!eof) {
                if (stop.getAsBoolean()) {
                    stopped = true;
                    break;
                }
                byte[] buf = free.isEmpty() ? new byte[BLOCK] : free.pop();
                if (buf.length < carry.length + BLOCK / 2) buf = new byte[carry.length + BLOCK];
                System.arraycopy(carry, 0, buf, 0, carry.length);
                int n = carry.length;
                int cut = -1;
                while (cut < 0 && !eof) {
                    n += in.fill(buf, n);
                    eof = n < buf.length;
                    cut = lastLineEnd(buf, n);
                    // A line longer than the block: grow the block until it ends (or the file does).
                    if (cut < 0 && !eof) buf = java.util.Arrays.copyOf(buf, buf.length * 2);
                }
                int length = eof ? n : cut;
                carry = java.util.Arrays.copyOfRange(buf, length, n);
                byte[] block = buf;
                int len = length;
                boolean last = eof;
                inFlight.add(workers.submit(() -> parse(block, len, last)));
                while (inFlight.size() >= window) lines += deliver(inFlight.poll(), lines, sink, free);
            }
            if (in.failure != null) {
                while (!inFlight.isEmpty()) lines += deliver(inFlight.poll(), lines, sink, free);
                sink.bad(lines + 1, in.failure);
            }
        } finally {
            // Results already computed are delivered (nothing found is lost); on a failure they are dropped.
            try {
                while (!inFlight.isEmpty()) lines += deliver(inFlight.poll(), lines, sink, free);
            } catch (RuntimeException e) {
                for (Future<Block> f : inFlight) f.cancel(true);
                throw e;
            }
        }
        return new Read(HexFormat.of().formatHex(in.sha256.finish()), in.bytes, lines, stopped);
    }

    /**
     * The listing's bytes as read: each goes through a direct buffer, where SHA-256 (OpenSSL's where
     * installed) takes it without a copy, into the block; so the digest is of exactly the bytes read.
     * The JVM's own SHA-256 ran without its intrinsic here, a seventh of the CPU; a heap block
     * handed to OpenSSL was copied into native memory allocated for each block.
     */
    private static final class HashedInput implements AutoCloseable {
        final ChunkDigest sha256 = ChunkDigest.of(Algorithm.SHA256);
        private final FileChannel in;
        private final ByteBuffer staging = ByteBuffer.allocateDirect(1 << 20);
        long bytes;
        /** Why the listing could not be read past {@link #bytes}, or null. */
        String failure;

        /** @throws IOException when the listing cannot be opened */
        HashedInput(Path file) throws IOException {
            in = FileChannel.open(file, StandardOpenOption.READ);
        }

        /** Reads into {@code buf[off, buf.length)} until it is full or the listing ends (or fails); returns the bytes read. */
        int fill(byte[] buf, int off) {
            int got = 0;
            while (failure == null && off + got < buf.length) {
                staging.clear().limit(Math.min(staging.capacity(), buf.length - off - got));
                int r;
                try {
                    r = in.read(staging);
                } catch (IOException e) {
                    // Past the open, a read error loses the rest, not what was read: said as a lost line.
                    failure = "cannot read the listing past byte " + bytes + ": " + e.getMessage();
                    break;
                }
                if (r < 0) break;
                staging.flip();
                sha256.update(staging);
                staging.get(0, buf, off + got, r);
                got += r;
                bytes += r;
            }
            return got;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /** The index after the last '\n' in {@code buf[0, n)}, or -1 when there is none. */
    private static int lastLineEnd(byte[] buf, int n) {
        for (int i = n - 1; i >= 0; i--) {
            if (buf[i] == '\n') return i + 1;
        }
        return -1;
    }

    /** One block's lines, parsed and looked up: what each is, and its line within the block. */
    private record Block(byte[] buf, List<ListingLineParser.Line> items, int[] lineOf, int lines) {
    }

    private Block parse(byte[] buf, int length, boolean last) {
        EntryLineScanner scanner = new EntryLineScanner();
        ListingLineParser parser = new ListingLineParser(json);
        // Sized for lines of 64 bytes: an entry line is several hundred, so neither ever grows.
        List<ListingLineParser.Line> items = new ArrayList<>(length / 64 + 2);
        int[] lineOf = new int[length / 64 + 2];
        int line = 0;
        int start = 0;
        while (start < length) {
            // Nearly every line is an entry as the scan wrote it, read (and its end found) in one pass;
            // the rest, a bad line among them, is cut at its end and read by jackson, alone.
            ListingLineParser.Line item = scanner.scan(buf, start, length);
            int end;
            if (item != null) {
                end = scanner.end();
            } else {
                end = lineEnd(buf, start, length);
                boolean terminated = end < length;
                int stop = end;
                if (stop > start && buf[stop - 1] == '\r') stop--; // a listing saved on Windows
                if (!blank(buf, start, stop)) item = parser.parse(buf, start, stop - start, terminated || !last);
            }
            if (item != null) {
                if (item instanceof ListingLineParser.Entry e) item = lookUp(e);
                if (items.size() == lineOf.length) lineOf = java.util.Arrays.copyOf(lineOf, lineOf.length * 2);
                lineOf[items.size()] = line;
                items.add(item);
            }
            line++;
            start = end + 1;
        }
        return new Block(buf, items, lineOf, line);
    }

    /** The index of the first '\n' at or after {@code from}, or {@code length} when there is none. */
    private static int lineEnd(byte[] buf, int from, int length) {
        int end = from;
        while (end < length && buf[end] != '\n') end++;
        return end;
    }

    private static boolean blank(byte[] buf, int start, int end) {
        for (int i = start; i < end; i++) {
            byte b = buf[i];
            if (b != ' ' && b != '\t') return false;
        }
        return true;
    }

    /**
     * As the scan's lookup stage: every digest the store can hold, every set it is in, once each; and
     * for a picture with a PDQ hash (only those: a line without one costs nothing more), its near matches.
     */
    private ListingLineParser.Entry lookUp(ListingLineParser.Entry e) {
        FileRecord r = e.record();
        List<Match> found = null;
        PictureHash picture = r.pdq();
        try {
            if (picture != null) picture = NearMatchLookup.current(picture, store, pdqDistance);
            for (Algorithm a : lookedUp) {
                byte[] digest = r.digests().get(a);
                if (digest == null) continue;
                List<Match> hits = store.lookup(a, digest);
                if (hits.isEmpty()) continue;
                if (found == null) found = new ArrayList<>(2);
                for (Match m : hits) {
                    if (!found.contains(m)) found.add(m);
                }
            }
        } catch (RuntimeException ex) {
            String error = "hash store lookup failed: " + ex.getMessage();
            return new ListingLineParser.Entry(with(r, List.of(), r.error() == null ? error : r.error() + "; " + error,
                    r.pdq()), e.algorithms());
        }
        if (found == null && picture == r.pdq()) return e;
        return new ListingLineParser.Entry(with(r, found == null ? List.of() : List.copyOf(found), r.error(), picture),
                e.algorithms());
    }

    private static FileRecord with(FileRecord r, List<Match> matches, String error, PictureHash picture) {
        return new FileRecord(r.source(), r.path(), r.type(), r.size(), r.digests(), matches, error, r.hardLinkOf(),
                r.contentType(), r.extMismatch(), r.details(), r.changedDuringRead(), r.container(), r.note(), picture);
    }

    /** Waits for a block and hands its lines on; returns its line count. {@code before}: lines before it. */
    private static int deliver(Future<Block> f, long before, LineSink sink, Deque<byte[]> free) throws InterruptedException {
        Block b;
        try {
            b = f.get();
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException r) throw r;
            if (c instanceof Error err) throw err;
            throw new IllegalStateException(c);
        }
        for (int i = 0; i < b.items().size(); i++) {
            long line = before + b.lineOf()[i] + 1;
            ListingLineParser.Line item = b.items().get(i);
            if (item instanceof ListingLineParser.Entry e) sink.entry(e.record(), e.algorithms());
            else if (item instanceof ListingLineParser.Header h) sink.header(h, line);
            else if (item instanceof ListingLineParser.End end) sink.end(end.end(), line);
            else if (item instanceof ListingLineParser.Bad bad) sink.bad(line, bad.error());
        }
        if (b.buf().length == BLOCK) free.push(b.buf());
        return b.lines();
    }
}
