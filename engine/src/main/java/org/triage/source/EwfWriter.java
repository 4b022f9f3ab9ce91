package org.triage.source;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.ByteByReference;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.Adler32;
import org.triage.natives.LibC;

/**
 * A new EWF image (E01 segments) written through libewf 20140813, the library {@code ewfacquire}
 * writes with, so that what it writes is what libewf's own readers expect.
 *
 * <p>Why the chunk calls rather than {@code libewf_handle_write_buffer}: that one compresses on the
 * calling thread, one chunk after the other. {@code libewf_handle_prepare_write_chunk} compresses
 * and checksums one chunk and touches nothing in the handle but the settings made before the first
 * write (compression level and flags, format, chunk size: read in libewf's source of that version,
 * with the empty-block flag, the one setting that would read the write state, never set), so any
 * number of threads may call {@link #prepare} at once, each on its own {@link Chunk};
 * {@link #write} then appends prepared chunks in media order and must be called from one thread at a
 * time (it is synchronized, as are the settings and {@link #finish}).
 *
 * <p>Owns the handle: {@link #close} frees it (after {@link #finish}, or without it when the
 * acquisition failed: libewf then leaves the segments it wrote unfinalized).
 */
public final class EwfWriter implements AutoCloseable {
    private static final int ACCESS_WRITE = 2;
    private static final byte FORMAT_ENCASE6 = 0x06;
    private static final byte MEDIA_TYPE_FIXED = 0x01;
    private static final byte MEDIA_FLAG_PHYSICAL = 0x02;
    /** libewf's LIBEWF_CHUNK_IO_FLAG_CHECKSUM_SET: the checksum is passed beside the data, not in it. */
    private static final byte CHUNK_IO_FLAG_CHECKSUM_SET = 0x01;

    /** How a new image is laid out; the values libewf is told before the first chunk. */
    public record Settings(long mediaSize, int bytesPerSector, int sectorsPerChunk, int compressionLevel,
                           long maximumSegmentSize) {
        public Settings {
            if (mediaSize <= 0) throw new IllegalArgumentException("media size must be positive, was " + mediaSize);
            if (bytesPerSector <= 0 || Integer.bitCount(bytesPerSector) != 1) {
                throw new IllegalArgumentException("bytes per sector must be a power of two, was " + bytesPerSector);
            }
            if (compressionLevel < 0 || compressionLevel > 2) {
                throw new IllegalArgumentException("compression level must be 0 (none), 1 (fast) or 2 (best), was " + compressionLevel);
            }
        }

        public int chunkSize() { return bytesPerSector * sectorsPerChunk; }
    }

    /**
     * One chunk's memory, reused chunk after chunk: the media bytes with room for the 4-byte
     * checksum right after them (libewf then writes both in one call, as ewfacquire lays out its
     * buffers) and room for the compressed form. Filled by one thread, prepared by one, written by
     * the writer; never two at once.
     */
    public static final class Chunk {
        private final Pointer data;
        private final Pointer compressed;
        private final long compressedCapacity;
        private final ByteBuffer view;
        /** The same bytes for the checksum, so that checksumming moves no position the filler sees. */
        private final ByteBuffer summed;
        private final LongByReference compressedSize = new LongByReference();
        private final ByteByReference isCompressed = new ByteByReference();
        private final IntByReference checksum = new IntByReference();
        private final ByteByReference writeChecksum = new ByteByReference();
        private final PointerByReference error = new PointerByReference();
        private final Adler32 adler = new Adler32();
        private int length;
        private long prepared;

        /** A chunk inside {@code memory} (owned by the caller) at {@code offset}: {@link #footprint} bytes. */
        public Chunk(Memory memory, long offset, int chunkSize) {
            this.data = memory.share(offset, chunkSize + 4L);
            this.compressedCapacity = 2L * chunkSize;
            this.compressed = memory.share(offset + chunkSize + 4L, compressedCapacity);
            this.view = data.getByteBuffer(0, chunkSize);
            this.summed = view.duplicate();
        }

        /** Native bytes one chunk needs. */
        public static long footprint(int chunkSize) { return chunkSize + 4L + 2L * chunkSize; }

        /** Where to put the media bytes (position 0, limit the chunk size); set {@link #length} after. */
        public ByteBuffer buffer() { return view.clear(); }

        public void length(int bytes) {
            this.length = bytes;
            this.prepared = -1;
        }

        public int length() { return length; }
    }

    private final Ewf.Lib l;
    private final String name;
    private final int chunkSize;
    /** Volatile: {@link #prepare} reads it without the lock. */
    private volatile PointerByReference handle;
    private final PointerByReference error = new PointerByReference();
    private long chunksWritten;

    private EwfWriter(Ewf.Lib l, String name, PointerByReference handle, int chunkSize) {
        this.l = l;
        this.name = name;
        this.handle = handle;
        this.chunkSize = chunkSize;
    }

    /**
     * Creates the image whose first segment is {@code basename}.E01 (libewf names the segments),
     * with the settings and the header values (libewf's identifiers: case_number, examiner_name,
     * evidence_number, description, notes, acquiry_software...; blank values are left out).
     *
     * @throws IOException naming the image and libewf's reason
     */
    public static EwfWriter create(String basename, Settings settings, Map<String, String> headerValues) throws IOException {
        Ewf.Lib l = Ewf.library();
        PointerByReference h = new PointerByReference();
        PointerByReference err = new PointerByReference();
        if (l.libewf_handle_initialize(h, err) != 1) throw new IOException("libewf: " + Ewf.describe(l, err));
        EwfWriter w = new EwfWriter(l, basename + ".E01", h, settings.chunkSize());
        try {
            if (l.libewf_handle_open(h.getValue(), new String[] {basename}, 1, ACCESS_WRITE, err) != 1) {
                throw new IOException("libewf cannot create " + basename + ".E01: " + Ewf.describe(l, err));
            }
            w.check(l.libewf_handle_set_format(w.ptr(), FORMAT_ENCASE6, w.error), "setting the EnCase 6 format");
            w.check(l.libewf_handle_set_media_type(w.ptr(), MEDIA_TYPE_FIXED, w.error), "setting the media type");
            w.check(l.libewf_handle_set_media_flags(w.ptr(), MEDIA_FLAG_PHYSICAL, w.error), "setting the media flags");
            w.check(l.libewf_handle_set_bytes_per_sector(w.ptr(), settings.bytesPerSector(), w.error),
                    "setting " + settings.bytesPerSector() + " bytes per sector");
            w.check(l.libewf_handle_set_sectors_per_chunk(w.ptr(), settings.sectorsPerChunk(), w.error),
                    "setting " + settings.sectorsPerChunk() + " sectors per chunk");
            w.check(l.libewf_handle_set_media_size(w.ptr(), settings.mediaSize(), w.error),
                    "setting the media size " + settings.mediaSize());
            if (settings.maximumSegmentSize() > 0) {
                w.check(l.libewf_handle_set_maximum_segment_size(w.ptr(), settings.maximumSegmentSize(), w.error),
                        "setting the segment size " + settings.maximumSegmentSize());
            }
            w.check(l.libewf_handle_set_compression_values(w.ptr(), (byte) settings.compressionLevel(), (byte) 0, w.error),
                    "setting compression level " + settings.compressionLevel());
            for (Map.Entry<String, String> e : headerValues.entrySet()) {
                if (e.getValue() == null || e.getValue().isBlank()) continue;
                // NUL-terminated although the lengths leave the NUL out: libewf copies one byte past
                // the length (measured: without the NUL, values came out of ewfinfo missing at random).
                byte[] id = LibC.cString(e.getKey().getBytes(StandardCharsets.US_ASCII));
                byte[] value = LibC.cString(e.getValue().getBytes(StandardCharsets.UTF_8));
                w.check(l.libewf_handle_set_utf8_header_value(w.ptr(), id, id.length - 1, value, value.length - 1, w.error),
                        "setting header value " + e.getKey());
            }
            return w;
        } catch (IOException | RuntimeException e) {
            w.close();
            throw e;
        }
    }

    public int chunkSize() { return chunkSize; }

    /**
     * Compresses (at the level set) and checksums one chunk, as {@code ewfacquire} does before
     * writing it. Thread-safe across chunks: no lock, no handle state changed.
     *
     * @throws IOException with libewf's reason
     */
    public void prepare(Chunk c) throws IOException {
        c.compressedSize.setValue(c.compressedCapacity);
        long n = l.libewf_handle_prepare_write_chunk(ptr(), c.data, c.length, c.compressed, c.compressedSize,
                c.isCompressed, c.checksum, c.writeChecksum, c.error);
        if (n < 0) throw new IOException(name + ": libewf failed preparing a chunk of " + c.length + " bytes: " + Ewf.describe(l, c.error));
        c.prepared = n;
    }

    /**
     * Prepares a chunk to be stored uncompressed without trying to compress it: what
     * {@link #prepare} leaves when deflate does not make the chunk smaller (libewf 20140813,
     * libewf_chunk_data_pack_buffer for the EnCase formats: not compressed, its Adler-32 over the
     * chunk's bytes, seed 1, passed beside the data with the checksum-set flag, the size the
     * chunk's length), so {@link #write} lays it out as libewf would: the bytes, then the
     * checksum little-endian. For chunks the caller knows deflate cannot shrink (random-looking
     * bytes), where compressing first would only spend the time. Thread-safe across chunks.
     */
    public void prepareUncompressed(Chunk c) {
        c.adler.reset();
        c.adler.update(c.summed.clear().limit(c.length));
        c.isCompressed.setValue((byte) 0);
        c.checksum.setValue((int) c.adler.getValue());
        c.writeChecksum.setValue(CHUNK_IO_FLAG_CHECKSUM_SET);
        c.prepared = c.length;
    }

    /**
     * Appends a prepared chunk, the next in media order.
     *
     * @throws IOException with libewf's reason (a full disk, for one)
     */
    public synchronized void write(Chunk c) throws IOException {
        if (c.prepared < 0) throw new IllegalStateException("chunk " + chunksWritten + " of " + name + " was not prepared");
        boolean packed = c.isCompressed.getValue() != 0;
        long n = l.libewf_handle_write_chunk(ptr(), packed ? c.compressed : c.data, c.prepared, c.length,
                c.isCompressed.getValue(), c.data.share(c.length), c.checksum.getValue(), c.writeChecksum.getValue(), error);
        if (n < 0) throw failure("writing chunk " + chunksWritten);
        chunksWritten++;
    }

    /** Records sectors that could not be read in the image's error list, as ewfacquire does. */
    public synchronized void appendAcquiryError(long firstSector, long sectors) throws IOException {
        check(l.libewf_handle_append_acquiry_error(ptr(), firstSector, sectors, error),
                "recording unreadable sectors " + firstSector + "+" + sectors);
    }

    /** Stores the media's MD5 and SHA-1 (before {@link #finish}). */
    public synchronized void hashes(byte[] md5, byte[] sha1) throws IOException {
        check(l.libewf_handle_set_md5_hash(ptr(), md5, md5.length, error), "storing the MD5");
        check(l.libewf_handle_set_sha1_hash(ptr(), sha1, sha1.length, error), "storing the SHA-1");
    }

    /** Writes the closing sections (table corrections, hashes, error list): the image is complete on disk. */
    public synchronized void finish() throws IOException {
        if (l.libewf_handle_write_finalize(ptr(), error) < 0) throw failure("finalizing");
    }

    public synchronized long chunksWritten() { return chunksWritten; }

    private Pointer ptr() {
        PointerByReference h = handle;
        if (h == null) throw new IllegalStateException("EWF writer of " + name + " is closed");
        return h.getValue();
    }

    private void check(int rc, String what) throws IOException {
        if (rc != 1) throw failure(what);
    }

    private IOException failure(String what) {
        return new IOException(name + ": libewf failed " + what + ": " + Ewf.describe(l, error));
    }

    @Override
    public synchronized void close() {
        if (handle == null) return;
        PointerByReference err = new PointerByReference();
        l.libewf_handle_close(handle.getValue(), err);
        Ewf.describe(l, err);
        l.libewf_handle_free(handle, err);
        Ewf.describe(l, err);
        handle = null;
    }
}
