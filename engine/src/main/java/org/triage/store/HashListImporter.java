package org.triage.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.triage.model.Algorithm;

/**
 * Reads and validates a whole hash-list file before anything is written to a store.
 *
 * <p>Accepted lines (the algorithm is told by the digest's length, 32, 40 or 64 hex characters, so
 * a file may mix algorithms; hex in either case):
 * <pre>
 *   &lt;hex&gt;                      the default category, if any
 *   &lt;hex&gt;,&lt;category&gt;           a category for this line
 *   &lt;hex&gt;&lt;TAB&gt;&lt;category&gt;
 *   &lt;hex&gt;  &lt;file name&gt;          md5sum/sha1sum/sha256sum output (text mode)
 *   &lt;hex&gt; *&lt;file name&gt;          (binary mode)
 *   \&lt;hex&gt;  &lt;escaped name&gt;      (a name with a backslash or newline; the name is ignored)
 * </pre>
 * The separator follows the digest directly: in {@code <hex> ,x} the space makes it an md5sum line
 * (and a bad one), because a file name may itself start with a comma. Blank lines and lines
 * starting with '#' are skipped; leading blanks, trailing spaces, blanks around a category, CR
 * before LF and a UTF-8 byte-order mark are ignored. A category must be valid UTF-8 without control characters (it ends up in tab-separated
 * exports). The first bad line stops the read with an {@link ImportException} naming file:line.
 *
 * <p>The file is read once, as bytes, in 64 KiB chunks: the same chunks feed the SHA-256 of the
 * file and the line splitter, and lines are parsed in place (no String per line). File names in
 * md5sum lines are never decoded.
 *
 * <p>One instance reads one file on one thread.
 */
final class HashListImporter {
    /** Longest line accepted; md5sum lines carry a path, at most a few KiB in practice. */
    static final int MAX_LINE = 1 << 20;
    private static final int CHUNK = 1 << 16;
    private static final int MAX_SHOWN = 72;
    private static final byte[] NIBBLE = new byte[256];

    static {
        Arrays.fill(NIBBLE, (byte) -1);
        for (int c = '0'; c <= '9'; c++) NIBBLE[c] = (byte) (c - '0');
        for (int c = 'a'; c <= 'f'; c++) NIBBLE[c] = (byte) (c - 'a' + 10);
        for (int c = 'A'; c <= 'F'; c++) NIBBLE[c] = (byte) (c - 'A' + 10);
    }

    /**
     * A parsed file.
     *
     * @param tables     per algorithm that occurs in the file, its digests (unsorted, with repeats)
     * @param categories category by id; id 0 is "" (no category)
     * @param lines      lines read, blank and comment lines included
     * @param sha256     SHA-256 of the file, lower-case hex
     */
    record HashList(Map<Algorithm, DigestTable> tables, List<String> categories, long lines, String sha256) {
        boolean isEmpty() {
            for (DigestTable t : tables.values()) {
                if (t.size() > 0) return false;
            }
            return true;
        }
    }

    private final Path file;
    private final int defaultCategory;
    private final Map<Algorithm, DigestTable> tables = new EnumMap<>(Algorithm.class);
    private final List<String> categories = new ArrayList<>();
    private final Map<String, Integer> categoryIds = new HashMap<>();
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final byte[] digest = new byte[32];

    private HashListImporter(Path file, String defaultCategory) {
        this.file = file;
        categories.add("");
        categoryIds.put("", 0);
        this.defaultCategory = defaultCategory == null ? 0 : intern(defaultCategory);
    }

    /**
     * Reads and validates the whole file.
     *
     * @param defaultCategory category for lines that give none, or null
     * @throws ImportException at the first bad line, or when the file holds no digest
     * @throws StoreException  when the file cannot be read
     */
    static HashList read(Path file, String defaultCategory) throws StoreException {
        return new HashListImporter(file, defaultCategory).readAll();
    }

    private HashList readAll() throws StoreException {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
        long lineNo = 0;
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[CHUNK];
            byte[] pending = new byte[256];
            int pendingLen = 0;
            int n;
            while ((n = in.read(buf)) > 0) {
                sha256.update(buf, 0, n);
                int start = 0;
                for (int i = 0; i < n; i++) {
                    if (buf[i] != '\n') continue;
                    lineNo++;
                    if (pendingLen == 0) {
                        parseLine(buf, start, i, lineNo);
                    } else {
                        pending = append(pending, pendingLen, buf, start, i - start, lineNo);
                        parseLine(pending, 0, pendingLen + i - start, lineNo);
                        pendingLen = 0;
                    }
                    start = i + 1;
                }
                pending = append(pending, pendingLen, buf, start, n - start, lineNo + 1);
                pendingLen += n - start;
            }
            if (pendingLen > 0) parseLine(pending, 0, pendingLen, ++lineNo);
        } catch (ImportException e) {
            throw e;
        } catch (IOException e) {
            throw new StoreException("cannot read hash list " + file + ": " + e, e);
        }
        HashList list = new HashList(Collections.unmodifiableMap(tables), List.copyOf(categories), lineNo,
                HexFormat.of().formatHex(sha256.digest()));
        if (list.isEmpty()) throw new ImportException(file, 0, "no digest in the file");
        return list;
    }

    private byte[] append(byte[] pending, int pendingLen, byte[] src, int off, int len, long lineNo)
            throws ImportException {
        if (len == 0) return pending;
        int need = pendingLen + len;
        if (need > MAX_LINE) throw new ImportException(file, lineNo, "line longer than " + MAX_LINE + " bytes");
        if (need > pending.length) pending = Arrays.copyOf(pending, Math.max(need, pending.length * 2));
        System.arraycopy(src, off, pending, pendingLen, len);
        return pending;
    }

    private void parseLine(byte[] b, int from, int to, long lineNo) throws ImportException {
        if (to - from > MAX_LINE) throw new ImportException(file, lineNo, "line longer than " + MAX_LINE + " bytes");
        if (lineNo == 1 && to - from >= 3 && b[from] == (byte) 0xEF && b[from + 1] == (byte) 0xBB
                && b[from + 2] == (byte) 0xBF) {
            from += 3;
        }
        int s = from;
        int e = to;
        while (s < e && isBlank(b[s])) s++;
        // Trailing tabs are kept: "<digest><TAB>" is a line with an empty category.
        while (e > s && (b[e - 1] == ' ' || b[e - 1] == '\r')) e--;
        if (s == e || b[s] == '#') return;
        boolean escaped = b[s] == '\\';
        if (escaped) s++;
        int j = s;
        while (j < e && b[j] != ',' && b[j] != '\t' && b[j] != ' ') j++;
        Algorithm algorithm = decodeHex(b, s, j, lineNo);
        int category;
        if (j == e) {
            if (escaped) throw new ImportException(file, lineNo, "a line starting with '\\' must be md5sum output ('\\<digest>  <file name>')");
            category = defaultCategory;
        } else if (b[j] == ' ') {
            if (j + 2 >= e || (b[j + 1] != ' ' && b[j + 1] != '*')) {
                throw new ImportException(file, lineNo, "expected '<digest>  <file name>', '<digest> *<file name>', "
                        + "'<digest>,<category>' or '<digest><TAB><category>' after '" + shown(b, s, j) + "'");
            }
            category = defaultCategory;
        } else {
            if (escaped) throw new ImportException(file, lineNo, "a line starting with '\\' must be md5sum output ('\\<digest>  <file name>')");
            category = category(b, j, e, lineNo);
        }
        DigestTable table = tables.computeIfAbsent(algorithm, a -> new DigestTable(a.length()));
        if (table.isFull()) {
            throw new ImportException(file, lineNo, "more than " + table.maxEntries() + " " + algorithm.id()
                    + " digests in one file; split the file");
        }
        table.add(digest, 0, category);
    }

    private static boolean isBlank(byte c) { return c == ' ' || c == '\t'; }

    /** Decodes b[s, j) into {@link #digest}; returns its algorithm. */
    private Algorithm decodeHex(byte[] b, int s, int j, long lineNo) throws ImportException {
        Algorithm algorithm = Algorithm.forHexLength(j - s);
        if (algorithm == null) {
            throw new ImportException(file, lineNo, "'" + shown(b, s, j) + "' is not a hex digest of 32, 40 or 64 characters");
        }
        for (int i = s, o = 0; i < j; i += 2, o++) {
            int hi = NIBBLE[b[i] & 0xff];
            int lo = NIBBLE[b[i + 1] & 0xff];
            if (hi < 0 || lo < 0) {
                int bad = hi < 0 ? i : i + 1;
                throw new ImportException(file, lineNo, "'" + shown(b, s, j) + "' is not a hex digest of 32, 40 or 64 characters"
                        + " (column " + (bad - s + 1) + " is '" + shown(b, bad, bad + 1) + "')");
            }
            digest[o] = (byte) (hi << 4 | lo);
        }
        return algorithm;
    }

    /** The category after the separator at b[j], up to e, without surrounding blanks. */
    private int category(byte[] b, int j, int e, long lineNo) throws ImportException {
        String sep = b[j] == ',' ? "','" : "TAB";
        int s = j + 1;
        while (s < e && isBlank(b[s])) s++;
        while (e > s && isBlank(b[e - 1])) e--;
        if (s == e) throw new ImportException(file, lineNo, "empty category after " + sep);
        String text;
        try {
            text = utf8.reset().decode(ByteBuffer.wrap(b, s, e - s)).toString();
        } catch (CharacterCodingException ex) {
            throw new ImportException(file, lineNo, "category is not valid UTF-8");
        }
        for (int i = 0; i < text.length(); i++) {
            if (Character.isISOControl(text.charAt(i))) {
                throw new ImportException(file, lineNo, "category '" + text.replaceAll("\\p{Cntrl}", "?")
                        + "' contains a control character (tab, newline...)");
            }
        }
        return intern(text);
    }

    private int intern(String category) {
        Integer id = categoryIds.get(category);
        if (id != null) return id;
        int next = categories.size();
        categories.add(category);
        categoryIds.put(category, next);
        return next;
    }

    /** A bad token for a message: decoded leniently, control characters replaced, shortened. */
    private static String shown(byte[] b, int s, int e) {
        String t = new String(b, s, Math.min(e - s, MAX_SHOWN), StandardCharsets.UTF_8).replaceAll("\\p{Cntrl}", "?");
        return e - s > MAX_SHOWN ? t + "..." : t;
    }
}
