package org.triage.source;

import com.sun.jna.Pointer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.triage.model.ImageInfo.ChecksumError;

/**
 * An EWF image opened through our own libewf handle and handed to libtsk as an external image, so
 * that the scan knows which chunks failed their checksum.
 *
 * <p>Why not let libtsk open the E01 itself, as it can: libtsk 4.11 keeps its libewf handle to
 * itself and leaves libewf's default, which fills a chunk whose checksum fails with zeros and says
 * nothing. A flipped byte in an E01 then gave a file hashed with no error and a wrong digest, a
 * --verify hash that was not ewfverify's, and a corrupt all-zero chunk that verified as a match.
 * libtsk exports {@code tsk_img_open_external}, which takes any read function: libtsk keeps its
 * cache and its lock and calls {@link #read} for the rest, so the one libewf handle is ours to ask
 * ({@code libewf_handle_get_checksum_error}) and to configure. The other route, reading libtsk's
 * handle pointer out of its private {@code IMG_EWF_INFO}, would depend on an unexported layout and
 * would still leave libtsk to read zeros. Cost: one JNA up-call per libtsk read that misses its
 * cache; file content is read in pieces of 64 KiB and more, so that is small (measured, see the
 * README's figures).
 *
 * <p>Reading: zero-on-error is off, as {@code ewfverify} and {@code ewfexport} run by default, so a
 * corrupt chunk stored uncompressed reads as stored (one flipped byte stays one flipped byte
 * instead of 32 KiB of zeros that were never acquired) and a --verify pass hashes the media as
 * ewfverify does. A corrupt compressed chunk is the exception: libewf then hands back a buffer it
 * never cleared, different from run to run in a long-lived JVM (seen: three scans, three media
 * hashes), so such a chunk is decoded again into zeroed memory ({@link Ewf.Handle#decodeFailedChunk})
 * and those bytes replace libewf's: what its decompression produced, zeros after, every time;
 * ewfverify, a fresh process whose heap is still zeros, prints that same hash.
 *
 * <p>Which chunks failed is libewf's list, filled as chunks are first read. After each read the
 * count is asked for (one cheap call); the list itself is fetched again only when the count
 * changed or the read touched or bordered a known failed range (libewf merges adjacent failed
 * chunks, which grows a range without changing the count). A file's content is checked against the
 * list once the file has been read to its end ({@link #damageIn}), which is after every chunk under
 * it was read, whichever thread read it first; that check makes no native call while nothing failed.
 * Only runs of non-resident data are checked: content stored inside metadata (an NTFS-resident
 * file in its MFT entry) is not tied to its chunk; a failed chunk there still shows in the image's
 * list.
 *
 * <p>Ownership and threading: owns the libewf handle and the libtsk image. {@link #read} runs on
 * reader threads under libtsk's image lock, the queries on any thread; both take this object's
 * monitor, then the handle's (never the other way round). Close after the filesystems opened on
 * {@link #image()} are closed. The checksum errors stay known after close.
 */
final class EwfImage implements AutoCloseable {
    private static final int NAMED_PER_FILE = 5;
    private static final int DECODED_KEPT = 64;

    private final Ewf.Handle handle;
    private final long size;
    private final int sectorSize;
    private final int sectorsPerChunk;
    private final int chunkSize;
    private final Tsk.Image image;
    private final ExtInodeGuard guard;

    // Guarded by this. libewf's list of failed ranges, mirrored: refreshed after a read that may
    // have changed it, so that the common read (no failed chunk anywhere) costs one count query.
    /** Failed ranges by first media byte; libewf merges adjacent failed chunks into one range. */
    private final TreeMap<Long, Ewf.ChecksumError> failed = new TreeMap<>();
    private int failedCount;
    /** Written under this object's monitor, read without it: lets a file's end-of-content check skip the lock. */
    private volatile boolean anyFailed;
    /** Failed chunks by index: true when stored compressed (its bytes are mended), false when stored as is. */
    private final Map<Long, Boolean> compressed = new HashMap<>();
    /**
     * The deterministic bytes of the failed compressed chunks read last. Bounded: a damaged segment
     * can fail thousands of chunks, and decoding one again costs one chunk's read.
     */
    private final Map<Long, byte[]> decoded = new java.util.LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, byte[]> eldest) { return size() > DECODED_KEPT; }
    };
    /** Segments by failed range: asking libewf means seeking the handle, so once per range. */
    private final Map<Ewf.ChecksumError, List<String>> segmentsOf = new HashMap<>();
    private boolean closed;

    private EwfImage(Ewf.Handle handle, List<String> segments) throws IOException {
        this.handle = handle;
        this.size = handle.mediaSize();
        this.sectorSize = handle.bytesPerSector();
        this.sectorsPerChunk = Math.max(1, handle.sectorsPerChunk());
        this.chunkSize = sectorsPerChunk * sectorSize;
        handle.zeroChunkOnError(false);
        this.guard = new ExtInodeGuard(size, (offset, buf, len) -> read(null, offset, buf, len, false));
        this.image = Tsk.Image.openExternal(size, sectorSize, segments, this::read);
    }

    /**
     * Opens every segment read-only.
     *
     * @throws IOException naming the image and libewf's or libtsk's reason
     */
    static EwfImage open(List<String> segments) throws IOException {
        Ewf.Handle h = Ewf.Handle.open(segments);
        try {
            return new EwfImage(h, segments);
        } catch (IOException | RuntimeException e) {
            h.close();
            throw e;
        }
    }

    /** The image as libtsk sees it; closed by {@link #close()}. */
    Tsk.Image image() { return image; }

    /** Screens the ext inode tables libtsk reads from this image. */
    ExtInodeGuard guard() { return guard; }

    /** The acquisition MD5 and SHA-1 stored in the image (hex, either null when absent). */
    String[] storedHashes() { return handle.storedHashes(); }

    /** libtsk's read function: never throws (see {@link Tsk.ImageRead}). */
    private long read(Pointer img, long offset, Pointer buf, long len) {
        return read(img, offset, buf, len, true);
    }

    /** The decoded media, screened by the {@link ExtInodeGuard} for libtsk, or as it is for the guard itself. */
    private long read(Pointer img, long offset, Pointer buf, long len, boolean screen) {
        try {
            if (offset < 0 || offset > size) {
                Tsk.setError("EWF read at media offset " + offset + ", beyond the media's " + size + " bytes");
                return -1;
            }
            synchronized (this) {
                long n = handle.read(offset, buf, Math.min(len, size - offset));
                if (n > 0) mendFailed(offset, buf, n);
                if (screen) guard.screen(offset, buf, n);
                return n;
            }
        } catch (Throwable t) {
            return Tsk.readFailed(t);
        }
    }

    /**
     * After a read of {@code [offset, offset + n)}: learns the chunks that failed, and puts each
     * failed compressed chunk's deterministic bytes ({@link Ewf.Handle#decodeFailedChunk}) in place of
     * what libewf returned for it.
     */
    private void mendFailed(long offset, Pointer buf, long n) throws IOException {
        long end = offset + n;
        int count = handle.checksumErrorCount();
        if (count == 0) return;
        // A read that found a failed chunk either changed the count (a new range, or two merged)
        // or grew a range it touches or borders: refresh only then.
        if (count != failedCount || near(offset, end)) refreshFailed(count);
        Map.Entry<Long, Ewf.ChecksumError> e = failed.floorEntry(end - 1);
        while (e != null && endByte(e.getValue()) > offset) {
            Ewf.ChecksumError r = e.getValue();
            long from = Math.max(offset, e.getKey());
            long to = Math.min(end, endByte(r));
            for (long chunk = from / chunkSize; chunk * chunkSize < to; chunk++) {
                if (Boolean.FALSE.equals(compressed.get(chunk))) continue; // libewf returned the stored bytes
                byte[] good = decoded.get(chunk);
                if (good == null) {
                    good = handle.decodeFailedChunk(chunk * chunkSize, chunkSize);
                    compressed.put(chunk, good != null);
                    if (good == null) continue;
                    decoded.put(chunk, good);
                }
                long a = Math.max(from, chunk * chunkSize);
                long b = Math.min(to, (chunk + 1) * chunkSize);
                buf.write(a - offset, good, (int) (a - chunk * chunkSize), (int) (b - a));
            }
            e = failed.lowerEntry(e.getKey());
        }
    }

    /** True when {@code [offset, end)} touches or borders (within a chunk) a known failed range. */
    private boolean near(long offset, long end) {
        Map.Entry<Long, Ewf.ChecksumError> e = failed.floorEntry(end + chunkSize);
        return e != null && endByte(e.getValue()) + chunkSize > offset;
    }

    private void refreshFailed(int count) throws IOException {
        failed.clear();
        for (Ewf.ChecksumError r : handle.checksumErrors()) failed.put(r.firstSector() * sectorSize, r);
        failedCount = count;
        anyFailed = !failed.isEmpty();
    }

    private long endByte(Ewf.ChecksumError r) {
        return (r.firstSector() + r.sectors()) * sectorSize;
    }

    /**
     * The chunks that failed their checksum among those read so far, in media order, with the
     * segment files that store them. Still answers after {@link #close()}.
     *
     * @throws IOException when libewf cannot name a segment
     */
    synchronized List<ChecksumError> checksumErrors() throws IOException {
        List<ChecksumError> out = new ArrayList<>(failed.size());
        for (Ewf.ChecksumError e : failed.values()) out.add(new ChecksumError(e.firstSector(), e.sectors(), sectorSize, segments(e)));
        return out;
    }

    /** The segment files holding a range's chunks, found as ewfverify finds them: seek to each chunk, ask its file. */
    private List<String> segments(Ewf.ChecksumError e) throws IOException {
        List<String> known = segmentsOf.get(e);
        if (known != null) return known;
        if (closed) return List.of("(unknown: image closed)");
        Set<String> names = new LinkedHashSet<>();
        for (long s = e.firstSector(); s < e.firstSector() + e.sectors(); s += sectorsPerChunk) {
            names.add(handle.segmentAt(s * sectorSize));
        }
        List<String> out = List.copyOf(names);
        segmentsOf.put(e, out);
        return out;
    }

    /** True once any chunk read so far failed its checksum; no lock, no native call. */
    boolean anyFailed() { return anyFailed; }

    /**
     * What is wrong with content stored in {@code runs} ((image offset, length) pairs), or null: the
     * failed chunks it overlaps, named by segment, sectors and image offset. No native call while
     * no chunk has failed.
     */
    synchronized String damageIn(List<long[]> runs) throws IOException {
        if (failed.isEmpty()) return null;
        List<ChecksumError> hit = new ArrayList<>();
        for (Ewf.ChecksumError e : failed.values()) {
            long from = e.firstSector() * sectorSize;
            long to = endByte(e);
            for (long[] r : runs) {
                if (r[0] < to && from < r[0] + r[1]) {
                    hit.add(new ChecksumError(e.firstSector(), e.sectors(), sectorSize, segments(e)));
                    break;
                }
            }
        }
        if (hit.isEmpty()) return null;
        StringBuilder b = new StringBuilder(hit.size() == 1 ? "EWF checksum error in " : "EWF checksum errors in ");
        for (int i = 0; i < Math.min(hit.size(), NAMED_PER_FILE); i++) {
            if (i > 0) b.append("; ");
            b.append(hit.get(i).describe());
        }
        if (hit.size() > NAMED_PER_FILE) b.append("; and ").append(hit.size() - NAMED_PER_FILE).append(" more");
        return b.append(": content there is not what was acquired").toString();
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) return;
            try {
                checksumErrors(); // names every segment while the handle is open
            } catch (IOException | RuntimeException e) {
                System.getLogger(EwfImage.class.getName()).log(System.Logger.Level.WARNING,
                        "cannot name the segments of the EWF chunks that failed: " + e.getMessage());
            }
            closed = true;
        }
        image.close();
        handle.close();
    }
}
