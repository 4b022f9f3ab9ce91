package org.triage.source;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.ByteByReference;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * libewf (Debian package {@code libewf2}, soname {@code libewf.so.2}, version 20140813) through
 * JNA: the calls that open an EWF image read-only, read its media, and tell which chunks failed
 * their checksum. The binding in one place, as {@link Tsk} is for libtsk.
 *
 * <p>Every call takes the handle's monitor: libtsk calls {@link Handle#read} from whichever reader
 * thread holds its image lock while another thread may ask for the checksum errors, and a libewf
 * built without its own locking must never see two calls at once.
 */
final class Ewf {
    private static final int ACCESS_READ = 1;
    private static final int SEEK_SET = 0;

    interface Lib extends Library {
        int libewf_handle_initialize(PointerByReference handle, PointerByReference error);

        int libewf_handle_open(Pointer handle, String[] files, int count, int access, PointerByReference error);

        int libewf_handle_close(Pointer handle, PointerByReference error);

        int libewf_handle_free(PointerByReference handle, PointerByReference error);

        long libewf_handle_read_random(Pointer handle, Pointer buffer, long size, long offset, PointerByReference error);

        long libewf_handle_seek_offset(Pointer handle, long offset, int whence, PointerByReference error);

        int libewf_handle_get_filename_size(Pointer handle, LongByReference size, PointerByReference error);

        int libewf_handle_get_filename(Pointer handle, Pointer name, long size, PointerByReference error);

        int libewf_handle_get_media_size(Pointer handle, LongByReference size, PointerByReference error);

        int libewf_handle_get_bytes_per_sector(Pointer handle, IntByReference bytes, PointerByReference error);

        int libewf_handle_get_sectors_per_chunk(Pointer handle, IntByReference sectors, PointerByReference error);

        int libewf_handle_set_read_zero_chunk_on_error(Pointer handle, byte zero, PointerByReference error);

        int libewf_handle_get_number_of_checksum_errors(Pointer handle, IntByReference count, PointerByReference error);

        int libewf_handle_get_checksum_error(Pointer handle, int index, LongByReference firstSector,
                                             LongByReference sectors, PointerByReference error);

        long libewf_handle_read_chunk(Pointer handle, Pointer chunk, long size, ByteByReference compressed,
                                      Pointer checksumBuffer, IntByReference checksum, ByteByReference ioFlags,
                                      PointerByReference error);

        long libewf_handle_prepare_read_chunk(Pointer handle, Pointer chunk, long size, Pointer out, LongByReference outSize,
                                              byte compressed, int checksum, byte ioFlags, PointerByReference error);

        int libewf_handle_get_md5_hash(Pointer handle, Pointer md5, long size, PointerByReference error);

        int libewf_handle_get_sha1_hash(Pointer handle, Pointer sha1, long size, PointerByReference error);

        // Writing (EwfWriter): signatures as in libewf 20140813's include/libewf.h.
        int libewf_handle_set_format(Pointer handle, byte format, PointerByReference error);

        int libewf_handle_set_media_type(Pointer handle, byte type, PointerByReference error);

        int libewf_handle_set_media_flags(Pointer handle, byte flags, PointerByReference error);

        int libewf_handle_set_media_size(Pointer handle, long size, PointerByReference error);

        int libewf_handle_set_bytes_per_sector(Pointer handle, int bytes, PointerByReference error);

        int libewf_handle_set_sectors_per_chunk(Pointer handle, int sectors, PointerByReference error);

        int libewf_handle_set_maximum_segment_size(Pointer handle, long size, PointerByReference error);

        int libewf_handle_set_compression_values(Pointer handle, byte level, byte flags, PointerByReference error);

        int libewf_handle_set_utf8_header_value(Pointer handle, byte[] identifier, long identifierLength, byte[] value,
                                                long valueLength, PointerByReference error);

        long libewf_handle_prepare_write_chunk(Pointer handle, Pointer chunk, long size, Pointer compressed,
                                               LongByReference compressedSize, ByteByReference isCompressed,
                                               IntByReference checksum, ByteByReference writeChecksum, PointerByReference error);

        long libewf_handle_write_chunk(Pointer handle, Pointer chunk, long chunkSize, long dataSize, byte isCompressed,
                                       Pointer checksumBuffer, int checksum, byte writeChecksum, PointerByReference error);

        long libewf_handle_write_buffer(Pointer handle, Pointer buffer, long size, PointerByReference error);

        long libewf_handle_write_finalize(Pointer handle, PointerByReference error);

        int libewf_handle_set_md5_hash(Pointer handle, byte[] md5, long size, PointerByReference error);

        int libewf_handle_set_sha1_hash(Pointer handle, byte[] sha1, long size, PointerByReference error);

        int libewf_handle_append_acquiry_error(Pointer handle, long firstSector, long sectors, PointerByReference error);

        int libewf_error_sprint(Pointer error, Pointer text, long size);

        void libewf_error_free(PointerByReference error);
    }

    private static volatile Lib lib;

    private Ewf() {
    }

    static synchronized Lib library() throws IOException {
        if (lib == null) {
            try {
                org.triage.natives.JnaSetup.init();
                lib = Native.load(System.getProperty("triage.libewf", "libewf.so.2"), Lib.class);
            } catch (UnsatisfiedLinkError e) {
                throw new IOException("EWF images need libewf.so.2, which is not installed (on Debian: apt-get install libewf2)", e);
            }
        }
        return lib;
    }

    /** A failed chunk: the media sectors libewf reported, as (first sector, number of sectors). */
    record ChecksumError(long firstSector, long sectors) {
    }

    /** An open EWF image (a {@code libewf_handle_t}), read-only; closed once. */
    static final class Handle implements AutoCloseable {
        private final Lib l;
        private final String name;
        private PointerByReference handle;
        private final PointerByReference error = new PointerByReference();
        /** Reused by {@link #checksumErrorCount}, which runs after every read. */
        private final IntByReference countOut = new IntByReference();

        private Handle(Lib l, String name, PointerByReference handle) {
            this.l = l;
            this.name = name;
            this.handle = handle;
        }

        /**
         * Opens the segments (all of them, in order) with the read access flag only.
         *
         * @throws IOException naming the first segment and libewf's reason
         */
        static Handle open(List<String> segments) throws IOException {
            Lib l = library();
            PointerByReference h = new PointerByReference();
            PointerByReference err = new PointerByReference();
            if (l.libewf_handle_initialize(h, err) != 1) throw new IOException("libewf: " + describe(l, err));
            Handle out = new Handle(l, segments.get(0), h);
            if (l.libewf_handle_open(h.getValue(), segments.toArray(new String[0]), segments.size(), ACCESS_READ, err) != 1) {
                String why = describe(l, err);
                out.close();
                throw new IOException("libewf cannot open " + segments.get(0) + ": " + why);
            }
            return out;
        }

        private Pointer ptr() {
            if (handle == null) throw new IllegalStateException("EWF handle of " + name + " is closed");
            return handle.getValue();
        }

        synchronized long mediaSize() throws IOException {
            LongByReference v = new LongByReference();
            if (l.libewf_handle_get_media_size(ptr(), v, error) != 1) throw failure("media size");
            return v.getValue();
        }

        synchronized int bytesPerSector() throws IOException {
            IntByReference v = new IntByReference();
            if (l.libewf_handle_get_bytes_per_sector(ptr(), v, error) != 1) throw failure("bytes per sector");
            return v.getValue();
        }

        synchronized int sectorsPerChunk() throws IOException {
            IntByReference v = new IntByReference();
            if (l.libewf_handle_get_sectors_per_chunk(ptr(), v, error) != 1) throw failure("sectors per chunk");
            return v.getValue();
        }

        /** Whether a chunk that fails its checksum reads as zeros (libewf's default) or as stored. */
        synchronized void zeroChunkOnError(boolean zero) throws IOException {
            if (l.libewf_handle_set_read_zero_chunk_on_error(ptr(), (byte) (zero ? 1 : 0), error) != 1) {
                throw failure("setting zero-on-error");
            }
        }

        /**
         * Reads media bytes at {@code offset} into {@code buf}; fewer than {@code len} only at the end
         * of the media.
         *
         * @throws IOException with libewf's reason
         */
        synchronized long read(long offset, Pointer buf, long len) throws IOException {
            Pointer h = ptr();
            long done = 0;
            while (done < len) {
                long n = l.libewf_handle_read_random(h, done == 0 ? buf : buf.share(done), len - done, offset + done, error);
                if (n < 0) throw failure("reading " + (len - done) + " bytes at media offset " + (offset + done));
                if (n == 0) break;
                done += n;
            }
            return done;
        }

        /** The chunks that failed their checksum among those read so far through this handle, in libewf's order. */
        synchronized List<ChecksumError> checksumErrors() throws IOException {
            IntByReference count = new IntByReference();
            if (l.libewf_handle_get_number_of_checksum_errors(ptr(), count, error) != 1) throw failure("checksum error count");
            List<ChecksumError> out = new ArrayList<>(count.getValue());
            LongByReference first = new LongByReference();
            LongByReference sectors = new LongByReference();
            for (int i = 0; i < count.getValue(); i++) {
                if (l.libewf_handle_get_checksum_error(ptr(), i, first, sectors, error) != 1) throw failure("checksum error " + i);
                out.add(new ChecksumError(first.getValue(), sectors.getValue()));
            }
            return out;
        }

        /** How many chunks failed so far: cheap, for the common question "any at all?". */
        synchronized int checksumErrorCount() throws IOException {
            if (l.libewf_handle_get_number_of_checksum_errors(ptr(), countOut, error) != 1) throw failure("checksum error count");
            return countOut.getValue();
        }

        /**
         * A failed chunk decoded deterministically, or null when it is stored uncompressed. With
         * zero-on-error off libewf returns a failed compressed chunk from a buffer it never cleared:
         * what its decompression wrote, then whatever the allocator left (zeros in a fresh process
         * such as ewfverify's, anything in a long-lived one). Decoding it again into zeroed memory
         * ({@code libewf_handle_read_chunk}, then {@code libewf_handle_prepare_read_chunk}, which
         * fails as expected) gives those same decoded bytes and zeros after them, every time. An
         * uncompressed chunk reads as stored, which is already deterministic.
         *
         * @param offset    media offset of the chunk's first byte
         * @param chunkSize bytes per chunk
         */
        synchronized byte[] decodeFailedChunk(long offset, int chunkSize) throws IOException {
            Pointer h = ptr();
            if (l.libewf_handle_seek_offset(h, offset, SEEK_SET, error) < 0) throw failure("seeking to media offset " + offset);
            long rawSize = 2L * chunkSize + 64; // a compressed chunk is stored compressed only when smaller, but be generous
            try (Memory raw = new Memory(rawSize); Memory checksumBuf = new Memory(4); Memory out = new Memory(chunkSize + 64L)) {
                ByteByReference compressed = new ByteByReference();
                IntByReference checksum = new IntByReference();
                ByteByReference flags = new ByteByReference();
                long n = l.libewf_handle_read_chunk(h, raw, rawSize, compressed, checksumBuf, checksum, flags, error);
                if (n < 0) throw failure("reading the stored chunk at media offset " + offset);
                if (compressed.getValue() == 0) return null;
                out.clear();
                LongByReference outSize = new LongByReference(chunkSize + 64L);
                l.libewf_handle_prepare_read_chunk(h, raw, n, out, outSize, compressed.getValue(), checksum.getValue(),
                        flags.getValue(), error);
                describe(l, error); // fails: that is why the chunk is here
                return out.getByteArray(0, chunkSize);
            }
        }

        /** The segment file that stores the chunk holding media byte {@code offset}, as it was opened. */
        synchronized String segmentAt(long offset) throws IOException {
            Pointer h = ptr();
            if (l.libewf_handle_seek_offset(h, offset, SEEK_SET, error) < 0) throw failure("seeking to media offset " + offset);
            LongByReference size = new LongByReference();
            if (l.libewf_handle_get_filename_size(h, size, error) != 1) throw failure("segment name size");
            try (Memory text = new Memory(Math.max(1, size.getValue()))) {
                if (l.libewf_handle_get_filename(h, text, size.getValue(), error) != 1) throw failure("segment name");
                return new String(text.getByteArray(0, (int) Math.max(0, size.getValue() - 1)), StandardCharsets.UTF_8);
            }
        }

        /** The acquisition MD5 and SHA-1 stored in the image (lower-case hex, either null when absent). */
        synchronized String[] storedHashes() {
            String[] out = new String[2];
            try (Memory buf = new Memory(20)) {
                if (l.libewf_handle_get_md5_hash(ptr(), buf, 16, error) == 1) {
                    out[0] = HexFormat.of().formatHex(buf.getByteArray(0, 16));
                } else {
                    describe(l, error);
                }
                if (l.libewf_handle_get_sha1_hash(ptr(), buf, 20, error) == 1) {
                    out[1] = HexFormat.of().formatHex(buf.getByteArray(0, 20));
                } else {
                    describe(l, error);
                }
            }
            return out;
        }

        private IOException failure(String what) {
            return new IOException(name + ": libewf failed " + what + ": " + describe(l, error));
        }

        @Override
        public synchronized void close() {
            if (handle == null) return;
            PointerByReference err = new PointerByReference();
            l.libewf_handle_close(handle.getValue(), err);
            describe(l, err);
            l.libewf_handle_free(handle, err);
            describe(l, err);
            handle = null;
        }
    }

    /** The error's text, then frees it; "" when no error was set. */
    static String describe(Lib l, PointerByReference error) {
        Pointer e = error.getValue();
        if (e == null) return "";
        try (Memory text = new Memory(1024)) {
            l.libewf_error_sprint(e, text, 1024);
            return text.getString(0).trim();
        } finally {
            l.libewf_error_free(error);
            error.setValue(null);
        }
    }
}
