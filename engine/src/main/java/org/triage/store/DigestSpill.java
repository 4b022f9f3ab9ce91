package org.triage.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The digests of one algorithm of one import, partitioned by one byte of the digest into 256
 * buckets so that an import of any size sorts in bounded memory: each bucket holds one key range,
 * buckets in order are keys in order, and each is sorted alone ({@link #bucket}) when the SST files
 * are written. A bucket's records stay in a 64 KiB buffer until it fills, then go to the bucket's
 * spill file in the import's temporary directory; a small import never touches the disk.
 *
 * <p>Record: the digest, then its category id (4 bytes, big-endian). Records keep the order they
 * were added in, file part first, so sorting keeps "first line wins" for repeats.
 *
 * <p>Skewed input (all digests sharing a first byte) makes one big bucket; {@link #bucket} then
 * partitions it again on the next byte, so no single sort exceeds {@link #MAX_SORT} records.
 *
 * <p>Memory: at most 256 x 64 KiB per algorithm in buffers, plus one sorted bucket per writer
 * thread. Not thread-safe while filling; {@link #bucket} may be called from several threads for
 * different buckets once filling is over. Spill files are removed with the temporary directory.
 */
final class DigestSpill {
    static final int BUCKETS = 256;
    /** Most records sorted at once: (width + 4 + 12) bytes each, about 128 MiB for MD5. */
    static final int MAX_SORT = 4 << 20;
    private static final int BUFFER = 64 << 10;

    private final int width;
    private final int record;
    private final int depth;
    private final int maxSort;
    private final Path dir;
    private final String name;
    private final byte[][] buffers = new byte[BUCKETS][];
    private final int[] fill = new int[BUCKETS];
    private final long[] spilled = new long[BUCKETS];
    private long size;

    /**
     * @param width digest length in bytes
     * @param depth which byte of the digest picks the bucket
     * @param dir   where spill files go
     * @param name  spill file name prefix, unique within {@code dir}
     */
    DigestSpill(int width, int depth, Path dir, String name) {
        this(width, depth, dir, name, MAX_SORT);
    }

    /** As above, with the largest bucket sorted at once given (tests use a small one). */
    DigestSpill(int width, int depth, Path dir, String name, int maxSort) {
        this.maxSort = maxSort;
        this.width = width;
        this.record = width + 4;
        this.depth = depth;
        this.dir = dir;
        this.name = name;
    }

    int width() { return width; }

    /** Records added (repeats included). */
    long size() { return size; }

    /** Records in one bucket (repeats included). */
    long bucketSize(int b) { return spilled[b] + fill[b] / record; }

    void add(byte[] digest, int off, int category) throws IOException {
        int b = digest[off + depth] & 0xff;
        byte[] buf = buffers[b];
        if (buf == null) {
            buf = new byte[BUFFER / record * record];
            buffers[b] = buf;
        } else if (fill[b] == buf.length) {
            spill(b);
        }
        int p = fill[b];
        System.arraycopy(digest, off, buf, p, width);
        buf[p + width] = (byte) (category >>> 24);
        buf[p + width + 1] = (byte) (category >>> 16);
        buf[p + width + 2] = (byte) (category >>> 8);
        buf[p + width + 3] = (byte) category;
        fill[b] = p + record;
        size++;
    }

    private void spill(int b) throws IOException {
        try (FileChannel ch = FileChannel.open(file(b), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            ByteBuffer bb = ByteBuffer.wrap(buffers[b], 0, fill[b]);
            while (bb.hasRemaining()) ch.write(bb);
        }
        spilled[b] += fill[b] / record;
        fill[b] = 0;
    }

    private Path file(int b) {
        return dir.resolve(name + "-" + b);
    }

    /** Gives every record of bucket {@code b}, in key order, to {@code out} (repeats included; see {@link DigestTable}). */
    interface SortedConsumer {
        void accept(DigestTable table, int[] order) throws IOException;
    }

    /**
     * Sorts bucket {@code b} and passes it, distinct digests only, to {@code out}: once, or, for a
     * bucket too big to sort at once, once per sub-bucket in key order. Frees the bucket's buffer.
     */
    void bucket(int b, SortedConsumer out) throws IOException {
        bucket(b, null, out);
    }

    /** As {@link #bucket(int, SortedConsumer)}, repeats resolved by category rank ({@link DigestTable#sortDistinct(int[])}). */
    void bucket(int b, int[] rank, SortedConsumer out) throws IOException {
        long n = bucketSize(b);
        if (n == 0) return;
        if (n > maxSort && depth + 1 < width) {
            DigestSpill sub = new DigestSpill(width, depth + 1, dir, name + "-" + b, maxSort);
            byte[] digest = new byte[width];
            forEachRecord(b, (buf, off) -> {
                System.arraycopy(buf, off, digest, 0, width);
                sub.add(digest, 0, readInt(buf, off + width));
            });
            for (int i = 0; i < BUCKETS; i++) sub.bucket(i, rank, out);
            return;
        }
        DigestTable table = new DigestTable(width, (int) n);
        forEachRecord(b, (buf, off) -> table.add(buf, off, readInt(buf, off + width)));
        out.accept(table, table.sortDistinct(rank));
    }

    private interface RecordVisitor {
        void visit(byte[] buf, int off) throws IOException;
    }

    private void forEachRecord(int b, RecordVisitor v) throws IOException {
        if (spilled[b] > 0) {
            Path f = file(b);
            byte[] chunk = new byte[BUFFER / record * record];
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
                while (true) {
                    ByteBuffer bb = ByteBuffer.wrap(chunk);
                    while (bb.hasRemaining() && ch.read(bb) > 0) {
                        // fill the chunk
                    }
                    int got = bb.position();
                    for (int off = 0; off + record <= got; off += record) v.visit(chunk, off);
                    if (got < chunk.length) break;
                }
            }
            Files.deleteIfExists(f);
        }
        byte[] buf = buffers[b];
        for (int off = 0; off < fill[b]; off += record) v.visit(buf, off);
        buffers[b] = null;
    }

    private static int readInt(byte[] b, int off) {
        return (b[off] & 0xff) << 24 | (b[off + 1] & 0xff) << 16 | (b[off + 2] & 0xff) << 8 | (b[off + 3] & 0xff);
    }
}
