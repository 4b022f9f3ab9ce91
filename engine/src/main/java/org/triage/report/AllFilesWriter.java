package org.triage.report;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.triage.model.FileRecord;
import org.triage.model.RecordListener;

/**
 * Writes one JSON object per entry, one per line (JSON Lines), as records arrive. Lines are
 * gathered in memory and handed to the file whole, at the end of every ring batch (or every
 * {@value #FLUSH_BYTES} bytes), so a killed scan leaves every line already recorded, complete.
 * Schema in the README ("All-files listing"). Single-threaded: driven by the recording stage.
 */
public final class AllFilesWriter implements RecordListener, AutoCloseable {
    private static final int FLUSH_BYTES = 1 << 20;

    private final OutputStream out;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream(FLUSH_BYTES + (64 << 10));
    private final JsonGenerator json;

    public AllFilesWriter(Path file) throws IOException {
        this(Files.newOutputStream(file));
    }

    public AllFilesWriter(OutputStream out) throws IOException {
        this.out = out;
        this.json = new JsonFactory().createGenerator(pending, JsonEncoding.UTF8);
        json.setRootValueSeparator(null);
    }

    @Override
    public void onRecord(FileRecord r) {
        try {
            json.writeStartObject();
            json.writeStringField("source", r.source());
            RecordJson.writePath(json, "path", r.path());
            json.writeNumberField("size", r.size());
            json.writeStringField("type", r.typeLabel());
            json.writeBooleanField("ext_mismatch", r.extMismatch());
            RecordJson.writeDigests(json, r);
            RecordJson.writeMatches(json, r);
            RecordJson.writeNullable(json, "error", r.error());
            if (r.hardLinkOf() != null) RecordJson.writePath(json, "hardlink_of", r.hardLinkOf());
            RecordJson.writeDetails(json, r.details());
            json.writeEndObject();
            json.flush(); // into the in-memory buffer only
            pending.write('\n');
            if (pending.size() >= FLUSH_BYTES) onBatchEnd();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the all-files listing", e);
        }
    }

    @Override
    public void onBatchEnd() {
        if (pending.size() == 0) return;
        try {
            pending.writeTo(out);
            out.flush();
            pending.reset();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the all-files listing", e);
        }
    }

    @Override
    public void close() throws IOException {
        onBatchEnd();
        json.close();
        out.close();
    }
}
