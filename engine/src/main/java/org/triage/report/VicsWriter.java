package org.triage.report;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.triage.model.Algorithm;
import org.triage.model.CategoryTable;
import org.triage.model.ContentType;
import org.triage.model.FileRecord;
import org.triage.model.Match;
import org.triage.model.RecordListener;
import org.triage.model.SetKind;

/**
 * Writes the pictures and videos a scan saw as a VICS JSON document (OData, 2.0 context), so that a
 * lab can send new material's hashes to CAID / Project VIC for grading without anyone handling the
 * device again. One Media object per distinct content (grouped by MD5, else SHA-1, else SHA-256):
 * {@code MediaID} (1, 2, … in order of first sighting), {@code MD5} and {@code SHA1} (upper-case
 * hex, as VICS writes them), {@code MediaSize}, {@code Category} of a match when there is one (the
 * most severe per the {@link CategoryTable}; a number when the source's category is one, as VICS
 * has it), absent when nothing matched, and {@code MediaFiles}: one {@code {FileName, FilePath}}
 * per copy found ({@code FilePath}: evidence item and folder, '/'-separated). Never content.
 *
 * <p>Media are gathered in memory (one small object per distinct picture or video, plus one per
 * copy) and written at {@link #close()}, to a temporary file renamed into place, so a killed scan
 * leaves no half document. Single-threaded: driven by the recording stage.
 */
public final class VicsWriter implements RecordListener, AutoCloseable {
    static final String CONTEXT = "http://github.com/VICSDATAMODEL/ProjectVic/DataModels/2.0.xml/Default/$metadata#Media";
    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    private final OutputTarget target;
    private final CategoryTable categories;
    private final Map<String, Media> media = new LinkedHashMap<>();

    private static final class Media {
        String md5;
        String sha1;
        long size;
        String category;
        final List<String[]> files = new ArrayList<>(1);
    }

    public VicsWriter(Path file) {
        this(file, CategoryTable.defaults());
    }

    public VicsWriter(Path file, CategoryTable categories) {
        this(OutputTarget.file(file), categories);
    }

    /** Writes to a file (0600, moved into place when complete: {@link OutputTarget}) or a stream. */
    public VicsWriter(OutputTarget target, CategoryTable categories) {
        this.target = target;
        this.categories = categories;
    }

    @Override
    public void onRecord(FileRecord r) {
        if (r.contentType() == null || r.contentType().media() == ContentType.Media.NONE || r.error() != null) return;
        String md5 = hex(r.digests().get(Algorithm.MD5));
        String sha1 = hex(r.digests().get(Algorithm.SHA1));
        String key = md5 != null ? "md5:" + md5 : sha1 != null ? "sha1:" + sha1 : hex(r.digests().get(Algorithm.SHA256));
        if (key == null) return;
        Media m = media.computeIfAbsent(key, k -> new Media());
        m.md5 = md5;
        m.sha1 = sha1;
        m.size = r.size();
        for (Match match : r.matches()) {
            String c = match.category();
            if (c == null || c.isEmpty()) continue;
            if (m.category == null || rank(match, c) > rankOf(m.category)) m.category = c;
        }
        String full = r.path().display();
        int slash = full.lastIndexOf('/');
        String folder = slash < 0 ? "" : full.substring(0, slash);
        String name = slash < 0 ? full : full.substring(slash + 1);
        String source = r.source().endsWith("/") ? r.source() : r.source() + "/";
        m.files.add(new String[] {name, folder.isEmpty() ? r.source() : source + folder});
    }

    private int rank(Match match, String category) {
        return (match.kind() == SetKind.ALERT ? 1000 : 0) + categories.severity(category);
    }

    private int rankOf(String category) {
        return 1000 + categories.severity(category);
    }

    private static String hex(byte[] d) {
        return d == null ? null : HEX.formatHex(d);
    }

    /** Writes the document. */
    @Override
    public void close() throws IOException {
        target.write(this::writeDocument);
    }

    private void writeDocument(OutputStream out) throws IOException {
        try (JsonGenerator g = new JsonFactory().createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeStringField("@odata.context", CONTEXT);
            g.writeArrayFieldStart("value");
            long id = 0;
            for (Media m : media.values()) {
                g.writeRaw('\n');
                g.writeStartObject();
                g.writeNumberField("MediaID", ++id);
                if (m.category != null) {
                    if (m.category.matches("[0-9]{1,9}")) g.writeNumberField("Category", Integer.parseInt(m.category));
                    else g.writeStringField("Category", m.category);
                }
                if (m.md5 != null) g.writeStringField("MD5", m.md5);
                if (m.sha1 != null) g.writeStringField("SHA1", m.sha1);
                g.writeNumberField("MediaSize", m.size);
                g.writeArrayFieldStart("MediaFiles");
                for (String[] f : m.files) {
                    g.writeStartObject();
                    g.writeStringField("FileName", f[0]);
                    g.writeStringField("FilePath", f[1]);
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeRaw('\n');
            g.writeEndArray();
            g.writeEndObject();
            g.writeRaw('\n');
        }
    }

    /** Number of distinct pictures and videos gathered so far. */
    public int mediaCount() {
        return media.size();
    }

}
