package org.triage.acquire;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The acquisition's own record, written beside the image as {@code PATH.json}: what was read, how
 * it was written, the examiner's metadata, the media digests, the unreadable ranges and whether the
 * image is complete. A stopped acquisition also leaves {@code PATH.INCOMPLETE}, a marker no one can
 * miss in a directory listing, saying where it stopped.
 *
 * @param source      the source as given
 * @param format      "e01" or "raw"
 * @param compression E01 compression, null for raw
 * @param segmentSize bytes per segment, 0 for one file (or libewf's default for E01)
 * @param files       the image's files, in order
 * @param md5         null when the stream was not complete
 */
public record AcquisitionLog(String source, long sectorSize, String format, Compression compression, long segmentSize,
                             List<Path> files, AcquisitionMetadata metadata, AcquisitionResult result, byte[] md5,
                             byte[] sha1, String software, String version, Instant started, Instant ended) {

    public static Path sidecar(Path path) { return path.resolveSibling(path.getFileName() + ".json"); }

    public static Path incompleteMarker(Path path) { return path.resolveSibling(path.getFileName() + ".INCOMPLETE"); }

    /**
     * Writes {@code PATH.json} (and {@code PATH.INCOMPLETE} unless complete); neither may exist.
     * Synced to the disk, as the image is, before this returns.
     */
    public void write(Path path) throws IOException {
        Files.write(sidecar(path), new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(json()),
                StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        Fsync.file(sidecar(path));
        if (!result.complete()) {
            Files.writeString(incompleteMarker(path), "INCOMPLETE: this acquisition was stopped at byte " + result.bytesRead()
                    + " of " + result.size() + "; the image holds the bytes before that only and its digests are not"
                    + " the media's.\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            Fsync.file(incompleteMarker(path));
        }
        Fsync.directoryOf(sidecar(path));
    }

    /**
     * The log's members, in order, as JSON values (strings, numbers, lists, maps): what
     * {@code PATH.json} holds, and what a triage report of the same read embeds.
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> fields() {
        return new ObjectMapper().convertValue(json(), LinkedHashMap.class);
    }

    private ObjectNode json() {
        ObjectNode doc = new ObjectMapper().createObjectNode();
        doc.put("status", result.complete() ? "complete" : "INCOMPLETE");
        doc.put("software", software);
        doc.put("version", version);
        doc.put("source", source);
        doc.put("size", result.size());
        doc.put("sector_size", sectorSize);
        doc.put("bytes_read", result.bytesRead());
        if (!result.complete()) doc.put("stopped_at", result.bytesRead());
        doc.put("format", format);
        if (compression != null) doc.put("compression", compression.name().toLowerCase(java.util.Locale.ROOT));
        doc.put("segment_size", segmentSize);
        ArrayNode fs = doc.putArray("files");
        for (Path f : files) fs.add(f.getFileName().toString());
        ObjectNode m = doc.putObject("metadata");
        m.put("case_number", metadata.caseNumber());
        m.put("examiner", metadata.examiner());
        m.put("evidence_number", metadata.evidenceNumber());
        m.put("description", metadata.description());
        m.put("notes", metadata.notes());
        if (md5 != null) doc.put("md5", HexFormat.of().formatHex(md5));
        if (sha1 != null) doc.put("sha1", HexFormat.of().formatHex(sha1));
        ArrayNode bad = doc.putArray("unreadable");
        for (BadRange r : result.unreadable()) {
            ObjectNode b = bad.addObject();
            b.put("offset", r.offset());
            b.put("length", r.length());
        }
        doc.put("started", started.toString());
        doc.put("ended", ended.toString());
        return doc;
    }
}
