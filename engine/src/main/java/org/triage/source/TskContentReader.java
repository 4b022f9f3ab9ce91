package org.triage.source;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Reads one data attribute of a file in an image through libtsk ({@code tsk_fs_attr_read}), which
 * handles runs, sparse and uninitialised ranges, resident data, compression and deleted-file
 * recovery. Reads into native memory owned by this reader (grown up to 1 MiB, reused), then copies
 * into the caller's array. A metadata attribute without any allocated run (NTFS {@code $BadClus:$Bad})
 * has no content to read: it reads as empty, as sleuthkit's {@code icat} does; an allocated file that
 * is all hole reads as zeros of its size, again as {@code icat} gives it. A deleted file whose
 * clusters were partly reused ends where libtsk's recovery stops (libtsk returns no more data), again
 * as {@code icat} gives it. For an allocated file, content shorter than its size is an error, never a
 * digest of what was read ("read N of M bytes: why"): libtsk gives a FAT file whose cluster chain
 * loops or breaks no run at all ({@link Tsk#unmapped}), and a damaged inode can claim more bytes than
 * the whole filesystem holds, so such a file is read no further than its runs cover. In an EWF
 * image, content read to its end is checked against the chunks that failed their checksum
 * ({@link #damage()}).
 *
 * <p>Owns the libtsk file; owned by one thread; close it (idempotent).
 */
final class TskContentReader implements ContentReader {
    private static final int MAX_BUFFER = 1 << 20;

    private final Tsk.File file;
    private final Pointer attr;
    private final long fsOffset;
    private final long blockSize;
    private final String where;
    private final long size;
    private final boolean deleted;
    private final EwfImage ewf;
    /** The acquisition's stream this content is read from ({@link MediaReads}), or null. */
    private final MediaReads media;
    /** Bytes of this content the stream no longer held, read again from the evidence. */
    private long reread;
    /** Where reading stops with an error for an allocated file whose content is not all there, or -1. */
    private final long limit;
    /** Why content ends at {@link #limit}. */
    private final String shortBy;
    private Memory buffer;
    private long offset;
    private boolean ended;
    private boolean checked;
    private String damage;

    /**
     * @param fsSize the filesystem's size in bytes: no allocated file's content is larger unless sparse
     * @param meta   a filesystem metadata file: one libtsk maps to no data ({@code $BadClus:$Bad}) reads as empty
     * @param ewf    the EWF image whose failed chunks the content is checked against at its end, or null
     * @param media  the stream the content is read from, checked against its unreadable ranges at the end, or null
     */
    TskContentReader(Tsk.File file, Pointer attr, long fsOffset, long blockSize, long fsSize, String where,
                     boolean deleted, boolean meta, EwfImage ewf, MediaReads media) {
        this.deleted = deleted;
        this.ewf = ewf;
        this.media = media;
        this.file = file;
        this.attr = attr;
        this.fsOffset = fsOffset;
        this.blockSize = blockSize;
        this.where = where;
        // Only metadata and deleted entries read an all-sparse attribute as empty ($BadClus:$Bad, as
        // icat gives it); an allocated file that is one hole (truncate -s 1M) is its size in zeros,
        // as icat gives it, never the empty file's digest.
        this.size = (Tsk.unmapped(attr) || Tsk.allSparse(attr)) && (deleted || meta) ? 0 : attr.getLong(Tsk.ATTR_SIZE);
        if (!deleted && !meta && Tsk.unmapped(attr)) {
            limit = 0;
            shortBy = "no cluster or block is mapped to its content (libtsk found its chain looping or broken)";
        } else if (!deleted && size > fsSize && Tsk.coveredEnd(attr, blockSize) < size) {
            // A damaged inode's size: reading it would yield sparse zeros for as long as it claims.
            limit = Math.min(size, Tsk.coveredEnd(attr, blockSize));
            shortBy = "its size exceeds the filesystem's " + fsSize + " bytes and its runs cover only " + limit;
        } else {
            limit = -1;
            shortBy = null;
        }
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (file.closed()) throw new IOException(where + ": reader is closed");
        if (offset >= size) return -1;
        if (len == 0) return 0;
        int want = (int) Math.min(Math.min(len, MAX_BUFFER), available());
        if (buffer == null || buffer.size() < want) {
            buffer = new Memory(Math.min(MAX_BUFFER, Integer.highestOneBit(Math.max(want, 8192) - 1) << 1));
        }
        long n = readAt(buffer, want);
        if (n < 0) return -1;
        buffer.read(0, buf, off, (int) n);
        offset += n;
        return (int) n;
    }

    @Override
    public int read(Pointer dst, int len) throws IOException {
        if (file.closed()) throw new IOException(where + ": reader is closed");
        if (offset >= size) return -1;
        if (len == 0) return 0;
        int want = (int) Math.min(len, available());
        long n = readAt(dst, want);
        if (n < 0) return -1;
        offset += n;
        return (int) n;
    }

    /** Bytes left to read; throws where an allocated file's content ends before its size. */
    private long available() throws IOException {
        if (limit >= 0 && offset >= limit) throw shortRead(shortBy);
        return (limit >= 0 ? limit : size) - offset;
    }

    private IOException shortRead(String why) {
        return new IOException(where + ": read " + offset + " of " + size + " bytes: " + why);
    }

    /** One libtsk read at the current offset: the byte count, or -1 where a deleted file's recovery stops. */
    private long readAt(Pointer dst, int want) throws IOException {
        long n;
        if (media == null) {
            n = file.read(attr, offset, dst, want);
        } else {
            long before = media.content(true);
            try {
                n = file.read(attr, offset, dst, want);
            } finally {
                reread += media.content(false) - before;
            }
        }
        if (n == 0 && deleted) { // recovery stops here
            ended = true;
            return -1;
        }
        if (n <= 0) {
            String why = n < 0 ? Tsk.error() : "no data returned";
            long at = Tsk.imageOffset(attr, offset, fsOffset, blockSize);
            throw shortRead("read failed at file offset " + offset + (at >= 0 ? " (image offset " + at + ")" : "") + ": " + why);
        }
        return n;
    }

    /** {@inheritDoc} libtsk reads at any offset: this only moves where the next read starts. */
    @Override
    public void seek(long position) throws IOException {
        if (file.closed()) throw new IOException(where + ": reader is closed");
        if (position < 0) throw new IOException(where + ": cannot seek to " + position);
        offset = position;
        ended = false;
    }

    @Override
    public String damage() {
        if (ewf == null && media == null || checked || !(ended || offset >= size) || file.closed()) return damage;
        checked = true;
        if (ewf != null && !ewf.anyFailed()) return null;
        List<long[]> runs = new ArrayList<>();
        Tsk.contentRuns(attr, fsOffset, blockSize, Math.min(offset, size), runs);
        if (media != null) {
            String what = media.damageIn(runs);
            if (what != null) damage = where + ": " + what;
            return damage;
        }
        try {
            String what = ewf.damageIn(runs);
            if (what != null) damage = where + ": " + what;
        } catch (IOException e) {
            damage = where + ": cannot tell whether EWF chunks under it failed their checksum: " + e.getMessage();
        }
        return damage;
    }

    /** {@inheritDoc} Cut to the bytes read: a deleted file whose recovery stopped early, or its size. */
    @Override
    public org.triage.model.ByteRuns byteRuns() {
        if (file.closed()) return null;
        return Tsk.byteRuns(attr, fsOffset, blockSize, Math.min(offset, size));
    }

    @Override
    public void close() {
        if (media != null && reread > 0 && !file.closed()) media.fileReread(where, reread);
        file.close();
    }
}
