package org.triage.rematch;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.triage.model.Algorithm;
import org.triage.model.PartitionInfo;

/**
 * Reads an entry line laid out as the scan's own writer lays it out ({@code report.AllFilesWriter}:
 * one flat JSON object, "source" first, strings without escapes, integers, {@code true}/{@code
 * false}/{@code null}, a partition object, arrays of names) straight from the block's bytes, and
 * finds where the line ends while reading it. Everything else it refuses ({@code null}): escapes,
 * strings that are not valid UTF-8, fractions and exponents, a nested value it does not know,
 * a key twice, anything after the object, a line that is cut short. A refused line goes to
 * {@link ListingLineParser} (jackson), which reads it or says why it is bad; so this scanner never
 * decides that a line is bad, and what it does accept it reads as a JSON parser reads it (checked
 * against jackson by {@code EntryLineScannerTest}).
 *
 * <p>Why: with jackson for every line, making a parser per line, canonicalising each field's name
 * and then switching on it as a String, plus a second pass over the bytes to find each line's end,
 * took about three quarters of a worker's time in the re-match (JFR, 2026-12-01); here a key is
 * told by comparing its bytes with the name expected next in the writer's order.
 *
 * <p>Not thread-safe: one per worker, reused for every line it is given.
 */
final class EntryLineScanner {
    /** The entry's keys, in the order the writer writes them. */
    private static final String[] NAMES = {"source", "path", "path_b64", "container", "container_b64", "note", "size",
            "type", "ext_mismatch", "md5", "sha1", "sha256", "match", "pdq", "pdq_quality", "pdq_error", "error",
            "changed_during_read", "hardlink_of", "hardlink_of_b64", "partition", "inode", "deleted", "stream", "meta", "runs", "runs_total"};
    private static final int SOURCE = 0, PATH = 1, PATH_B64 = 2, CONTAINER = 3, CONTAINER_B64 = 4, NOTE = 5, SIZE = 6,
            TYPE = 7, EXT_MISMATCH = 8, MD5 = 9, SHA1 = 10, SHA256 = 11, MATCH = 12, PDQ = 13, PDQ_QUALITY = 14,
            PDQ_ERROR = 15, ERROR = 16, CHANGED = 17, HARDLINK_OF = 18, HARDLINK_B64 = 19, PARTITION = 20, INODE = 21,
            DELETED = 22, STREAM = 23, META = 24, RUNS = 25, RUNS_TOTAL = 26;
    private static final byte[][] KEYS = new byte[NAMES.length][];

    /** {@link EntryFields#TYPE_LABELS} as bytes; a label is plain string content (letters, '-'). */
    private static final byte[][] LABELS = new byte[EntryFields.TYPE_LABELS.size()][];

    static {
        for (int i = 0; i < NAMES.length; i++) KEYS[i] = NAMES[i].getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < LABELS.length; i++) {
            String label = EntryFields.TYPE_LABELS.get(i);
            if (!label.matches("[ -~&&[^\"\\\\]]*")) throw new IllegalStateException("a type label that is not plain: " + label);
            LABELS[i] = label.getBytes(StandardCharsets.US_ASCII);
        }
    }

    /** Past this a string is left to jackson, which enforces its own limits on what it reads. */
    private static final int LONGEST_STRING = 1 << 16;
    private static final int REFUSED = -1;

    private final EntryFields fields = new EntryFields();
    private byte[] b;
    private int limit;
    private int end;
    /** The string just read ({@link #string}): the bytes between its quotes, and whether all are ASCII. */
    private int strFrom;
    private int strTo;
    private boolean strAscii;
    private String str;
    /** The previous line's source, kept while it repeats (as it does on nearly every line). */
    private final Reused source = new Reused();
    /** The label of the last entry's type: the next one's, most often. */
    private int lastLabel;

    /**
     * The entry line that begins at {@code from}, or null when it is not one this scanner reads
     * (never when it reads no further than {@code limit}). On success {@link #end()} is where the
     * line ends: its '\n', or {@code limit}.
     */
    ListingLineParser.Entry scan(byte[] buf, int from, int limit) {
        b = buf;
        this.limit = limit;
        EntryFields f = fields;
        f.clear();
        int p = space(from);
        if (p >= limit || b[p] != '{') return null;
        p = space(p + 1);
        long seen = 0;
        int expected = SOURCE;
        while (true) {
            if (p >= limit || b[p] != '"') return null;
            int key;
            int keyTo;
            if (expected < KEYS.length && quoted(p + 1, KEYS[expected])) {
                key = expected; // nearly always: the writer's order
                keyTo = p + 1 + KEYS[expected].length;
            } else {
                keyTo = keyEnd(p + 1);
                if (keyTo < 0) return null;
                key = key(p + 1, keyTo);
            }
            if (seen == 0 && key != SOURCE) return null; // the header, an end line, or not the writer's layout
            if (key >= 0) {
                if ((seen & 1L << key) != 0) return null; // a key twice: left to jackson
                seen |= 1L << key;
                expected = key + 1;
            }
            p = space(keyTo + 1);
            if (p >= limit || b[p] != ':') return null;
            p = value(key, space(p + 1));
            if (p < 0) return null;
            p = space(p);
            if (p >= limit) return null;
            if (b[p] == '}') break;
            if (b[p] != ',') return null;
            p = space(p + 1);
        }
        p = space(p + 1);
        if (p < limit && b[p] != '\n') return null;
        end = p;
        return f.build() instanceof ListingLineParser.Entry e ? e : null;
    }

    /** Where the line read by the last successful {@link #scan} ends: its '\n', or the limit given. */
    int end() {
        return end;
    }

    /** Reads the value of {@code key} at {@code p} into the fields; returns where it ends, or {@link #REFUSED}. */
    private int value(int key, int p) {
        if (p >= limit) return REFUSED;
        EntryFields f = fields;
        switch (key) {
            case SOURCE -> {
                if ((p = reused(p, source)) < 0) return REFUSED;
                f.source = source.value;
                return p;
            }
            case TYPE -> {
                if ((p = label(p)) < 0) return REFUSED;
                f.type = str;
                return p;
            }
            case PATH -> {
                if ((p = string(p)) < 0 || text() == null) return REFUSED;
                f.path = str;
                return p;
            }
            case PDQ -> {
                // Only a picture's line has these keys (a scan with PDQ on): a line without them pays nothing.
                f.pdqSeen = true;
                if (b[p] == 'n') return literal(p, "null");
                int to = p + 1 + Algorithm.SHA256.hexLength();
                if (b[p] != '"' || to >= limit || b[to] != '"') return REFUSED;
                byte[] d = EntryFields.hex(b, p + 1, Algorithm.SHA256);
                if (d == null) return REFUSED;
                f.pdq = EntryFields.pdq(d);
                return to + 1;
            }
            case PDQ_QUALITY -> {
                f.pdqSeen = true;
                if (b[p] == 'n') return literal(p, "null");
                int to = integer(p, 3);
                if (to < 0) return REFUSED;
                f.pdqQuality = (int) number(p, to);
                return to;
            }
            case ERROR, HARDLINK_OF, STREAM, PATH_B64, HARDLINK_B64, PDQ_ERROR -> {
                String s = null;
                if (b[p] == 'n') {
                    if ((p = literal(p, "null")) < 0) return REFUSED;
                } else {
                    if ((p = string(p)) < 0 || (s = text()) == null) return REFUSED;
                }
                switch (key) {
                    case ERROR -> f.error = s;
                    case HARDLINK_OF -> f.hardLinkOf = s;
                    case STREAM -> f.stream = s;
                    case PDQ_ERROR -> {
                        f.pdqSeen = true;
                        f.pdqError = s;
                    }
                    case PATH_B64 -> f.pathExact = EntryFields.base64(s);
                    default -> f.hardLinkExact = EntryFields.base64(s);
                }
                return p;
            }
            case CONTAINER, CONTAINER_B64 -> {
                List<String> names = null;
                if (b[p] == 'n') {
                    if ((p = literal(p, "null")) < 0) return REFUSED;
                } else {
                    if (b[p] != '[') return REFUSED;
                    names = new ArrayList<>(2);
                    p = space(p + 1);
                    if (p < limit && b[p] == ']') {
                        p++;
                    } else {
                        while (true) {
                            if ((p = string(p)) < 0 || text() == null) return REFUSED;
                            names.add(str);
                            p = space(p);
                            if (p >= limit) return REFUSED;
                            if (b[p] == ']') {
                                p++;
                                break;
                            }
                            if (b[p] != ',') return REFUSED;
                            p = space(p + 1);
                        }
                    }
                }
                if (key == CONTAINER) f.container = names == null ? List.of() : names;
                else f.containerExact = names == null ? null : EntryFields.base64s(names);
                return p;
            }
            case SIZE, INODE, RUNS_TOTAL -> {
                if (key != SIZE && b[p] == 'n') return literal(p, "null"); // inode, total stay -1
                int to = integer(p, 18);
                if (to < 0) return REFUSED;
                long v = number(p, to);
                if (key == SIZE) f.size = v; else if (key == INODE) f.inode = v; else f.runsTotal = v;
                return to;
            }
            case RUNS -> {
                if (b[p] == 'n') return literal(p, "null");
                if (b[p] == '"') {
                    f.resident = true;
                    return literal(p, "\"resident\""); // any other string: jackson names it
                }
                return runs(p);
            }
            case EXT_MISMATCH, DELETED, META -> {
                boolean v = b[p] == 't';
                if ((p = literal(p, v ? "true" : b[p] == 'f' ? "false" : "null")) < 0) return REFUSED;
                if (key == EXT_MISMATCH) f.extMismatch = v;
                else if (key == DELETED) f.deleted = v;
                else f.meta = v;
                return p;
            }
            case MD5, SHA1, SHA256 -> {
                if (b[p] == 'n') return literal(p, "null");
                Algorithm a = key == MD5 ? Algorithm.MD5 : key == SHA1 ? Algorithm.SHA1 : Algorithm.SHA256;
                // Hex digits are plain string content: the string is exactly them when a '"' follows.
                int to = p + 1 + a.hexLength();
                if (b[p] != '"' || to >= limit || b[to] != '"') return REFUSED;
                byte[] d = EntryFields.hex(b, p + 1, a);
                if (d == null) return REFUSED;
                f.digest(a, d);
                return to + 1;
            }
            case CHANGED -> {
                return literal(p, "null"); // a file that changed while read: rare, left to jackson
            }
            case PARTITION -> {
                return b[p] == 'n' ? literal(p, "null") : partition(p);
            }
            case NOTE -> {
                return b[p] == 'n' ? literal(p, "null") : REFUSED; // a note is rare: jackson reads it (a resume keeps it)
            }
            default -> {
                return skip(p); // "match" (the old store's answer), fields of newer versions
            }
        }
    }

    /**
     * {@code [[offset or null, length], ...]}: a file's runs in the image, as the writer writes them
     * (non-negative integers); anything else, a negative number above all, is left to jackson.
     */
    private int runs(int p) {
        if (b[p] != '[') return REFUSED;
        EntryFields f = fields;
        f.runs = new org.triage.model.ByteRuns.Builder();
        p = space(p + 1);
        if (p < limit && b[p] == ']') return p + 1;
        while (true) {
            if (p >= limit || b[p] != '[') return REFUSED;
            p = space(p + 1);
            if (p >= limit) return REFUSED;
            long offset = -1;
            if (b[p] == 'n') {
                if ((p = literal(p, "null")) < 0) return REFUSED;
            } else {
                int to = integer(p, 18);
                if (to < 0 || b[p] == '-') return REFUSED;
                offset = number(p, to);
                p = to;
            }
            p = space(p);
            if (p >= limit || b[p] != ',') return REFUSED;
            p = space(p + 1);
            int to = p < limit ? integer(p, 18) : REFUSED;
            if (to < 0 || b[p] == '-') return REFUSED;
            long length = number(p, to);
            p = space(to);
            if (p >= limit || b[p] != ']') return REFUSED;
            f.run(offset, length);
            p = space(p + 1);
            if (p >= limit) return REFUSED;
            if (b[p] == ']') return p + 1;
            if (b[p] != ',') return REFUSED;
            p = space(p + 1);
        }
    }

    /** {"index": int, "offset": long, "type": string or null}, in any order, each at most once. */
    private int partition(int p) {
        if (b[p] != '{') return REFUSED;
        int index = 0;
        long offset = 0;
        String kind = null;
        int seen = 0;
        p = space(p + 1);
        if (p < limit && b[p] == '}') {
            fields.partition = new PartitionInfo(0, 0, null);
            return p + 1;
        }
        while (true) {
            if (p >= limit || b[p] != '"') return REFUSED;
            int keyTo = keyEnd(p + 1);
            if (keyTo < 0) return REFUSED;
            int which = is(p + 1, keyTo, "index") ? 1 : is(p + 1, keyTo, "offset") ? 2 : is(p + 1, keyTo, "type") ? 4 : 0;
            if (which == 0 || (seen & which) != 0) return REFUSED;
            seen |= which;
            p = space(keyTo + 1);
            if (p >= limit || b[p] != ':') return REFUSED;
            p = space(p + 1);
            if (p >= limit) return REFUSED;
            if (which == 4) {
                if (b[p] == 'n') {
                    if ((p = literal(p, "null")) < 0) return REFUSED;
                    kind = null;
                } else {
                    if ((p = string(p)) < 0 || (kind = text()) == null) return REFUSED;
                }
            } else {
                int to = integer(p, which == 1 ? 9 : 18);
                if (to < 0) return REFUSED;
                if (which == 1) index = (int) number(p, to); else offset = number(p, to);
                p = to;
            }
            p = space(p);
            if (p >= limit) return REFUSED;
            if (b[p] == '}') break;
            if (b[p] != ',') return REFUSED;
            p = space(p + 1);
        }
        fields.partition = new PartitionInfo(index, offset, kind);
        return p + 1;
    }

    /** Skips a scalar value (an ASCII string, an integer, a literal); anything else is refused. */
    private int skip(int p) {
        return switch (b[p]) {
            case '"' -> {
                int to = string(p);
                yield to < 0 || !strAscii ? REFUSED : to;
            }
            case 'n' -> literal(p, "null");
            case 't' -> literal(p, "true");
            case 'f' -> literal(p, "false");
            default -> integer(p, 18);
        };
    }

    // ---- tokens ----

    /** Past ' ', '\t' and '\r' (JSON's white space within a line). */
    private int space(int p) {
        while (p < limit) {
            byte c = b[p];
            if (c != ' ' && c != '\t' && c != '\r') break;
            p++;
        }
        return p;
    }

    /**
     * A string at {@code p} (its opening quote): its bytes are {@code [strFrom, strTo)}, and the
     * index after its closing quote is returned. Refused: an escape, a control character (so never
     * a line's end), longer than {@link #LONGEST_STRING}.
     */
    private int string(int p) {
        if (b[p] != '"') return REFUSED;
        int from = p + 1;
        int stop = Math.min(limit, from + LONGEST_STRING);
        boolean ascii = true;
        for (int i = from; i < stop; i++) {
            byte c = b[i];
            if (c == '"') {
                strFrom = from;
                strTo = i;
                strAscii = ascii;
                return i + 1;
            }
            if (c < 0) ascii = false;
            else if (c < 0x20 || c == '\\') return REFUSED;
        }
        return REFUSED;
    }

    /**
     * The string just read as text (also kept in {@link #str}), or null when its bytes are not
     * valid UTF-8: the JDK's decoder replaces what is not, and a U+FFFD (written as such, or a
     * replacement) leaves the string to jackson, which reads valid UTF-8 alike and rejects the rest.
     */
    private String text() {
        if (strAscii) return str = new String(b, strFrom, strTo - strFrom, StandardCharsets.ISO_8859_1);
        String s = new String(b, strFrom, strTo - strFrom, StandardCharsets.UTF_8);
        return str = s.indexOf('\uFFFD') >= 0 ? null : s;
    }

    /** A key's closing quote, from its first byte; refused unless the key is printable ASCII without escapes. */
    private int keyEnd(int p) {
        int stop = Math.min(limit, p + 64);
        for (int i = p; i < stop; i++) {
            byte c = b[i];
            if (c == '"') return i;
            if (c < 0x20 || c == '\\') return REFUSED; // c < 0: not ASCII
        }
        return REFUSED;
    }

    /** Which of {@link #KEYS} is at {@code [from, to)}; -1 for another key. */
    private int key(int from, int to) {
        for (int k = 0; k < KEYS.length; k++) {
            if (to - from == KEYS[k].length && quoted(from, KEYS[k])) return k;
        }
        return -1;
    }

    /**
     * Whether {@code text} and then a '"' stand at {@code from}: then the string there is exactly
     * {@code text}, when {@code text} has no quote, backslash or control character (is a string's
     * checked content).
     */
    private boolean quoted(int from, byte[] text) {
        int n = text.length;
        if (from + n >= limit || b[from + n] != '"') return false;
        for (int i = 0; i < n; i++) {
            if (b[from + i] != text[i]) return false;
        }
        return true;
    }

    private boolean is(int from, int to, String name) {
        if (to - from != name.length()) return false;
        for (int i = 0; i < name.length(); i++) {
            if (b[from + i] != name.charAt(i)) return false;
        }
        return true;
    }

    /**
     * {@code word} at {@code p}; returns the index after it. What follows a value (a ',', a '}',
     * white space) is checked by the caller, so "truex" or "12.5" is refused there.
     */
    private int literal(int p, String word) {
        int n = word.length();
        if (p + n > limit) return REFUSED;
        for (int i = 0; i < n; i++) {
            if (b[p + i] != word.charAt(i)) return REFUSED;
        }
        return p + n;
    }

    /**
     * An integer at {@code p} as JSON writes one (an optional '-', no leading zero), of at most
     * {@code digits} digits so that it fits; returns the index after it. A fraction or exponent is refused.
     */
    private int integer(int p, int digits) {
        int i = p;
        if (i < limit && b[i] == '-') i++;
        int first = i;
        while (i < limit && b[i] >= '0' && b[i] <= '9') i++;
        int n = i - first;
        if (n == 0 || n > digits || (n > 1 && b[first] == '0')) return REFUSED;
        return i;
    }

    private long number(int from, int to) {
        boolean negative = b[from] == '-';
        long v = 0;
        for (int i = negative ? from + 1 : from; i < to; i++) v = v * 10 + (b[i] - '0');
        return negative ? -v : v;
    }

    /**
     * A string at {@code p} into {@code r}: the one {@code r} holds when its bytes are the same
     * (no new String, no second look at them), else made and kept. Returns the index after it.
     */
    private int reused(int p, Reused r) {
        if (r.value != null && b[p] == '"' && quoted(p + 1, r.bytes)) return p + 2 + r.bytes.length;
        if ((p = string(p)) < 0 || text() == null) return REFUSED;
        r.bytes = Arrays.copyOfRange(b, strFrom, strTo);
        r.value = str;
        return p;
    }

    /**
     * An entry's type at {@code p}, into {@link #str}: one of the labels a listing writes as the
     * very String the label maps hold (no new String, its hash made once), else as read. Returns
     * the index after it.
     */
    private int label(int p) {
        if (b[p] == '"') {
            for (int i = 0, n = LABELS.length; i < n; i++) {
                int k = (lastLabel + i) % n;
                if (quoted(p + 1, LABELS[k])) {
                    lastLabel = k;
                    str = EntryFields.TYPE_LABELS.get(k);
                    return p + 2 + LABELS[k].length;
                }
            }
        }
        if ((p = string(p)) < 0 || text() == null) return REFUSED;
        return p;
    }

    /** A string kept while the next lines repeat it (an entry's source and type, the same on nearly every line). */
    private static final class Reused {
        /** The string's content as checked by {@link #string}: no quote, backslash or control character. */
        byte[] bytes = new byte[0];
        String value;
    }
}
