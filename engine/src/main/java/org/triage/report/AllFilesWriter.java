package org.triage.report;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.triage.model.EvidenceSummary;
import org.triage.model.FileRecord;
import org.triage.model.ListingHeader;
import org.triage.model.RecordListener;

/**
 * Writes one JSON object per entry, one per line (JSON Lines), as records arrive. Lines are
 * gathered in memory and handed to the file whole, at the end of every ring batch (or every
 * {@value #FLUSH_BYTES} bytes), so a killed scan leaves every line already recorded, complete.
 * Schema in the README ("All-files listing"). Single-threaded: driven by the recording stage.
 *
 * <p>Besides the entries, two kinds of line say what the listing is, so that it can be re-matched
 * years later ({@code triage rematch}) without trusting anything but itself: a first line,
 * {@link #header}, naming the tool, the scan's start, the evidence and the hash sets; and after
 * each evidence item's entries an {@code evidence_done} line with its summary (how it was taken,
 * entries recorded, interrupted, why it could not be opened, image facts). An item whose end line
 * is missing was not read to the end as far as the listing can prove (a killed scan, a cut copy).
 * Entry lines are those with a {@code path}; the others have {@code listing} or {@code evidence_done}.
 *
 * <p>The listing is a by-product: when a write fails (a full disk), the listing stops there, its
 * pending lines are dropped and nothing more is gathered, and the scan goes on. The first failure
 * is kept for {@link #failure()}: the caller reports it once, at the end. Nothing here throws for it.
 */
public final class AllFilesWriter implements RecordListener, AutoCloseable {
    private static final int FLUSH_BYTES = 1 << 20;

    private final OutputStream out;
    private final String name;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream(FLUSH_BYTES + (64 << 10));
    private final JsonGenerator json;
    private IOException failure;

    public AllFilesWriter(Path file) throws IOException {
        this(OutputTarget.file(file));
    }

    /** Opens the target now (a file: created empty, 0600, under its name; see {@link OutputTarget#open}). */
    public AllFilesWriter(OutputTarget target) throws IOException {
        this(target.open(), target.toString());
    }

    /** @param name what the listing is called in messages (its path) */
    public AllFilesWriter(OutputStream out, String name) throws IOException {
        this.out = out;
        this.name = name;
        this.json = new JsonFactory().createGenerator(pending, JsonEncoding.UTF8);
        json.setRootValueSeparator(null);
    }

    /**
     * Writes the header line and hands it to the file at once. Call before the first record;
     * a listing without it reads as one written before headers (its provenance unknown).
     */
    public void header(ListingHeader h) {
        if (failure != null) return;
        try {
            json.writeStartObject();
            json.writeStringField("listing", "triage all-files");
            json.writeNumberField("version", ListingHeader.VERSION);
            RecordJson.writeHeaderFields(json, h);
            json.writeEndObject();
            endLine();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode the all-files listing's header", e);
        }
        onBatchEnd();
    }

    /**
     * The item's end line: what the scan knew of the item as a whole, which its entries do not say
     * (interrupted, could not be opened, image verification, how many entries there are). Handed to
     * the file at once.
     */
    @Override
    public void onEvidenceDone(EvidenceSummary s) {
        if (failure != null) return;
        try {
            json.writeStartObject();
            json.writeStringField("evidence_done", s.source());
            RecordJson.writeNullable(json, "taken_as", s.taken() == null ? null : s.taken().kind());
            RecordJson.writeNullable(json, "taken_note", s.taken() == null ? null : s.taken().note());
            json.writeNumberField("files", s.files());
            json.writeNumberField("bytes", s.bytes());
            json.writeNumberField("seconds", Math.round(s.seconds() * 1000.0) / 1000.0);
            json.writeBooleanField("interrupted", s.interrupted());
            RecordJson.writeNullable(json, "error", s.error());
            if (s.atimePreserved() == null) json.writeNullField("atime_preserved");
            else json.writeBooleanField("atime_preserved", s.atimePreserved());
            RecordJson.writeNullable(json, "atime_note", s.atimeNote());
            json.writeStringField("priority", s.priority().label());
            json.writeStringField("reason", s.reason());
            if (s.image() == null) json.writeNullField("image"); else RecordJson.writeImage(json, s.image());
            json.writeEndObject();
            endLine();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode the all-files listing's end line for " + s.source(), e);
        }
        onBatchEnd();
    }

    private void endLine() throws IOException {
        json.flush(); // into the in-memory buffer only
        pending.write('\n');
    }

    @Override
    public void onRecord(FileRecord r) {
        if (failure != null) return;
        try {
            json.writeStartObject();
            json.writeStringField("source", r.source());
            RecordJson.writePath(json, "path", r.path());
            RecordJson.writeContainer(json, r);
            RecordJson.writeNote(json, r);
            json.writeNumberField("size", r.size());
            json.writeStringField("type", r.typeLabel());
            json.writeBooleanField("ext_mismatch", r.extMismatch());
            RecordJson.writeDigests(json, r);
            RecordJson.writeMatches(json, r);
            RecordJson.writePdq(json, r);
            RecordJson.writeNullable(json, "error", r.error());
            RecordJson.writeChange(json, r.changedDuringRead());
            if (r.hardLinkOf() != null) RecordJson.writePath(json, "hardlink_of", r.hardLinkOf());
            RecordJson.writeDetails(json, r.details());
            RecordJson.writeRuns(json, r.details());
            json.writeEndObject();
            json.flush(); // into the in-memory buffer only
            pending.write('\n');
            if (pending.size() >= FLUSH_BYTES) onBatchEnd();
        } catch (IOException e) {
            // Only the in-memory buffer is written here: this would be a bug, not the disk.
            throw new UncheckedIOException("cannot encode the all-files listing's line for " + r.path().display(), e);
        }
    }

    @Override
    public void onBatchEnd() {
        if (pending.size() == 0) return;
        if (failure == null) {
            try {
                pending.writeTo(out);
                out.flush();
            } catch (IOException e) {
                failure = e;
            }
        }
        pending.reset();
    }

    /** The first write that failed (the listing stopped there), or null while every line was written. */
    public IOException failure() {
        return failure;
    }

    /** What the listing is called in messages: its path, or "standard output". */
    public String name() {
        return name;
    }

    int pendingBytes() {
        return pending.size();
    }

    /** Writes what is pending and closes the file; a failure is kept for {@link #failure()}, not thrown. */
    @Override
    public void close() {
        onBatchEnd();
        try (out) {
            json.close(); // into the in-memory buffer only
        } catch (IOException e) {
            if (failure == null) failure = e;
        }
    }
}
