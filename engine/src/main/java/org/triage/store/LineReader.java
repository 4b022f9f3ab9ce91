package org.triage.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Splits a text file into lines without decoding it: 64 KiB chunks, lines handed over in place (a
 * line split across chunks is copied once). A UTF-8 byte-order mark on line 1 is dropped; the
 * handler sees the line without its LF (a CR before it stays, for the handler to trim).
 *
 * <p>One instance per file, one thread.
 */
final class LineReader {
    /** Longest line accepted; md5sum lines carry a path, at most a few KiB in practice. */
    static final int MAX_LINE = 1 << 20;
    private static final int CHUNK = 1 << 16;

    /** Receives each line: {@code b[from, to)} is line {@code lineNo} (1-based). */
    interface LineHandler {
        void line(byte[] b, int from, int to, long lineNo) throws IOException;
    }

    private LineReader() {
    }

    /** Reads every line of {@code file}; returns the number of lines. */
    static long read(Path file, LineHandler handler) throws IOException {
        long lineNo = 0;
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[CHUNK];
            byte[] pending = new byte[256];
            int pendingLen = 0;
            int n;
            while ((n = in.read(buf)) > 0) {
                int start = 0;
                for (int i = 0; i < n; i++) {
                    if (buf[i] != '\n') continue;
                    lineNo++;
                    if (pendingLen == 0) {
                        deliver(handler, buf, start, i, lineNo, file);
                    } else {
                        pending = append(file, pending, pendingLen, buf, start, i - start, lineNo);
                        deliver(handler, pending, 0, pendingLen + i - start, lineNo, file);
                        pendingLen = 0;
                    }
                    start = i + 1;
                }
                pending = append(file, pending, pendingLen, buf, start, n - start, lineNo + 1);
                pendingLen += n - start;
            }
            if (pendingLen > 0) deliver(handler, pending, 0, pendingLen, ++lineNo, file);
        }
        return lineNo;
    }

    private static void deliver(LineHandler h, byte[] b, int from, int to, long lineNo, Path file) throws IOException {
        if (to - from > MAX_LINE) throw new ImportException(file, lineNo, "line longer than " + MAX_LINE + " bytes");
        if (lineNo == 1 && to - from >= 3 && b[from] == (byte) 0xEF && b[from + 1] == (byte) 0xBB
                && b[from + 2] == (byte) 0xBF) {
            from += 3;
        }
        h.line(b, from, to, lineNo);
    }

    private static byte[] append(Path file, byte[] pending, int pendingLen, byte[] src, int off, int len, long lineNo)
            throws ImportException {
        if (len == 0) return pending;
        int need = pendingLen + len;
        if (need > MAX_LINE) throw new ImportException(file, lineNo, "line longer than " + MAX_LINE + " bytes");
        if (need > pending.length) pending = Arrays.copyOf(pending, Math.max(need, pending.length * 2));
        System.arraycopy(src, off, pending, pendingLen, len);
        return pending;
    }
}
