package org.triage.rematch;

import com.fasterxml.jackson.core.JsonFactory;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.triage.model.FileRecord;

/**
 * Reads the entries of all-files listings for a resumed scan ({@link org.triage.Checkpoint}): every
 * complete line that parses as an entry, in order. A last line without its end of line is what a
 * kill leaves (the line was being handed to the file): it is left out, as is any line that does not
 * parse. Matches are not read: the scan looks the digests up again. Streams the file: memory is
 * what the caller keeps, not the listing's size.
 */
public final class CheckpointReader {
    private CheckpointReader() {
    }

    /** Hands every complete entry of {@code listing} to {@code sink}; returns the lines left out. */
    public static long read(Path listing, Consumer<FileRecord> sink) throws IOException {
        ListingLineParser parser = new ListingLineParser(new JsonFactory());
        ByteArrayOutputStream line = new ByteArrayOutputStream(1024);
        long bad = 0;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(listing), 1 << 16)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                int start = 0;
                for (int i = 0; i < n; i++) {
                    if (buf[i] != '\n') continue;
                    line.write(buf, start, i - start);
                    if (!take(parser, line, sink)) bad++;
                    line.reset();
                    start = i + 1;
                }
                line.write(buf, start, n - start);
            }
        }
        if (line.size() > 0) bad++; // torn by the kill
        return bad;
    }

    private static boolean take(ListingLineParser parser, ByteArrayOutputStream line, Consumer<FileRecord> sink) {
        if (line.size() == 0) return true;
        byte[] b = line.toByteArray();
        ListingLineParser.Line l = parser.parse(b, 0, b.length, true);
        if (l instanceof ListingLineParser.Entry e) sink.accept(e.record());
        return !(l instanceof ListingLineParser.Bad);
    }
}
