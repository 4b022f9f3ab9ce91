package org.triage.casework.report;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.triage.casework.ItemState;
import org.triage.model.Algorithm;
import org.triage.model.EntryDetails;
import org.triage.model.FileRecord;
import org.triage.model.Match;
import org.triage.model.RawPath;
import org.triage.model.SetKind;

/**
 * The case's alert matches as CSV for a spreadsheet: one row per (file, alert set), as the JSON
 * report's {@code matches}, ranked device first; a PDQ near match is a row too, with its
 * {@code distance} (empty for a match by digest). RFC 4180: fields with a comma, a quote or a line
 * break are quoted, quotes doubled, lines end CRLF. A cell that begins with {@code =}, {@code +},
 * {@code -}, {@code @}, a tab or a carriage return gets a leading {@code '}: a spreadsheet would
 * otherwise run it as a formula (a file can be named {@code =HYPERLINK(…)}). That prefix is the
 * one change made to a value; {@code path_b64} carries the exact bytes of a name that is not UTF-8.
 */
public final class CsvMatchReport {
    static final List<String> COLUMNS = List.of("rank", "item", "label", "container", "path", "path_b64", "size", "md5", "sha1",
            "sha256", "set", "category", "distance", "type", "ext_mismatch", "partition", "inode", "deleted", "stream");

    private final CaseContents contents;

    public CsvMatchReport(CaseContents contents) {
        this.contents = contents;
    }

    public void writeTo(OutputStream stream) throws IOException {
        Writer out = new OutputStreamWriter(stream, StandardCharsets.UTF_8);
        line(out, COLUMNS);
        for (ItemSection item : contents.items()) {
            ItemState s = item.entry().item();
            contents.entries(item, f -> {
                FileRecord r = f.record();
                List<ListedFile.Near> hits = new ArrayList<>();
                for (Match m : r.matches()) hits.add(new ListedFile.Near(m, -1));
                hits.addAll(f.near());
                for (ListedFile.Near hit : hits) {
                    Match m = hit.match();
                    if (m.kind() != SetKind.ALERT) continue;
                    EntryDetails d = r.details();
                    String distance = hit.distance() < 0 ? "" : Integer.toString(hit.distance());
                    List<String> row = new ArrayList<>(COLUMNS.size());
                    row.add(Integer.toString(item.entry().rank()));
                    row.add(s.item().path());
                    row.add(s.item().label());
                    row.add(container(r));
                    row.add(r.path().display());
                    row.add(exact(r) ? "" : r.path().base64());
                    row.add(Long.toString(r.size()));
                    row.add(r.digests().hex(Algorithm.MD5));
                    row.add(r.digests().hex(Algorithm.SHA1));
                    row.add(r.digests().hex(Algorithm.SHA256));
                    row.add(m.set());
                    row.add(m.category());
                    row.add(distance);
                    row.add(r.typeLabel());
                    row.add(Boolean.toString(r.extMismatch()));
                    row.add(d == null || d.partition() == null ? "" : Integer.toString(d.partition().index()));
                    row.add(d == null || d.inode() < 0 ? "" : Long.toString(d.inode()));
                    row.add(Boolean.toString(d != null && d.deleted()));
                    row.add(d == null ? "" : d.stream());
                    line(out, row);
                }
            });
        }
        out.flush();
    }

    /** The containers, outermost first, each followed by {@code !/}: "photos.zip!/inner.zip!/". */
    private static String container(FileRecord r) {
        StringBuilder sb = new StringBuilder();
        for (RawPath c : r.container()) sb.append(c.display()).append("!/");
        return sb.toString();
    }

    private static boolean exact(FileRecord r) {
        return r.path().isUtf8();
    }

    private static void line(Writer out, List<String> cells) throws IOException {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) out.write(',');
            out.write(cell(cells.get(i)));
        }
        out.write("\r\n");
    }

    /** One field: disarmed if a spreadsheet would run it, then quoted if RFC 4180 asks. */
    static String cell(String value) {
        if (value == null || value.isEmpty()) return "";
        String v = "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        boolean quote = false;
        for (int i = 0; i < v.length() && !quote; i++) {
            char c = v.charAt(i);
            quote = c == ',' || c == '"' || c == '\n' || c == '\r';
        }
        return quote ? '"' + v.replace("\"", "\"\"") + '"' : v;
    }
}
