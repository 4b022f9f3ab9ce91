package org.triage.report;

import java.util.List;
import org.triage.model.NearMatch;
import org.triage.model.PictureHash;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import org.triage.model.Algorithm;
import org.triage.model.ByteRuns;
import org.triage.model.ContentChange;
import org.triage.model.EntryDetails;
import org.triage.model.FileRecord;
import org.triage.model.ImageInfo;
import org.triage.model.ListingHeader;
import org.triage.model.Match;
import org.triage.model.RawPath;

/** Writes the fields shared by every place a file appears in our JSON. Never content. */
final class RecordJson {
    private RecordJson() {
    }

    /** {@code path} (display form) and {@code path_b64} (exact bytes, null when the name is valid UTF-8). */
    static void writePath(JsonGenerator g, String field, RawPath path) throws IOException {
        g.writeStringField(field, path.display());
        if (path.isUtf8()) {
            g.writeNullField(field + "_b64");
        } else {
            g.writeStringField(field + "_b64", path.base64());
        }
    }

    /**
     * {@code container}: the archives an archive member was found in, outermost first (display
     * form; empty for an ordinary file), and {@code container_b64}, their exact bytes, null unless
     * a name in the chain is not valid UTF-8. The record's {@code path} is then its path inside the last.
     */
    static void writeContainer(JsonGenerator g, FileRecord r) throws IOException {
        g.writeArrayFieldStart("container");
        boolean exact = true;
        for (RawPath c : r.container()) {
            g.writeString(c.display());
            exact &= c.isUtf8();
        }
        g.writeEndArray();
        if (exact) {
            g.writeNullField("container_b64");
        } else {
            g.writeArrayFieldStart("container_b64");
            for (RawPath c : r.container()) g.writeString(c.base64());
            g.writeEndArray();
        }
    }

    /**
     * {@code note}: what the scan did with the entry instead of, or besides, hashing it (a disk image
     * examined as one, a segment read with its image), or null.
     */
    static void writeNote(JsonGenerator g, FileRecord r) throws IOException {
        writeNullable(g, "note", r.note());
    }

    static void writeDigests(JsonGenerator g, FileRecord r) throws IOException {
        for (Algorithm a : Algorithm.values()) {
            String hex = r.digests().hex(a);
            if (hex == null) g.writeNullField(a.id()); else g.writeStringField(a.id(), hex);
        }
    }

    /**
     * {@code match}: the sets the file is in by digest ({@code by} "digest", {@code distance} 0), then
     * the known pictures its PDQ hash lies near ({@code by} "pdq", the distance, the picture's own
     * quality, the known hash and its quality); null when there is none.
     */
    static void writeMatches(JsonGenerator g, FileRecord r) throws IOException {
        List<NearMatch> near = r.pdq() == null ? List.of() : r.pdq().nearMatches();
        if (r.matches().isEmpty() && near.isEmpty()) {
            g.writeNullField("match");
            return;
        }
        g.writeArrayFieldStart("match");
        for (Match m : r.matches()) {
            g.writeStartObject();
            writeMatch(g, m);
            g.writeNumberField("distance", 0);
            g.writeStringField("by", "digest");
            g.writeEndObject();
        }
        for (NearMatch n : near) {
            g.writeStartObject();
            writeMatch(g, n.match());
            writeNear(g, r.pdq(), n);
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void writeMatch(JsonGenerator g, Match m) throws IOException {
        g.writeStringField("set", m.set());
        g.writeStringField("kind", m.kind().label());
        writeNullable(g, "category", m.category());
    }

    /** A near match's own fields: distance, "by": "pdq", the picture's quality, the known hash and its quality. */
    static void writeNear(JsonGenerator g, PictureHash p, NearMatch n) throws IOException {
        g.writeNumberField("distance", n.distance());
        g.writeStringField("by", "pdq");
        g.writeNumberField("quality", p.quality());
        g.writeStringField("known_pdq", n.known().hex());
        if (n.quality() < 0) g.writeNullField("known_quality"); else g.writeNumberField("known_quality", n.quality());
    }

    /**
     * {@code pdq} (64 hex digits), {@code pdq_quality} (0-100) and {@code pdq_error}: written only for a
     * picture of a scan with PDQ on (a record without them was not PDQ-hashed).
     */
    static void writePdq(JsonGenerator g, FileRecord r) throws IOException {
        PictureHash p = r.pdq();
        if (p == null) return;
        writeNullable(g, "pdq", p.hash() == null ? null : p.hash().hex());
        if (p.hash() == null) g.writeNullField("pdq_quality"); else g.writeNumberField("pdq_quality", p.quality());
        writeNullable(g, "pdq_error", p.error());
    }

    /** {@code partition}, {@code inode}, {@code deleted}, {@code stream}, {@code meta}. */
    static void writeDetails(JsonGenerator g, EntryDetails d) throws IOException {
        if (d == null || d.partition() == null) {
            g.writeNullField("partition");
        } else {
            g.writeObjectFieldStart("partition");
            g.writeNumberField("index", d.partition().index());
            g.writeNumberField("offset", d.partition().offset());
            writeNullable(g, "type", d.partition().type());
            g.writeEndObject();
        }
        if (d == null || d.inode() < 0) g.writeNullField("inode"); else g.writeNumberField("inode", d.inode());
        g.writeBooleanField("deleted", d != null && d.deleted());
        writeNullable(g, "stream", d == null ? null : d.stream());
        g.writeBooleanField("meta", d != null && d.meta());
    }

    /**
     * {@code runs}, for a file read from the item's own disk image (nothing otherwise, so directory
     * listings are unchanged): {@code [[image_offset, length], ...]} in file order, each starting in
     * the file where the one before ends, {@code [null, length]} for a hole; {@code "resident"} for
     * content inside the metadata record; then {@code runs_total} when runs were left out ({@link ByteRuns#LIMIT}).
     */
    static void writeRuns(JsonGenerator g, EntryDetails d) throws IOException {
        ByteRuns runs = d == null ? null : d.runs();
        if (runs == null) return;
        if (runs.resident()) {
            g.writeStringField("runs", "resident");
            return;
        }
        g.writeArrayFieldStart("runs");
        for (ByteRuns.Run r : runs.runs()) {
            g.writeStartArray();
            if (r.hole()) g.writeNull(); else g.writeNumber(r.imageOffset());
            g.writeNumber(r.length());
            g.writeEndArray();
        }
        g.writeEndArray();
        if (runs.truncated()) g.writeNumberField("runs_total", runs.total());
    }

    /**
     * {@code changed_during_read}: the file's size and modification time before the first read and
     * after the last, and the bytes read; written only for a file that changed while it was read.
     */
    static void writeChange(JsonGenerator g, ContentChange c) throws IOException {
        if (c == null) return;
        g.writeObjectFieldStart("changed_during_read");
        g.writeObjectFieldStart("before");
        g.writeNumberField("size", c.sizeBefore());
        g.writeStringField("mtime", c.mtimeBefore().toString());
        g.writeEndObject();
        g.writeObjectFieldStart("after");
        g.writeNumberField("size", c.sizeAfter());
        g.writeStringField("mtime", c.mtimeAfter().toString());
        g.writeEndObject();
        g.writeNumberField("bytes_read", c.bytesRead());
        g.writeEndObject();
    }

    static void writeNullable(JsonGenerator g, String field, String value) throws IOException {
        if (value == null || value.isEmpty()) g.writeNullField(field); else g.writeStringField(field, value);
    }

    /** A disk image's or device's facts; only for such items, so directory reports are unchanged. */
    static void writeImage(JsonGenerator g, ImageInfo i) throws IOException {
        g.writeObjectFieldStart("image");
        g.writeStringField("path", i.path());
        g.writeStringField("format", i.format());
        g.writeNumberField("size", i.size());
        g.writeArrayFieldStart("segments");
        for (String seg : i.segments()) g.writeString(seg);
        g.writeEndArray();
        RecordJson.writeNullable(g, "volume_system", i.volumeSystem());
        // Whether reading left the segments' access times as they were, and if not why.
        g.writeBooleanField("atime_preserved", i.atimePreserved());
        RecordJson.writeNullable(g, "atime_note", i.atimeNote());
        RecordJson.writeNullable(g, "md5", i.md5());
        RecordJson.writeNullable(g, "sha1", i.sha1());
        RecordJson.writeNullable(g, "stored_md5", i.storedMd5());
        RecordJson.writeNullable(g, "stored_sha1", i.storedSha1());
        Boolean ok = i.matchesStored();
        if (ok == null) g.writeNullField("matches_stored");
        else g.writeBooleanField("matches_stored", ok);
        RecordJson.writeNullable(g, "verify_error", i.verifyError());
        // EWF chunks that failed their checksum (all of them with --verify; else those the scan read).
        g.writeArrayFieldStart("checksum_errors");
        for (ImageInfo.ChecksumError e : i.checksumErrors()) {
            g.writeStartObject();
            g.writeNumberField("first_sector", e.firstSector());
            g.writeNumberField("sectors", e.sectors());
            g.writeNumberField("offset", e.firstByte());
            g.writeNumberField("length", e.endByte() - e.firstByte());
            g.writeArrayFieldStart("segments");
            for (String seg : e.segments()) g.writeString(seg);
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }


    /**
     * A listing header's fields (the listing's first line, and a re-match report's {@code header}):
     * the tool, the scan's start, case, examiner, algorithms, the hash store and its sets, the
     * evidence items and the scan's notes.
     */
    static void writeHeaderFields(JsonGenerator g, ListingHeader h) throws IOException {
        writeNullable(g, "tool", h.tool());
        writeNullable(g, "scan_started", h.scanStarted() == null ? null : h.scanStarted().toString());
        writeNullable(g, "case", h.caseId());
        writeNullable(g, "examiner", h.examiner());
        g.writeArrayFieldStart("algorithms");
        for (Algorithm a : h.algorithms()) g.writeString(a.id());
        g.writeEndArray();
        g.writeObjectFieldStart("hash_store");
        writeNullable(g, "path", h.store());
        g.writeArrayFieldStart("sets");
        for (ListingHeader.SetSeen s : h.sets()) {
            g.writeStartObject();
            writeNullable(g, "name", s.name());
            writeNullable(g, "kind", s.kind());
            g.writeNumberField("entries", s.entries());
            writeNullable(g, "source_sha256", s.sourceSha256());
            writeNullable(g, "imported", s.imported());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
        g.writeArrayFieldStart("evidence");
        for (String e : h.evidence()) g.writeString(e);
        g.writeEndArray();
        g.writeArrayFieldStart("notes");
        for (String n : h.notes()) g.writeString(n);
        g.writeEndArray();
    }
}
