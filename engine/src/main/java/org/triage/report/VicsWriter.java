package org.triage.report;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.triage.model.Algorithm;
import org.triage.model.ContentType;
import org.triage.model.EntryDetails;
import org.triage.model.FileRecord;
import org.triage.model.Match;
import org.triage.model.RecordListener;
import org.triage.model.SetKind;
import org.triage.model.TakenAs;
import org.triage.priority.CategoryTable;

/**
 * Writes the pictures and videos a scan saw as a VICS 2.0 JSON document (OData, {@code #Media}),
 * so that a lab can send new material's hashes to CAID / Project VIC for grading, or load them
 * into Griffeye, without anyone handling the device again. Never content.
 *
 * <h2>Media</h2>
 * One per distinct content (grouped by MD5, else SHA-1, else SHA-256), with the field types of
 * Project VIC's own files: {@code MediaID} (1, 2, … in order of first sighting) and
 * {@code MediaSize} integers; {@code MD5}, {@code SHA1} upper-case hex; SHA-256, which VICS 2.0
 * has no property of its own for, as {@code AlternativeHashes: [{"HashName": "SHA256",
 * "HashValue": …}]}. {@code Category} is an integer and only ever a VICS number: the most severe
 * (per the {@link CategoryTable}) category of an alert-set match, when that category is a whole
 * number. A category that is not (a UK letter, a lab's text) is not a VICS number and no number is
 * made up for it: {@code Category} is left out and the category goes, as its source wrote it, in
 * the OData instance annotation {@code "@triage.category"}, which VICS readers skip and our
 * importer reads back. A Media that matched any set carries {@code "@triage.sets"} (set, kind,
 * category of each match) and a {@code Comments} line saying so, so that an alert match without a
 * category is never mistaken for new material; new material has neither.
 *
 * <h2>MediaFiles</h2>
 * One per copy: {@code FileName} (for an NTFS alternate data stream {@code file:stream}, as
 * Windows tools write it), {@code FilePath} (the folder as the examiner finds it: for a directory
 * evidence item its absolute path on this machine; for a single file the folder that holds it, there
 * too ({@link #taken}); for a disk image the folder inside the filesystem, '/'-separated from its
 * root), {@code SourceID} (the evidence item, absolute), VICS's
 * {@code Deleted}, and the listing record's other location fields as annotations:
 * {@code @triage.partition} ({index, offset, type}), {@code @triage.inode},
 * {@code @triage.stream}, {@code @triage.ext_mismatch}.
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
    /** Per evidence item as given: its absolute path and how it was read; made when the document is written. */
    private final Map<String, Source> sources = new HashMap<>();
    /** How each evidence item was read, as the scan's result says ({@link #taken}). */
    private final Map<String, TakenAs> taken = new HashMap<>();

    /** {@code directory}: a directory tree; {@code file}: a single file; neither: an image or device. */
    private record Source(String absolute, boolean directory, boolean file) {
    }

    private static final class Media {
        String md5;
        String sha1;
        String sha256;
        long size;
        /** The most severe alert category, null when none. */
        String category;
        final Map<String, Match> matches = new LinkedHashMap<>();
        final List<Copy> files = new ArrayList<>(1);
    }

    /** One copy of a picture: its name, its folder inside the evidence item, and the item as given. */
    private record Copy(String name, String folder, String source, EntryDetails details, boolean extMismatch) {
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
        String sha256 = hex(r.digests().get(Algorithm.SHA256));
        String key = md5 != null ? "md5:" + md5 : sha1 != null ? "sha1:" + sha1 : sha256 == null ? null : "sha256:" + sha256;
        if (key == null) return;
        Media m = media.computeIfAbsent(key, k -> new Media());
        m.md5 = md5;
        m.sha1 = sha1;
        m.sha256 = sha256;
        m.size = r.size();
        for (Match match : r.matches()) {
            m.matches.putIfAbsent(match.set(), match);
            String c = match.category();
            if (match.kind() != SetKind.ALERT || c == null || c.isEmpty()) continue;
            if (m.category == null || categories.severity(c) > categories.severity(m.category)) m.category = c;
        }
        m.files.add(copy(r));
    }

    private Copy copy(FileRecord r) {
        // An archive member's folder is the chain down to it: "photos.zip!/2024".
        String full = r.chainDisplay();
        int slash = full.lastIndexOf('/');
        String folder = slash < 0 ? "" : full.substring(0, slash);
        String name = slash < 0 ? full : full.substring(slash + 1);
        EntryDetails d = r.details();
        if (d != null && d.stream() != null) name = name + ":" + d.stream();
        return new Copy(name, folder, r.source(), d, r.extMismatch());
    }

    /**
     * Says how an evidence item was read (the scan's {@code EvidenceSummary.taken()}); call before
     * {@link #close()}. Only a single file needs it: its copy's {@code FilePath} is then the folder
     * that holds it on this machine, where the examiner finds it, not "/" as for a file at the root
     * of a disk image. Not said: an item that is not a directory is taken for an image.
     */
    public void taken(String source, TakenAs how) {
        if (how != null) taken.put(source, how);
    }

    /** VICS's FilePath: the folder as the examiner finds it (see the class comment). */
    private String filePath(Copy f, Source s) {
        if (s.directory()) return f.folder().isEmpty() ? s.absolute() : s.absolute() + "/" + f.folder();
        if (s.file()) {
            Path parent = Path.of(s.absolute()).getParent();
            return parent == null ? "/" : parent.toString();
        }
        return "/" + f.folder();
    }

    /** A relative evidence path means nothing to whoever reads the file later: made absolute, once per item. */
    private Source source(String given) {
        Path p = Path.of(given).toAbsolutePath().normalize();
        TakenAs how = taken.get(given);
        return new Source(p.toString(), Files.isDirectory(p), how != null && how.isFile());
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
                writeMedia(g, m, ++id);
            }
            g.writeRaw('\n');
            g.writeEndArray();
            g.writeEndObject();
            g.writeRaw('\n');
        }
    }

    private void writeMedia(JsonGenerator g, Media m, long id) throws IOException {
        g.writeStartObject();
        g.writeNumberField("MediaID", id);
        if (m.category != null) {
            if (isVicsNumber(m.category)) g.writeNumberField("Category", Integer.parseInt(m.category.trim()));
            else g.writeStringField("@triage.category", m.category);
        }
        if (m.md5 != null) g.writeStringField("MD5", m.md5);
        if (m.sha1 != null) g.writeStringField("SHA1", m.sha1);
        if (m.sha256 != null) {
            g.writeArrayFieldStart("AlternativeHashes");
            g.writeStartObject();
            g.writeStringField("HashName", "SHA256");
            g.writeStringField("HashValue", m.sha256);
            g.writeEndObject();
            g.writeEndArray();
        }
        g.writeNumberField("MediaSize", m.size);
        if (!m.matches.isEmpty()) {
            g.writeStringField("Comments", comment(m));
            g.writeArrayFieldStart("@triage.sets");
            for (Match match : m.matches.values()) {
                g.writeStartObject();
                g.writeStringField("set", match.set());
                g.writeStringField("kind", match.kind().label());
                if (match.category() == null) g.writeNullField("category"); else g.writeStringField("category", match.category());
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        g.writeArrayFieldStart("MediaFiles");
        for (Copy f : m.files) writeFile(g, f);
        g.writeEndArray();
        g.writeEndObject();
    }

    private void writeFile(JsonGenerator g, Copy f) throws IOException {
        EntryDetails d = f.details();
        Source s = sources.computeIfAbsent(f.source(), this::source);
        g.writeStartObject();
        g.writeStringField("FileName", f.name());
        g.writeStringField("FilePath", filePath(f, s));
        g.writeStringField("SourceID", s.absolute());
        g.writeBooleanField("Deleted", d != null && d.deleted());
        if (d != null && d.partition() != null) {
            g.writeObjectFieldStart("@triage.partition");
            g.writeNumberField("index", d.partition().index());
            g.writeNumberField("offset", d.partition().offset());
            if (d.partition().type() == null) g.writeNullField("type"); else g.writeStringField("type", d.partition().type());
            g.writeEndObject();
        }
        if (d != null && d.inode() >= 0) g.writeNumberField("@triage.inode", d.inode());
        if (d != null && d.stream() != null) g.writeStringField("@triage.stream", d.stream());
        if (f.extMismatch()) g.writeBooleanField("@triage.ext_mismatch", true);
        g.writeEndObject();
    }

    /** VICS categories are small whole numbers; nothing else is written as one. */
    static boolean isVicsNumber(String category) {
        String c = category.trim();
        return c.length() <= 9 && !c.isEmpty() && c.chars().allMatch(ch -> ch >= '0' && ch <= '9');
    }

    /** For the examiner reading the file in Griffeye: which known sets the picture was in. */
    private static String comment(Media m) {
        StringBuilder b = new StringBuilder("triage: in known-hash set");
        b.append(m.matches.size() == 1 ? " " : "s ");
        boolean first = true;
        for (Match match : m.matches.values()) {
            if (!first) b.append("; ");
            first = false;
            b.append('\'').append(match.set()).append("' (").append(match.kind().label()).append(", ")
                    .append(match.category() == null ? "no category" : "category " + match.category()).append(')');
        }
        return b.toString();
    }

    /** Number of distinct pictures and videos gathered so far. */
    public int mediaCount() {
        return media.size();
    }
}
