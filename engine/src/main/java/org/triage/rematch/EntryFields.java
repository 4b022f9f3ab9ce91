package org.triage.rematch;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.triage.model.Algorithm;
import org.triage.model.ByteRuns;
import org.triage.model.ContentChange;
import org.triage.model.ContentType;
import org.triage.model.Digests;
import org.triage.model.EntryDetails;
import org.triage.model.EntryType;
import org.triage.model.FileRecord;
import org.triage.model.Match;
import org.triage.model.PartitionInfo;
import org.triage.model.PdqHash;
import org.triage.model.PictureHash;
import org.triage.model.RawPath;

/**
 * An entry line's fields as read, before they are checked and made into a {@link FileRecord}.
 * Both readers of an entry line fill one: {@link EntryLineScanner} (the scan's own layout, read
 * from the bytes) and {@link ListingLineParser} (any JSON, through jackson), so that what a field
 * means, and which lines are bad, is said in one place whichever reader took the line.
 *
 * <p>A scratch slot, reused line after line by the one reader that owns it: {@link #clear()}
 * before each line; nothing of it outlives {@link #build()} (the digests it built are handed on,
 * the arrays are made anew for the next line).
 */
final class EntryFields {
    /** Entry types and content types by the label the listing writes. */
    private static final Map<String, EntryType> ENTRY_TYPES = new HashMap<>();
    private static final Map<String, ContentType> CONTENT_TYPES = new HashMap<>();

    /** Every label an entry's "type" may have, the very strings the maps hold (their hashes made once). */
    static final List<String> TYPE_LABELS;

    static {
        for (EntryType t : EntryType.values()) ENTRY_TYPES.put(t.label(), t);
        for (ContentType t : ContentType.values()) {
            if (t != ContentType.OTHER) CONTENT_TYPES.put(t.label(), t);
        }
        List<String> labels = new ArrayList<>(CONTENT_TYPES.keySet());
        labels.addAll(ENTRY_TYPES.keySet());
        TYPE_LABELS = List.copyOf(labels);
    }

    String source;
    String path;
    byte[] pathExact;
    List<String> container;
    List<byte[]> containerExact;
    long size;
    String type;
    boolean extMismatch;
    /** By {@link Algorithm#ordinal()}; the array is reused, its digests are not. */
    final byte[][] digests = new byte[3][];
    /** Bit per {@link Algorithm#ordinal()} of the digests the line has. */
    int algorithms;
    String error;
    ContentChange change;
    String hardLinkOf;
    byte[] hardLinkExact;
    PartitionInfo partition;
    long inode;
    boolean deleted;
    String stream;
    boolean meta;
    String note;
    /** Whether the line has any of "pdq", "pdq_quality", "pdq_error": a picture of a scan with PDQ on. */
    boolean pdqSeen;
    PdqHash pdq;
    /** "pdq_quality", or -1 when null or missing. */
    int pdqQuality;
    String pdqError;
    /** "runs" as read so far, or null when the line has none (nor "runs": "resident"). */
    ByteRuns.Builder runs;
    boolean resident;
    /** "runs_total", or -1. */
    long runsTotal;
    /** Why "runs" cannot be taken, or null. */
    String runsBad;

    void clear() {
        source = null;
        path = null;
        pathExact = null;
        container = null;
        containerExact = null;
        size = 0;
        type = null;
        extMismatch = false;
        digests[0] = digests[1] = digests[2] = null;
        algorithms = 0;
        error = null;
        change = null;
        hardLinkOf = null;
        hardLinkExact = null;
        partition = null;
        inode = -1;
        deleted = false;
        stream = null;
        meta = false;
        note = null;
        pdqSeen = false;
        pdq = null;
        pdqQuality = -1;
        pdqError = null;
        runs = null;
        resident = false;
        runsTotal = -1;
        runsBad = null;
    }

    /** One run of "runs": an image offset (-1 for {@code null}, a hole) and a length. */
    void run(long imageOffset, long length) {
        if (runs == null) runs = new ByteRuns.Builder();
        if (imageOffset < -1 || length < 0) {
            if (runsBad == null) runsBad = "a run of 'runs' is not [offset or null, length] with neither negative";
            return;
        }
        runs.add(imageOffset, length);
    }

    void digest(Algorithm a, byte[] d) {
        digests[a.ordinal()] = d;
        algorithms |= 1 << a.ordinal();
    }

    /** The entry, without matches (the re-match looks them up anew), or why the fields do not make one. */
    ListingLineParser.Line build() {
        if (source == null || source.isEmpty()) return new ListingLineParser.Bad("an entry without its evidence item ('source')");
        if (path == null) return new ListingLineParser.Bad("an entry without a 'path'");
        if (type == null) return new ListingLineParser.Bad("an entry without a 'type'");
        RawPath raw = pathExact != null ? RawPath.of(pathExact) : RawPath.of(path);
        List<RawPath> chain = List.of();
        if (container != null && !container.isEmpty()) {
            if (containerExact != null && containerExact.size() != container.size()) {
                return new ListingLineParser.Bad("'container_b64' does not have one name per name of 'container'");
            }
            List<RawPath> c = new ArrayList<>(container.size());
            for (int i = 0; i < container.size(); i++) {
                c.add(containerExact != null ? RawPath.of(containerExact.get(i)) : RawPath.of(container.get(i)));
            }
            chain = c;
        }
        EntryType entryType;
        ContentType contentType = CONTENT_TYPES.get(type);
        if (contentType != null) {
            entryType = EntryType.FILE;
        } else {
            entryType = ENTRY_TYPES.getOrDefault(type, EntryType.OTHER);
            // "file" is a regular file: read (content of no type we tell apart) or not (then the error says why).
            if (entryType == EntryType.FILE && error == null) contentType = ContentType.OTHER;
        }
        RawPath link = hardLinkExact != null ? RawPath.of(hardLinkExact) : hardLinkOf != null ? RawPath.of(hardLinkOf) : null;
        if (runsBad != null) return new ListingLineParser.Bad(runsBad);
        ByteRuns where = null;
        if (resident) {
            where = ByteRuns.RESIDENT;
        } else if (runs != null) {
            where = runs.build();
            if (runsTotal > where.total()) where = new ByteRuns(where.runs(), runsTotal, false);
        }
        EntryDetails details = partition == null && inode < 0 && !deleted && stream == null && !meta && where == null ? null
                : new EntryDetails(partition, inode, deleted, stream, meta, where);
        PictureHash picture = null;
        if (pdqSeen) {
            // As the writer has it: a hash with its quality, or the reason there is none. Near matches
            // are not read: the re-match (and a resumed scan) asks its own store, as for digests.
            if ((pdq == null) == (pdqError == null)) {
                return new ListingLineParser.Bad("a picture needs exactly one of 'pdq' and 'pdq_error'");
            }
            if (pdq != null && (pdqQuality < 0 || pdqQuality > 100)) {
                return new ListingLineParser.Bad("'pdq_quality' is not a whole number from 0 to 100");
            }
            picture = pdq != null ? PictureHash.hashed(pdq, pdqQuality, List.of()) : PictureHash.failed(pdqError);
        }
        return new ListingLineParser.Entry(new FileRecord(source, raw, entryType, size,
                algorithms == 0 ? Digests.NONE : Digests.of(digests), List.<Match>of(), error, link, contentType,
                extMismatch, details, change, chain, note, picture), algorithms);
    }

    private static final VarHandle BIG_LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    /** A PDQ hash from its 32 bytes in text order ({@link #hex} of its 64 digits): the highest word first. */
    static PdqHash pdq(byte[] d) {
        return new PdqHash((long) BIG_LONGS.get(d, 24), (long) BIG_LONGS.get(d, 16), (long) BIG_LONGS.get(d, 8),
                (long) BIG_LONGS.get(d, 0));
    }

    /** A name's exact bytes from its base64 form; null when it is not base64 (the display form is then kept). */
    static byte[] base64(String s) {
        if (s == null) return null;
        try {
            return Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Every name's exact bytes, or null when one of them is not base64 (the display forms are then kept). */
    static List<byte[]> base64s(List<String> names) {
        List<byte[]> out = new ArrayList<>(names.size());
        for (String s : names) {
            byte[] b = base64(s);
            if (b == null) return null;
            out.add(b);
        }
        return out;
    }

    private static final byte[] NIBBLE = new byte[128];

    static {
        java.util.Arrays.fill(NIBBLE, (byte) -1);
        for (int c = '0'; c <= '9'; c++) NIBBLE[c] = (byte) (c - '0');
        for (int c = 'a'; c <= 'f'; c++) NIBBLE[c] = (byte) (c - 'a' + 10);
        for (int c = 'A'; c <= 'F'; c++) NIBBLE[c] = (byte) (c - 'A' + 10);
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH = 0x8080808080808080L;

    /**
     * The digest of {@code a} written in hex at {@code buf[at, at + a.hexLength())}; null when those
     * are not all hex digits. Eight digits at a time, checked and turned into four bytes with
     * arithmetic on a long (no table, no branch per digit): three digests a line were a quarter of
     * the re-match's parsing with a table lookup per digit.
     */
    static byte[] hex(byte[] buf, int at, Algorithm a) {
        int n = a.hexLength();
        if (n % 8 != 0) return hexByDigit(buf, at, a);
        byte[] out = new byte[a.length()];
        for (int i = 0; i < n; i += 8) {
            long x = (long) LONGS.get(buf, at + i);
            if ((x & HIGH) != 0) return null; // not ASCII
            long letter = between(x | 0x2020202020202020L, 'a' - 1, 'f' + 1); // a-f, A-F
            if ((between(x, '0' - 1, '9' + 1) | letter) != HIGH) return null;
            long nibbles = (x & 0x0F0F0F0F0F0F0F0FL) + (letter >>> 7) * 9;
            // Digit 2k (high nibble) and 2k+1 into byte k of each 16-bit lane, then the lanes' bytes side by side.
            long bytes = (nibbles << 4 | nibbles >>> 8) & 0x00FF00FF00FF00FFL;
            bytes = (bytes | bytes >>> 8) & 0x0000FFFF0000FFFFL;
            bytes = (bytes | bytes >>> 16) & 0xFFFFFFFFL;
            INTS.set(out, i / 2, (int) bytes);
        }
        return out;
    }

    /** Per byte of {@code x} (each below 0x80): 0x80 where {@code m < byte < n}, else 0 ("hasbetween", Bit Twiddling Hacks). */
    private static long between(long x, int m, int n) {
        long low = x & ONES * 127;
        return (ONES * (127 + n) - low) & ~x & (low + ONES * (127 - m)) & HIGH;
    }

    private static byte[] hexByDigit(byte[] buf, int at, Algorithm a) {
        byte[] out = new byte[a.length()];
        for (int i = 0; i < out.length; i++) {
            int hi = buf[at + 2 * i];
            int lo = buf[at + 2 * i + 1];
            if (hi < 0 || lo < 0) return null;
            int h = NIBBLE[hi];
            int l = NIBBLE[lo];
            if ((h | l) < 0) return null;
            out[i] = (byte) (h << 4 | l);
        }
        return out;
    }

    /** As {@link #hex(byte[], int, Algorithm)}, from characters. */
    static byte[] hex(char[] c, int at, Algorithm a) {
        byte[] out = new byte[a.length()];
        for (int i = 0; i < out.length; i++) {
            char hi = c[at + 2 * i];
            char lo = c[at + 2 * i + 1];
            if (hi >= 128 || lo >= 128) return null;
            int h = NIBBLE[hi];
            int l = NIBBLE[lo];
            if ((h | l) < 0) return null;
            out[i] = (byte) (h << 4 | l);
        }
        return out;
    }
}
