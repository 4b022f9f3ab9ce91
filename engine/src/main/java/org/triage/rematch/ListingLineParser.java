package org.triage.rematch;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.triage.model.Algorithm;
import org.triage.model.ByteRuns;
import org.triage.model.ContentChange;
import org.triage.model.FileRecord;
import org.triage.model.ImageInfo;
import org.triage.model.ListingHeader;
import org.triage.model.PartitionInfo;

/**
 * Reads one line of an all-files listing (the README's "All-files listing" schema, as
 * {@code report.AllFilesWriter} writes it) into what it is: an entry ({@link FileRecord}, without
 * matches: the re-match looks them up anew), the header, an item's end line, or why the line
 * cannot be taken. jackson-core's streaming parser, one per line over the block's own bytes (no
 * copy, no tree, no ObjectMapper); digests are decoded from the line's bytes, no String per
 * digest. Fields this version does not know are skipped, so a newer listing still reads.
 *
 * <p>The re-match gives it only what {@link EntryLineScanner} refuses: the header, end lines,
 * entries not in the scan's own layout, and every line that is bad, which it names. Both fill an
 * {@link EntryFields}, so an entry means the same whichever read it.
 *
 * <p>Not thread-safe: one per worker.
 */
final class ListingLineParser {
    /** What a line is. */
    sealed interface Line permits Entry, Header, End, Bad {
    }

    /** An entry; {@code algorithms}: bit per {@link Algorithm#ordinal()} of the digests it has. */
    record Entry(FileRecord record, int algorithms) implements Line {
    }

    record Header(ListingHeader header) implements Line {
    }

    record End(EvidenceEnd end) implements Line {
    }

    /** A line that cannot be taken; {@code error} says why, without the line's text beyond a token. */
    record Bad(String error) implements Line {
    }

    private final JsonFactory json;
    /** The line being parsed: digests are decoded from its bytes, not from the parser's characters. */
    private byte[] line;
    private int lineOffset;
    /** The previous line's source and type: the same on nearly every line, so kept rather than made again. */
    private String lastSource;
    private String lastType;
    private final EntryFields fields = new EntryFields();

    ListingLineParser(JsonFactory json) {
        this.json = json;
    }

    /**
     * @param terminated false for a last line with no end of line: when it does not parse, the
     *                   listing was cut inside it, which is what the error then says
     */
    Line parse(byte[] buf, int off, int len, boolean terminated) {
        line = buf;
        lineOffset = off;
        try (JsonParser p = json.createParser(buf, off, len)) {
            if (p.nextToken() != JsonToken.START_OBJECT) return new Bad("not a JSON object");
            if (p.nextToken() != JsonToken.FIELD_NAME) return new Bad("an empty JSON object");
            String first = p.getCurrentName();
            Line line = switch (first) {
                case "source" -> entry(p);
                case "listing" -> header(p);
                case "evidence_done" -> end(p);
                default -> new Bad("neither an entry (no 'source' first) nor a listing's header or end line: '"
                        + shown(first) + "'");
            };
            if (line instanceof Bad) return line;
            if (p.nextToken() != null) return new Bad("more than one JSON value on the line");
            return line;
        } catch (JsonProcessingException e) {
            if (!terminated) return new Bad("cut short: the listing ends inside this line (a copy cut short, or a disk that filled)");
            return new Bad("not valid JSON: " + shown(e.getOriginalMessage()));
        } catch (IOException | RuntimeException e) {
            return new Bad("cannot be read: " + shown(String.valueOf(e.getMessage())));
        }
    }

    // ---- entries ----

    private Line entry(JsonParser p) throws IOException {
        EntryFields e = fields;
        e.clear();
        // The first field's value: the parser stands on its name.
        JsonToken t = p.nextToken();
        String field = "source";
        while (true) {
            switch (field) {
                case "source" -> e.source = lastSource = reuse(p, lastSource);
                case "path" -> e.path = p.getValueAsString();
                case "path_b64" -> e.pathExact = EntryFields.base64(p.getValueAsString());
                case "container" -> e.container = strings(p);
                case "container_b64" -> e.containerExact = base64s(p);
                case "size" -> e.size = p.getValueAsLong(-1);
                case "type" -> e.type = lastType = reuse(p, lastType);
                case "ext_mismatch" -> e.extMismatch = p.getValueAsBoolean();
                case "md5", "sha1", "sha256" -> {
                    if (t != JsonToken.VALUE_NULL) {
                        Algorithm a = field.equals("md5") ? Algorithm.MD5 : field.equals("sha1") ? Algorithm.SHA1 : Algorithm.SHA256;
                        byte[] d = hex(p, a, line, lineOffset);
                        if (d == null) return new Bad(a.id() + " is not " + a.hexLength() + " hex digits");
                        e.digest(a, d);
                    }
                }
                case "error" -> e.error = p.getValueAsString();
                case "changed_during_read" -> e.change = change(p);
                case "hardlink_of" -> e.hardLinkOf = p.getValueAsString();
                case "hardlink_of_b64" -> e.hardLinkExact = EntryFields.base64(p.getValueAsString());
                case "partition" -> e.partition = partition(p);
                case "inode" -> e.inode = t == JsonToken.VALUE_NULL ? -1 : p.getValueAsLong(-1);
                case "deleted" -> e.deleted = p.getValueAsBoolean();
                case "stream" -> e.stream = p.getValueAsString();
                case "meta" -> e.meta = p.getValueAsBoolean();
                case "note" -> e.note = p.getValueAsString();
                case "pdq" -> {
                    e.pdqSeen = true;
                    if (t != JsonToken.VALUE_NULL) {
                        byte[] d = hex(p, Algorithm.SHA256, line, lineOffset);
                        if (d == null) return new Bad("pdq is not 64 hex digits");
                        e.pdq = EntryFields.pdq(d);
                    }
                }
                case "pdq_quality" -> {
                    e.pdqSeen = true;
                    if (t == JsonToken.VALUE_NUMBER_INT) e.pdqQuality = p.getValueAsInt(-1);
                    else if (t != JsonToken.VALUE_NULL) return new Bad("'pdq_quality' is not a whole number from 0 to 100");
                }
                case "pdq_error" -> {
                    e.pdqSeen = true;
                    e.pdqError = p.getValueAsString();
                }
                case "runs" -> {
                    if (t == JsonToken.VALUE_STRING) {
                        if (!"resident".equals(p.getText())) return new Bad("'runs' is neither an array of runs nor \"resident\"");
                        e.resident = true;
                    } else if (t == JsonToken.START_ARRAY) {
                        if (!runs(p, e)) return new Bad("a run of 'runs' is not [offset or null, length]");
                    } else if (t != JsonToken.VALUE_NULL) {
                        return new Bad("'runs' is neither an array of runs nor \"resident\"");
                    }
                }
                case "runs_total" -> e.runsTotal = t == JsonToken.VALUE_NULL ? -1 : p.getValueAsLong(-1);
                default -> p.skipChildren(); // "match": the old store's answer, looked up anew; fields of newer versions
            }
            t = p.nextToken();
            if (t == JsonToken.END_OBJECT) break;
            if (t != JsonToken.FIELD_NAME) return new Bad("not a JSON object");
            field = p.getCurrentName();
            t = p.nextToken();
        }
        return e.build();
    }

    /** The runs of "runs", the parser on its '[': each {@code [offset or null, length]}; false for anything else. */
    private static boolean runs(JsonParser p, EntryFields e) throws IOException {
        e.runs = new ByteRuns.Builder();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t != JsonToken.START_ARRAY) return false;
            JsonToken at = p.nextToken();
            if (at != JsonToken.VALUE_NULL && at != JsonToken.VALUE_NUMBER_INT) return false;
            long offset = at == JsonToken.VALUE_NULL ? -1 : p.getLongValue();
            if (at == JsonToken.VALUE_NUMBER_INT && offset < 0) return false;
            if (p.nextToken() != JsonToken.VALUE_NUMBER_INT) return false;
            long length = p.getLongValue();
            if (p.nextToken() != JsonToken.END_ARRAY) return false;
            e.run(offset, length);
        }
        return true;
    }

    private static PartitionInfo partition(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) return null;
        int index = 0;
        long offset = 0;
        String type = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.getCurrentName();
            p.nextToken();
            switch (f) {
                case "index" -> index = p.getValueAsInt();
                case "offset" -> offset = p.getValueAsLong();
                case "type" -> type = p.getValueAsString();
                default -> p.skipChildren();
            }
        }
        return new PartitionInfo(index, offset, type);
    }

    private static ContentChange change(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) return null;
        long[] size = new long[2];
        Instant[] mtime = new Instant[2];
        long read = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.getCurrentName();
            p.nextToken();
            switch (f) {
                case "before", "after" -> {
                    int i = f.equals("before") ? 0 : 1;
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String g = p.getCurrentName();
                        p.nextToken();
                        if (g.equals("size")) size[i] = p.getValueAsLong();
                        else if (g.equals("mtime")) mtime[i] = instant(p.getValueAsString());
                        else p.skipChildren();
                    }
                }
                case "bytes_read" -> read = p.getValueAsLong();
                default -> p.skipChildren();
            }
        }
        return new ContentChange(size[0], mtime[0], size[1], mtime[1], read);
    }

    // ---- the header ----

    private Line header(JsonParser p) throws IOException {
        if (!"triage all-files".equals(p.nextTextValue())) return new Bad("a 'listing' line that is not a triage all-files header");
        String tool = null;
        Instant started = null;
        String caseId = null;
        String examiner = null;
        List<String> evidence = List.of();
        List<Algorithm> algorithms = new ArrayList<>();
        String store = null;
        List<ListingHeader.SetSeen> sets = new ArrayList<>();
        List<String> notes = List.of();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.getCurrentName();
            p.nextToken();
            switch (f) {
                case "tool" -> tool = p.getValueAsString();
                case "scan_started" -> started = instant(p.getValueAsString());
                case "case" -> caseId = p.getValueAsString();
                case "examiner" -> examiner = p.getValueAsString();
                case "algorithms" -> {
                    for (String a : strings(p)) {
                        try {
                            algorithms.add(Algorithm.parse(a));
                        } catch (IllegalArgumentException e) {
                            // an algorithm of a newer version: nothing here looks it up
                        }
                    }
                }
                case "hash_store" -> store = hashStore(p, sets);
                case "evidence" -> evidence = strings(p);
                case "notes" -> notes = strings(p);
                default -> p.skipChildren();
            }
        }
        if (p.currentToken() != JsonToken.END_OBJECT) return new Bad("not a JSON object");
        return new Header(new ListingHeader(tool, started, caseId, examiner, evidence, algorithms, store, sets, notes));
    }

    private static String hashStore(JsonParser p, List<ListingHeader.SetSeen> sets) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return null;
        }
        String path = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.getCurrentName();
            p.nextToken();
            if (f.equals("path")) {
                path = p.getValueAsString();
            } else if (f.equals("sets") && p.currentToken() == JsonToken.START_ARRAY) {
                while (p.nextToken() == JsonToken.START_OBJECT) {
                    String name = null;
                    String kind = null;
                    long entries = 0;
                    String sha = null;
                    String imported = null;
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String g = p.getCurrentName();
                        p.nextToken();
                        switch (g) {
                            case "name" -> name = p.getValueAsString();
                            case "kind" -> kind = p.getValueAsString();
                            case "entries" -> entries = p.getValueAsLong();
                            case "source_sha256" -> sha = p.getValueAsString();
                            case "imported" -> imported = p.getValueAsString();
                            default -> p.skipChildren();
                        }
                    }
                    sets.add(new ListingHeader.SetSeen(name, kind, entries, sha, imported));
                }
            } else {
                p.skipChildren();
            }
        }
        return path;
    }

    // ---- an item's end line ----

    private Line end(JsonParser p) throws IOException {
        String source = p.nextTextValue();
        if (source == null || source.isEmpty()) return new Bad("an end line without its evidence item");
        String takenAs = null;
        String takenNote = null;
        long files = -1;
        long bytes = 0;
        double seconds = 0;
        boolean interrupted = false;
        String error = null;
        Boolean atimePreserved = null;
        String atimeNote = null;
        String priority = null;
        String reason = null;
        ImageInfo image = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.getCurrentName();
            JsonToken t = p.nextToken();
            switch (f) {
                case "taken_as" -> takenAs = p.getValueAsString();
                case "taken_note" -> takenNote = p.getValueAsString();
                case "files" -> files = p.getValueAsLong(-1);
                case "bytes" -> bytes = p.getValueAsLong();
                case "seconds" -> seconds = p.getValueAsDouble();
                case "interrupted" -> interrupted = p.getValueAsBoolean();
                case "error" -> error = p.getValueAsString();
                case "atime_preserved" -> atimePreserved = t == JsonToken.VALUE_NULL ? null : p.getValueAsBoolean();
                case "atime_note" -> atimeNote = p.getValueAsString();
                case "priority" -> priority = p.getValueAsString();
                case "reason" -> reason = p.getValueAsString();
                case "image" -> image = image(p);
                default -> p.skipChildren();
            }
        }
        if (p.currentToken() != JsonToken.END_OBJECT) return new Bad("not a JSON object");
        if (files < 0) return new Bad("an end line without the item's count of entries ('files')");
        return new End(new EvidenceEnd(source, takenAs, takenNote, files, bytes, seconds, interrupted, error,
                atimePreserved, atimeNote, priority, reason, image));
    }

    private static ImageInfo image(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return null;
        }
        String path = null;
        String format = null;
        long size = 0;
        List<String> segments = List.of();
        String volumeSystem = null;
        boolean atimePreserved = false;
        String atimeNote = null;
        String md5 = null;
        String sha1 = null;
        String storedMd5 = null;
        String storedSha1 = null;
        String verifyError = null;
        List<ImageInfo.ChecksumError> errors = new ArrayList<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.getCurrentName();
            p.nextToken();
            switch (f) {
                case "path" -> path = p.getValueAsString();
                case "format" -> format = p.getValueAsString();
                case "size" -> size = p.getValueAsLong();
                case "segments" -> segments = strings(p);
                case "volume_system" -> volumeSystem = p.getValueAsString();
                case "atime_preserved" -> atimePreserved = p.getValueAsBoolean();
                case "atime_note" -> atimeNote = p.getValueAsString();
                case "md5" -> md5 = p.getValueAsString();
                case "sha1" -> sha1 = p.getValueAsString();
                case "stored_md5" -> storedMd5 = p.getValueAsString();
                case "stored_sha1" -> storedSha1 = p.getValueAsString();
                case "verify_error" -> verifyError = p.getValueAsString();
                case "checksum_errors" -> {
                    if (p.currentToken() != JsonToken.START_ARRAY) {
                        p.skipChildren();
                        break;
                    }
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        long first = 0;
                        long sectors = 0;
                        long length = 0;
                        List<String> segs = List.of();
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String g = p.getCurrentName();
                            p.nextToken();
                            switch (g) {
                                case "first_sector" -> first = p.getValueAsLong();
                                case "sectors" -> sectors = p.getValueAsLong();
                                case "length" -> length = p.getValueAsLong();
                                case "segments" -> segs = strings(p);
                                default -> p.skipChildren();
                            }
                        }
                        int sectorSize = sectors > 0 ? (int) (length / sectors) : 512;
                        errors.add(new ImageInfo.ChecksumError(first, sectors, sectorSize, segs));
                    }
                }
                default -> p.skipChildren();
            }
        }
        return new ImageInfo(path, format, size, segments, volumeSystem, md5, sha1, storedMd5, storedSha1, verifyError,
                errors, atimePreserved, atimeNote);
    }

    // ---- values ----

    private static List<String> strings(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            p.skipChildren();
            return List.of();
        }
        List<String> out = new ArrayList<>(2);
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() == null) throw new com.fasterxml.jackson.core.JsonParseException(p, "unclosed array");
            out.add(p.getValueAsString());
        }
        return out;
    }

    private static List<byte[]> base64s(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            p.skipChildren();
            return null;
        }
        return EntryFields.base64s(strings(p));
    }

    /**
     * The digest of a string value; null when it is not one of {@code a}. Read from the line's own
     * bytes where the value stands there as written (no escapes): the parser then never decodes it
     * into characters, which was a tenth of the re-match's time.
     */
    private static byte[] hex(JsonParser p, Algorithm a, byte[] line, int lineOffset) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_STRING) return null;
        long at = p.currentTokenLocation().getByteOffset();
        int s = lineOffset + (int) at + 1;
        int e = s + a.hexLength();
        if (at >= 0 && e < line.length && line[s - 1] == '"' && line[e] == '"') return EntryFields.hex(line, s, a);
        if (p.getTextLength() != a.hexLength()) return null;
        return EntryFields.hex(p.getTextCharacters(), p.getTextOffset(), a);
    }

    /** The string value, as the {@code last} one when it is the same (no new String). */
    private static String reuse(JsonParser p, String last) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_STRING) return p.getValueAsString();
        char[] c = p.getTextCharacters();
        int off = p.getTextOffset();
        int len = p.getTextLength();
        if (last != null && last.length() == len) {
            boolean same = true;
            for (int i = 0; i < len && same; i++) same = last.charAt(i) == c[off + i];
            if (same) return last;
        }
        return new String(c, off, len);
    }

    private static Instant instant(String s) {
        if (s == null) return null;
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** A token for a message: control characters out, at most 80 characters. */
    private static String shown(String s) {
        if (s == null) return "";
        String firstLine = s.lines().findFirst().orElse("");
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < firstLine.length() && b.length() < 80; i++) {
            char ch = firstLine.charAt(i);
            b.append(Character.isISOControl(ch) ? '?' : ch);
        }
        return b.length() < firstLine.length() ? b + "..." : b.toString();
    }
}
