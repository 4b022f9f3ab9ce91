package org.triage.report;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.triage.model.FileRecord;
import org.triage.model.RecordListener;

/**
 * Writes one JSON object per entry, one per line (JSON Lines), as records arrive, and flushes at
 * the end of every ring batch so that a killed scan keeps everything already recorded. Schema in
 * the README ("All-files listing"). Single-threaded: driven by the recording stage.
 */
public final class AllFilesWriter implements RecordListener, AutoCloseable {
    private final OutputStream out;
    private final JsonGenerator json;

    public AllFilesWriter(Path file) throws IOException {
        this(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16));
    }

    public AllFilesWriter(OutputStream out) throws IOException {
        this.out = out;
        this.json = new JsonFactory().createGenerator(out, JsonEncoding.UTF8);
        json.setRootValueSeparator(null);
        json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        json.disable(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM);
    }

    @Override
    public void onRecord(FileRecord r) {
        try {
            json.writeStartObject();
            json.writeStringField("source", r.source());
            RecordJson.writePath(json, "path", r.path());
            json.writeNumberField("size", r.size());
            json.writeStringField("type", r.type().label());
            RecordJson.writeDigests(json, r);
            RecordJson.writeMatches(json, r);
            RecordJson.writeNullable(json, "error", r.error());
            if (r.hardLinkOf() != null) RecordJson.writePath(json, "hardlink_of", r.hardLinkOf());
            json.writeEndObject();
            json.flush();
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the all-files listing", e);
        }
    }

    @Override
    public void onBatchEnd() {
        try {
            json.flush();
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the all-files listing", e);
        }
    }

    @Override
    public void close() throws IOException {
        json.close();
        out.close();
    }
}
