package org.triage.report;

import org.triage.model.NearMatch;
import org.triage.model.PdqUse;
import org.triage.model.PictureCounts;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.triage.model.Algorithm;
import org.triage.model.EvidenceSummary;
import org.triage.model.FileRecord;
import org.triage.model.HashSetInfo;
import org.triage.model.ListingHeader;
import org.triage.model.ListingProvenance;
import org.triage.model.Match;
import org.triage.model.RematchResult;
import org.triage.model.ScanResult;
import org.triage.model.SetKind;

/**
 * Writes the scan report as one JSON document (schema in the README, "Report"). The file is
 * written beside its final name and moved into place, so a reader never sees half a report.
 * Paths, sizes, digests and categories only: never content.
 */
public final class JsonReportWriter {
    private JsonReportWriter() {
    }

    public static void write(Path file, ScanResult result, ReportContext ctx, ReportCollector collected) throws IOException {
        write(OutputTarget.file(file), result, ctx, collected);
    }

    /** Writes the report to a file (0600, moved into place when complete: {@link OutputTarget}) or a stream. */
    public static void write(OutputTarget target, ScanResult result, ReportContext ctx, ReportCollector collected) throws IOException {
        write(target, result, ctx, collected, (Map<String, ?>) null);
    }

    /**
     * A scan's report with {@code extra}'s members added after the scan's header fields (before
     * {@code hash_store}): what the command knows beyond the scan, e.g. {@code acquisition} for
     * {@code triage acquire --db}: member name to a JSON value (string, number, boolean, list or
     * map of those), or null for none.
     */
    public static void write(OutputTarget target, ScanResult result, ReportContext ctx, ReportCollector collected,
                             Map<String, ?> extra) throws IOException {
        target.write(out -> {
            try (JsonGenerator g = new JsonFactory().createGenerator(out, JsonEncoding.UTF8)) {
                g.useDefaultPrettyPrinter();
                write(g, result, ctx, collected, null, extra);
                g.writeRaw('\n');
            }
        });
    }

    /**
     * A re-match's report: a scan's, marked with a {@code rematch} member naming each listing it
     * was made from (file, SHA-256, its scan's header, lines lost); {@code digests_by} is null,
     * since no digest was computed.
     */
    public static void write(OutputTarget target, RematchResult rematch, ReportContext ctx, ReportCollector collected)
            throws IOException {
        write(target, rematch.result(), ctx, collected, rematch.listings());
    }

    private static void write(OutputTarget target, ScanResult result, ReportContext ctx, ReportCollector collected,
                              List<ListingProvenance> listings) throws IOException {
        target.write(out -> {
            try (JsonGenerator g = new JsonFactory().createGenerator(out, JsonEncoding.UTF8)) {
                g.useDefaultPrettyPrinter();
                write(g, result, ctx, collected, listings, null);
                g.writeRaw('\n');
            }
        });
    }

    static void write(JsonGenerator g, ScanResult result, ReportContext ctx, ReportCollector collected,
                      List<ListingProvenance> listings) throws IOException {
        write(g, result, ctx, collected, listings, null);
    }

    private static void write(JsonGenerator g, ScanResult result, ReportContext ctx, ReportCollector collected,
                              List<ListingProvenance> listings, Map<String, ?> extra) throws IOException {
        g.writeStartObject();
        g.writeStringField("tool", ctx.tool());
        g.writeStringField("digests_by", listings != null ? null : ctx.digestsBy());
        if (listings != null) writeRematch(g, listings);
        g.writeBooleanField("partial", result.interrupted());
        RecordJson.writeNullable(g, "case", ctx.caseId());
        RecordJson.writeNullable(g, "examiner", ctx.examiner());
        g.writeStringField("started", result.startedAt().toString());
        g.writeStringField("finished", result.finishedAt().toString());
        g.writeArrayFieldStart("algorithms");
        for (Algorithm a : result.algorithms()) g.writeString(a.id());
        g.writeEndArray();
        g.writeArrayFieldStart("algorithms_added_for_store");
        for (Algorithm a : result.addedForStore()) g.writeString(a.id());
        g.writeEndArray();
        g.writeArrayFieldStart("notes");
        for (String n : result.notes()) g.writeString(n);
        g.writeEndArray();
        writePdqUse(g, result.pdq());
        if (extra != null) {
            ObjectMapper trees = new ObjectMapper();
            for (Map.Entry<String, ?> member : extra.entrySet()) {
                g.writeFieldName(member.getKey());
                trees.writeValue(g, member.getValue());
            }
        }

        g.writeObjectFieldStart("hash_store");
        g.writeStringField("path", ctx.store());
        g.writeArrayFieldStart("sets");
        for (HashSetInfo s : ctx.sets()) {
            g.writeStartObject();
            g.writeStringField("name", s.name());
            g.writeStringField("kind", s.kind().label());
            g.writeNumberField("entries", s.entries());
            g.writeStringField("format", s.format());
            g.writeStringField("source_file", s.sourceFile());
            g.writeNumberField("source_size", s.sourceSize());
            g.writeStringField("source_sha256", s.sourceSha256());
            g.writeNumberField("source_entries", s.sourceEntries());
            g.writeStringField("imported", s.importedAt().toString());
            g.writeStringField("imported_by", s.toolVersion());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();

        g.writeArrayFieldStart("evidence");
        for (EvidenceSummary s : result.evidence()) {
            g.writeStartObject();
            g.writeStringField("source", s.source());
            // How the item was read: a picture hashed as a file must not pass for a disk image examined.
            RecordJson.writeNullable(g, "taken_as", s.taken() == null ? null : s.taken().kind());
            RecordJson.writeNullable(g, "taken_note", s.taken() == null ? null : s.taken().note());
            g.writeObjectFieldStart("summary");
            g.writeNumberField("rank", s.rank());
            g.writeStringField("priority", s.priority().label());
            g.writeStringField("reason", s.reason());
            g.writeNumberField("severity", s.severity());
            g.writeNumberField("files", s.files());
            g.writeNumberField("regular_files", s.regularFiles());
            g.writeNumberField("bytes", s.bytes());
            g.writeNumberField("alert_files", s.alertFiles());
            writeCounts(g, "alert_by_set", s.alertBySet());
            writeCounts(g, "alert_by_category", s.alertByCategory());
            g.writeNumberField("known_good_files", s.knownGoodFiles());
            g.writeNumberField("images", s.images());
            g.writeNumberField("videos", s.videos());
            g.writeNumberField("ext_mismatch", s.extMismatches());
            g.writeNumberField("unreadable", s.unreadable());
            g.writeNumberField("seconds", round(s.seconds()));
            g.writeNumberField("mb_per_s", round(s.megabytesPerSecond()));
            g.writeBooleanField("interrupted", s.interrupted());
            // Why the item was read only in part on purpose (--first-hit), or null.
            RecordJson.writeNullable(g, "stopped_early", s.partial());
            RecordJson.writeNullable(g, "error", s.error());
            // Whether the scan left the evidence's access times as they were (null: not opened).
            if (s.atimePreserved() == null) g.writeNullField("atime_preserved");
            else g.writeBooleanField("atime_preserved", s.atimePreserved());
            RecordJson.writeNullable(g, "atime_note", s.atimeNote());
            if (result.pdq() != null && result.pdq().on()) writePictures(g, s.pictures());
            g.writeEndObject();
            if (s.image() != null) RecordJson.writeImage(g, s.image());
            g.writeEndObject();
        }
        g.writeEndArray();

        g.writeArrayFieldStart("matches");
        for (FileRecord r : collected.alerts()) {
            for (Match m : r.matches()) {
                if (m.kind() != SetKind.ALERT) continue;
                writeMatchStart(g, r, m);
                g.writeNumberField("distance", 0);
                g.writeStringField("by", "digest");
                g.writeEndObject();
            }
        }
        // Near matches after the digest matches: a re-encoded copy's PDQ hash near a known picture's.
        for (FileRecord r : collected.nearAlerts()) {
            for (NearMatch n : r.pdq().nearMatches()) {
                if (n.match().kind() != SetKind.ALERT) continue;
                writeMatchStart(g, r, n.match());
                RecordJson.writeNear(g, r.pdq(), n);
                g.writeStringField("pdq", r.pdq().hash().hex());
                // Under quality 50 a picture is listed but never counted toward the priority.
                g.writeBooleanField("counted", r.pdq().raisingQuality());
                g.writeEndObject();
            }
        }
        g.writeEndArray();

        g.writeArrayFieldStart("unreadable");
        // Problems of an image as a whole (a failed or mismatching --verify, EWF checksum errors),
        // first: counted in the item's unreadable, so listed here too, with an empty path.
        for (EvidenceSummary s : result.evidence()) {
            if (s.image() == null || s.image().problem() == null) continue;
            g.writeStartObject();
            g.writeStringField("source", s.source());
            g.writeStringField("path", "");
            g.writeNullField("path_b64");
            g.writeStringField("type", "image");
            g.writeStringField("error", s.image().problem());
            g.writeEndObject();
        }
        for (FileRecord r : collected.unreadable()) {
            g.writeStartObject();
            g.writeStringField("source", r.source());
            RecordJson.writePath(g, "path", r.path());
            RecordJson.writeContainer(g, r);
            g.writeStringField("type", r.type().label());
            g.writeStringField("error", r.error());
            RecordJson.writeNote(g, r);
            RecordJson.writeChange(g, r.changedDuringRead());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /** Where a re-match's entries came from: each listing, its SHA-256, and what its header says of its scan. */
    private static void writeRematch(JsonGenerator g, List<ListingProvenance> listings) throws IOException {
        g.writeObjectFieldStart("rematch");
        g.writeArrayFieldStart("listings");
        for (ListingProvenance l : listings) {
            g.writeStartObject();
            g.writeStringField("file", l.file());
            g.writeStringField("sha256", l.sha256());
            g.writeNumberField("bytes", l.bytes());
            g.writeNumberField("lines", l.lines());
            g.writeNumberField("entries", l.entries());
            g.writeNumberField("lines_lost", l.linesLost());
            g.writeArrayFieldStart("problems");
            for (ListingProvenance.LineProblem p : l.problems()) {
                g.writeStartObject();
                g.writeNumberField("line", p.line());
                g.writeStringField("error", p.error());
                g.writeEndObject();
            }
            g.writeEndArray();
            ListingHeader h = l.header();
            if (h == null) {
                g.writeNullField("header");
            } else {
                g.writeObjectFieldStart("header");
                RecordJson.writeHeaderFields(g, h);
                g.writeEndObject();
            }
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /** Opens a {@code matches} element: where the file was found, its digests, the set and category. */
    private static void writeMatchStart(JsonGenerator g, FileRecord r, Match m) throws IOException {
        g.writeStartObject();
        g.writeStringField("source", r.source());
        RecordJson.writePath(g, "path", r.path());
        RecordJson.writeContainer(g, r);
        g.writeNumberField("size", r.size());
        // Where it was found, exactly as the all-files listing says it: a stream is not its host file.
        g.writeStringField("type", r.typeLabel());
        g.writeBooleanField("ext_mismatch", r.extMismatch());
        RecordJson.writeDetails(g, r.details());
        RecordJson.writeDigests(g, r);
        g.writeStringField("set", m.set());
        RecordJson.writeNullable(g, "category", m.category());
    }

    /** {@code pdq}: whether pictures were PDQ-hashed and why; null for a re-match, which decided nothing. */
    private static void writePdqUse(JsonGenerator g, PdqUse pdq) throws IOException {
        if (pdq == null) {
            g.writeNullField("pdq");
            return;
        }
        g.writeObjectFieldStart("pdq");
        g.writeBooleanField("on", pdq.on());
        g.writeStringField("reason", pdq.reason());
        g.writeNumberField("max_distance", pdq.maxDistance());
        g.writeBooleanField("dihedral", pdq.dihedral());
        g.writeEndObject();
    }

    /** The summary's {@code pdq}: what the PDQ stage made of the item's pictures (PDQ on only). */
    private static void writePictures(JsonGenerator g, PictureCounts p) throws IOException {
        g.writeObjectFieldStart("pdq");
        g.writeNumberField("hashed", p.hashed());
        g.writeNumberField("failed", p.failed());
        g.writeNumberField("decoded", p.decoded());
        g.writeNumberField("near_matched", p.nearMatched());
        g.writeNumberField("known_by_digest", p.byDigest());
        g.writeNumberField("known_by_pdq_only", p.byPdqOnly());
        g.writeNumberField("low_quality", p.lowQuality());
        g.writeEndObject();
    }

    private static void writeCounts(JsonGenerator g, String field, Map<String, Long> counts) throws IOException {
        g.writeObjectFieldStart(field);
        for (Map.Entry<String, Long> e : counts.entrySet()) g.writeNumberField(e.getKey(), e.getValue());
        g.writeEndObject();
    }

    private static double round(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }
}
