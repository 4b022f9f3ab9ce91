package org.triage.acquire;

import com.sun.jna.Memory;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.triage.source.EwfWriter;

/**
 * The E01 image, written through libewf with every core compressing.
 *
 * <p>Design: the stream is cut into chunks (64 sectors, ewfacquire's default) gathered in batches;
 * a full batch goes to a pool of compressor threads ({@link EwfWriter#prepare}, compression and
 * checksum, no lock) and, in stream order, to a queue the one writer thread takes from, waits for
 * the batch to be prepared and appends its chunks ({@link EwfWriter#write}). Batches are pooled:
 * when all are in flight {@link #accept} waits, which bounds native memory to the pool (about
 * 100 KiB a chunk) and holds the reader back to the compressors' pace.
 *
 * <p>At {@link #finish}: the unreadable ranges go into the image's error list, the MD5 and SHA-1
 * (from the {@link MediaDigests} sink, finished before this one) into its hash sections when the
 * stream was complete, then libewf finalizes the segments, and they are synced to the disk
 * ({@link Fsync}) before {@link #finish} returns. A stopped acquisition is finalized too,
 * with what was written and no hashes: ewfinfo reads it, and the caller marks it incomplete.
 */
public final class EwfImageSink implements MediaSink {
    private static final System.Logger LOG = System.getLogger(EwfImageSink.class.getName());
    static final int SECTORS_PER_CHUNK = 64;
    private static final int CHUNKS_PER_BATCH = 64;

    private static final class Batch {
        final Memory memory;
        final EwfWriter.Chunk[] chunks;
        /** The compressor's scratch while it prepares this batch; null when nothing is compressed. */
        final CompressionProbe probe;
        int count;
        CountDownLatch prepared;
        volatile IOException failure;

        /** The end-of-stream marker on the writer's queue: no memory. */
        private Batch() {
            memory = null;
            chunks = null;
            probe = null;
        }

        Batch(int chunkSize, boolean compressing) {
            probe = compressing ? new CompressionProbe() : null;
            memory = new Memory(EwfWriter.Chunk.footprint(chunkSize) * CHUNKS_PER_BATCH);
            chunks = new EwfWriter.Chunk[CHUNKS_PER_BATCH];
            for (int i = 0; i < CHUNKS_PER_BATCH; i++) {
                chunks[i] = new EwfWriter.Chunk(memory, i * EwfWriter.Chunk.footprint(chunkSize), chunkSize);
            }
        }
    }

    private static final Batch SENTINEL = new Batch();

    private final EwfWriter writer;
    private final Path base;
    private final MediaDigests digests;
    private final int sectorSize;
    private final int chunkSize;
    private final List<Batch> all = new ArrayList<>();
    private final BlockingQueue<Batch> free;
    private final BlockingQueue<Batch> ordered;
    private final ExecutorService compressors;
    private final Thread writerThread;
    private final List<BadRange> unreadable = new ArrayList<>();
    private volatile IOException failure;
    private Batch current;
    private int fill;
    private boolean finished;

    private final AtomicLong storedRaw = new AtomicLong();

    private EwfImageSink(EwfWriter writer, Path base, MediaDigests digests, int sectorSize, int threads, boolean compressing) {
        this.writer = writer;
        this.base = base;
        this.digests = digests;
        this.sectorSize = sectorSize;
        this.chunkSize = writer.chunkSize();
        int batches = 2 * threads + 2;
        this.free = new ArrayBlockingQueue<>(batches);
        this.ordered = new ArrayBlockingQueue<>(batches + 1);
        for (int i = 0; i < batches; i++) {
            Batch b = new Batch(chunkSize, compressing);
            all.add(b);
            free.add(b);
        }
        this.compressors = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "e01-compress");
            t.setDaemon(true);
            return t;
        });
        this.writerThread = new Thread(this::writeLoop, "e01-write");
        writerThread.setDaemon(true);
        writerThread.start();
    }

    /**
     * Creates {@code basename}.E01 (and .E02... past {@code segmentSize}; 0: libewf's default).
     *
     * @param digests the sink that hashes the same stream, finished before this one (its digests
     *                are stored in the image); null stores none
     * @param threads compressor threads (every core: {@code Runtime.availableProcessors()})
     * @throws IOException when libewf cannot create the image
     */
    public static EwfImageSink create(String basename, long mediaSize, int sectorSize, Compression compression,
                                      long segmentSize, AcquisitionMetadata metadata, String software, String version,
                                      MediaDigests digests, int threads) throws IOException {
        if (threads < 1) throw new IllegalArgumentException("compressor threads must be at least 1, was " + threads);
        Map<String, String> header = metadata.ewfHeaderValues();
        header.put("acquiry_software", software);
        header.put("acquiry_software_version", version);
        EwfWriter w = EwfWriter.create(basename,
                new EwfWriter.Settings(mediaSize, sectorSize, SECTORS_PER_CHUNK, compression.libewfLevel(), segmentSize), header);
        return new EwfImageSink(w, Path.of(basename), digests, sectorSize, threads, compression != Compression.NONE);
    }

    @Override
    public void accept(long offset, ByteBuffer data) throws IOException {
        while (data.hasRemaining()) {
            check();
            if (current == null) current = take();
            EwfWriter.Chunk c = current.chunks[current.count];
            ByteBuffer into = c.buffer().position(fill);
            int n = Math.min(into.remaining(), data.remaining());
            into.put(data.slice(data.position(), n));
            data.position(data.position() + n);
            fill += n;
            if (fill == chunkSize) {
                c.length(chunkSize);
                fill = 0;
                if (++current.count == CHUNKS_PER_BATCH) submit();
            }
        }
    }

    @Override
    public void unreadable(long offset, long length) {
        unreadable.add(new BadRange(offset, length));
    }

    private Batch take() throws IOException {
        try {
            Batch b = free.take();
            b.count = 0;
            b.failure = null;
            return b;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the E01 compressors");
        }
    }

    private void submit() throws IOException {
        Batch b = current;
        current = null;
        b.prepared = new CountDownLatch(1);
        try {
            ordered.put(b);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while queueing chunks for the E01 writer");
        }
        compressors.execute(() -> {
            try {
                int raw = 0;
                for (int i = 0; i < b.count; i++) {
                    EwfWriter.Chunk c = b.chunks[i];
                    if (b.probe == null || b.probe.worthCompressing(c.buffer(), c.length())) {
                        writer.prepare(c);
                    } else {
                        writer.prepareUncompressed(c);
                        raw++;
                    }
                }
                storedRaw.addAndGet(raw);
            } catch (IOException | RuntimeException e) {
                b.failure = e instanceof IOException io ? io : new IOException(e.toString(), e);
            } finally {
                b.prepared.countDown();
            }
        });
    }

    /** The writer thread: batches in stream order, each once its compressor is done. */
    private void writeLoop() {
        while (true) {
            Batch b;
            try {
                b = ordered.take();
            } catch (InterruptedException e) {
                return;
            }
            if (b == SENTINEL) return;
            try {
                b.prepared.await();
                if (failure == null) {
                    if (b.failure != null) throw b.failure;
                    for (int i = 0; i < b.count; i++) writer.write(b.chunks[i]);
                }
            } catch (IOException | RuntimeException e) {
                if (failure == null) failure = e instanceof IOException io ? io : new IOException(e.toString(), e);
            } catch (InterruptedException e) {
                return;
            } finally {
                free.add(b);
            }
        }
    }

    private void check() throws IOException {
        IOException f = failure;
        if (f != null) throw new IOException("writing the E01 failed: " + f.getMessage(), f);
    }

    /**
     * Chunks stored uncompressed without trying zlib on them (the probe judged them random-looking);
     * once {@link #finish} returned.
     */
    public long chunksStoredRaw() { return storedRaw.get(); }

    /**
     * The segments libewf wrote for {@code base}, in order, while they exist: BASE.E01 to .E99,
     * then .EAA to .EZZ and on to .ZZZ (libewf's EnCase naming past 99 segments).
     */
    public static List<Path> segments(Path base) {
        List<Path> files = new ArrayList<>();
        for (int i = 1; ; i++) {
            String ext;
            if (i <= 99) {
                ext = String.format(Locale.ROOT, "E%02d", i);
            } else {
                int n = i - 100;
                if (n >= 22 * 26 * 26) break;
                ext = "" + (char) ('E' + n / (26 * 26)) + (char) ('A' + n / 26 % 26) + (char) ('A' + n % 26);
            }
            Path p = base.resolveSibling(base.getFileName() + "." + ext);
            if (!Files.exists(p)) break;
            files.add(p);
        }
        return files;
    }

    @Override
    public void finish(boolean complete) throws IOException {
        if (finished) return;
        finished = true;
        try {
            if (current == null && fill > 0) current = take();
            if (current != null) {
                if (fill > 0) {
                    current.chunks[current.count].length(fill);
                    current.count++;
                    fill = 0;
                }
                if (current.count > 0) submit();
                else free.add(current);
                current = null;
            }
            ordered.put(SENTINEL);
            writerThread.join();
            compressors.shutdown();
            compressors.awaitTermination(1, TimeUnit.MINUTES);
            check();
            for (BadRange r : unreadable) {
                writer.appendAcquiryError(r.offset() / sectorSize, (r.length() + sectorSize - 1) / sectorSize);
            }
            if (complete && digests != null) writer.hashes(digests.md5(), digests.sha1());
            writer.finish();
            writer.close();
            List<Path> segments = segments(base);
            for (Path p : segments) Fsync.file(p);
            if (!segments.isEmpty()) Fsync.directoryOf(segments.get(0));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while finishing the E01");
        } finally {
            writer.close();
            LOG.log(System.Logger.Level.DEBUG, () -> "E01 finished, " + all.size() + " batches pooled");
        }
    }
}
