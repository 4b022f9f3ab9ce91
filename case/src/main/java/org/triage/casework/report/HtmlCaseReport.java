package org.triage.casework.report;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.triage.casework.CaseInfo;
import org.triage.casework.ItemCounts;
import org.triage.casework.ItemState;
import org.triage.model.Algorithm;
import org.triage.model.EntryDetails;
import org.triage.model.FileRecord;
import org.triage.model.Match;
import org.triage.model.SetKind;

/**
 * The case as one self-contained HTML file for the court bundle: the case, examiner and tool; the
 * hash sets with their provenance; the devices ranked with the reason in the words {@code case
 * status} prints; per device its summary, its matched files and its unreadable entries.
 *
 * <p>Safe to open: inline CSS only, no script, no external asset, never a picture's content or a
 * thumbnail; a Content-Security-Policy that forbids every load and every script backs that up.
 * Every string that comes from evidence or from the examiner goes through {@link HtmlText}.
 * Stateless apart from the contents it writes.
 */
public final class HtmlCaseReport {
    private static final String STYLE = """
            body{font:14px/1.4 sans-serif;margin:2em;color:#111}
            table{border-collapse:collapse;margin:.5em 0 1.5em}
            th,td{border:1px solid #bbb;padding:2px 6px;text-align:left;vertical-align:top}
            th{background:#eee}
            td.hash,td.path{font-family:monospace;word-break:break-all}
            .ctl{background:#fdd;font-family:monospace}
            .HIGH{color:#a00;font-weight:bold}
            .bytes{color:#555;font-size:12px}
            section{border-top:2px solid #444;margin-top:2em}
            """;

    private final CaseContents contents;

    public HtmlCaseReport(CaseContents contents) {
        this.contents = contents;
    }

    /** Writes the document. */
    public void writeTo(OutputStream stream) throws IOException {
        Writer out = new OutputStreamWriter(stream, StandardCharsets.UTF_8);
        CaseInfo info = contents.info();
        out.write("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
                + "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
                + "<title>triage case report: " + e(info.caseId()) + "</title>\n<style>" + STYLE + "</style></head>\n<body>\n");
        out.write("<h1>Case " + e(info.caseId()) + "</h1>\n<table class=\"facts\">\n");
        row(out, "Case", info.caseId());
        row(out, "Examiner", info.examiner());
        row(out, "Known-hash store", info.store());
        row(out, "Case created", info.createdAt() + " by " + info.tool());
        row(out, "Report made", contents.made() + " by " + contents.tool());
        row(out, "Case directory", contents.layout().dir().toString());
        out.write("</table>\n<p>Paths, sizes, digests and categories only: this report holds no file's content and no"
                + " picture. Names are shown as the evidence gives them; a hidden character (a control character, a"
                + " direction override) is shown as <span class=\"ctl\">\\xHH</span> and the name's exact bytes follow it.</p>\n");
        hashSets(out);
        ranked(out);
        for (ItemSection item : contents.items()) item(out, item);
        out.write("</body></html>\n");
        out.flush();
    }

    private void hashSets(Writer out) throws IOException {
        out.write("<h2>Hash sets</h2>\n");
        if (contents.sets().isEmpty()) {
            out.write("<p>No run has matched this case against a hash set yet.</p>\n");
            return;
        }
        out.write("<table class=\"sets\"><tr><th>Set</th><th>Kind</th><th>Entries</th><th>Imported from</th>"
                + "<th>Its SHA-256</th><th>Bytes</th><th>Format</th><th>Imported</th><th>By</th><th>Runs</th></tr>\n");
        for (HashSetProvenance s : contents.sets()) {
            out.write("<tr class=\"set\">" + td(s.name()) + td(s.kind()) + td(number(s.entries())) + td(s.sourceFile())
                    + "<td class=\"hash\">" + e(s.sourceSha256()) + "</td>" + td(s.sourceSize() < 0 ? "" : number(s.sourceSize()))
                    + td(s.format()) + td(s.importedAt()) + td(s.importedBy()) + td(s.runs()) + "</tr>\n");
        }
        out.write("</table>\n");
    }

    private void ranked(Writer out) throws IOException {
        out.write("<h2>Devices, ranked for review</h2>\n<table class=\"queue\"><tr><th>#</th><th>Evidence</th>"
                + "<th>Reason</th></tr>\n");
        for (ItemSection item : contents.items()) {
            var q = item.entry();
            out.write("<tr class=\"ranked\"><td>" + q.rank() + "</td><td class=\"path\">" + e(q.item().item().describe())
                    + "</td><td class=\"" + q.level().name() + "\">" + e(q.reason()) + "</td></tr>\n");
        }
        out.write("</table>\n");
    }

    private void item(Writer out, ItemSection item) throws IOException {
        var q = item.entry();
        ItemState s = q.item();
        ItemCounts c = s.counts();
        out.write("<section class=\"item\">\n<h2>#" + q.rank() + " " + e(s.item().describe()) + "</h2>\n<p class=\""
                + q.level().name() + "\">" + e(q.reason()) + "</p>\n<table class=\"summary\">\n");
        row(out, "Item", "item " + s.item().id() + ", " + s.item().kind() + ", on " + s.item().device());
        if (s.item().size() >= 0) row(out, "Size", number(s.item().size()) + " bytes");
        if (item.imageMd5() != null) row(out, "Image MD5 (--verify)", item.imageMd5());
        if (item.imageSha1() != null) row(out, "Image SHA-1 (--verify)", item.imageSha1());
        if (item.storedMd5() != null) row(out, "Acquisition MD5 (EWF)", item.storedMd5());
        row(out, "State", s.state() + (s.run() == 0 ? "" : " (run " + s.run() + ", " + s.startedAt() + " to "
                + (s.finishedAt() == null ? "not finished" : s.finishedAt()) + ")"));
        row(out, "Entries", number(c.files()));
        row(out, "Bytes read", number(s.bytesRead()));
        StringBuilder bySet = new StringBuilder();
        c.bySet().forEach((set, n) -> bySet.append(bySet.length() == 0 ? " (" : ", ").append(set).append(' ').append(number(n)));
        row(out, "Alert files", number(c.alertFiles()) + (bySet.length() == 0 ? "" : bySet.append(')').toString()));
        row(out, "Pictures / videos", number(c.pictures()) + " / " + number(c.videos()) + "; in no set: " + number(c.unknownMedia())
                + "; under a misleading extension: " + number(c.extMismatches()));
        row(out, "Known-good files set aside", number(c.knownGood()));
        row(out, "Unreadable entries", number(c.unreadable()));
        if (s.report() != null) row(out, "JSON report", s.report() + " (SHA-256 " + s.reportSha256() + ")");
        if (item.listing() != null) row(out, "All-files listing", item.listing());
        if (item.listingNote() != null) row(out, "Note", item.listingNote());
        if (s.error() != null) row(out, "Error", s.error());
        out.write("</table>\n");

        List<ListedFile> matches = new ArrayList<>();
        List<ListedFile> unreadable = new ArrayList<>();
        long bad = contents.entries(item, f -> {
            if (f.alert()) matches.add(f);
            if (f.record().error() != null) unreadable.add(f);
        });
        if (bad > 0) out.write("<p>" + bad + " line(s) of the listing could not be read (cut by a kill) and are not shown.</p>\n");
        out.write("<h3>Matched files (" + matches.size() + ")</h3>\n");
        if (!matches.isEmpty()) {
            out.write("<table class=\"matches\"><tr><th>Path</th><th>Bytes</th><th>MD5</th><th>SHA-1</th><th>SHA-256</th>"
                    + "<th>Set: category</th><th>Distance</th><th>Type</th><th>Where</th></tr>\n");
            for (ListedFile f : matches) matchRow(out, f);
            out.write("</table>\n");
        }
        out.write("<h3>Unreadable entries (" + unreadable.size() + ")</h3>\n");
        if (!unreadable.isEmpty()) {
            out.write("<table class=\"unreadable\"><tr><th>Path</th><th>Type</th><th>Why</th></tr>\n");
            for (ListedFile f : unreadable) {
                out.write("<tr class=\"unreadable\">" + pathCell(f) + td(f.record().typeLabel()) + td(f.record().error()) + "</tr>\n");
            }
            out.write("</table>\n");
        }
        out.write("</section>\n");
    }

    private static void matchRow(Writer out, ListedFile f) throws IOException {
        FileRecord r = f.record();
        StringBuilder sets = new StringBuilder();
        StringBuilder distance = new StringBuilder();
        for (Match m : r.matches()) {
            if (m.kind() != SetKind.ALERT) continue;
            if (sets.length() > 0) sets.append("<br>");
            sets.append(e(m.set())).append(": ").append(m.category() == null ? "(no category)" : e(m.category()));
        }
        for (ListedFile.Near n : f.near()) {
            Match m = n.match();
            if (m.kind() != SetKind.ALERT) continue;
            if (sets.length() > 0) sets.append("<br>");
            sets.append(e(m.set())).append(": ").append(m.category() == null ? "(no category)" : e(m.category()))
                    .append(" (PDQ near match)");
            distance.append(distance.length() > 0 ? "<br>" : "").append(n.distance());
        }
        out.write("<tr class=\"match\">" + pathCell(f) + td(number(r.size())) + hash(r, Algorithm.MD5) + hash(r, Algorithm.SHA1)
                + hash(r, Algorithm.SHA256) + "<td>" + sets + "</td><td>" + distance + "</td>" + td(r.typeLabel()
                + (r.extMismatch() ? ", misleading extension" : "")) + td(where(r.details())) + "</tr>\n");
    }

    /** The path with its container chain; for a name that shows differently from its bytes, the bytes too. */
    private static String pathCell(ListedFile f) {
        FileRecord r = f.record();
        String chain = f.chain();
        boolean exact = r.path().isUtf8() && r.container().stream().allMatch(c -> c.isUtf8());
        String bytes = "";
        if (!exact || HtmlText.needsBytes(chain)) {
            StringBuilder b = new StringBuilder();
            for (var c : r.container()) b.append(c.base64()).append(" !/ ");
            bytes = "<div class=\"bytes\">bytes (Base64): " + e(b.append(r.path().base64()).toString()) + "</div>";
        }
        String what = chain.isEmpty() ? "<em>(the item's image, a partition or a filesystem)</em>" : "";
        return "<td class=\"path\"><span class=\"name\">" + e(chain) + "</span>" + what + bytes + "</td>";
    }

    private static String where(EntryDetails d) {
        if (d == null) return "";
        List<String> w = new ArrayList<>();
        if (d.partition() != null) {
            w.add("partition " + d.partition().index() + " at byte " + d.partition().offset()
                    + (d.partition().type() == null ? "" : " (" + d.partition().type() + ")"));
        }
        if (d.inode() >= 0) w.add("inode " + d.inode());
        if (d.deleted()) w.add("deleted");
        if (d.stream() != null) w.add("stream " + d.stream());
        return String.join(", ", w);
    }

    private static String hash(FileRecord r, Algorithm a) {
        String h = r.digests().hex(a);
        return "<td class=\"hash\">" + (h == null ? "" : h) + "</td>";
    }

    private static void row(Writer out, String name, String value) throws IOException {
        out.write("<tr><th>" + e(name) + "</th>" + td(value) + "</tr>\n");
    }

    private static String td(String s) {
        return "<td>" + e(s) + "</td>";
    }

    private static String e(String s) {
        return HtmlText.escape(s);
    }

    private static String number(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
