package org.triage.store;

import java.io.IOException;
import java.nio.file.Path;

final class PdqListImporter implements SetImporter {
    PdqListImporter(String defaultCategory, CategoryColumn column) {
    }

    @Override
    public String read(Path file, ImportSink sink) throws IOException {
        throw new ImportException(file, 0, "PDQ lists are not supported yet");
    }
}
