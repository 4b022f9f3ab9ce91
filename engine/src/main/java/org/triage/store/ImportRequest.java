package org.triage.store;

import java.nio.file.Path;
import java.util.Objects;
import org.triage.model.SetKind;

/**
 * One import: which file, as which set, in which format.
 *
 * @param file        the hash-set file
 * @param name        the set's name (not blank, no control characters)
 * @param kind        alert or known-good (NSRL is always known-good)
 * @param format      the file's format, or null to detect it ({@link ImportFormat#detect})
 * @param category    category for entries that carry none, or null
 * @param replace     whether an existing set of this name is replaced (atomically)
 * @param toolVersion the importing tool's version, recorded with the set
 */
public record ImportRequest(Path file, String name, SetKind kind, ImportFormat format, String category,
                           boolean replace, String toolVersion) {
    public ImportRequest {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        if (toolVersion == null) toolVersion = "unknown";
    }
}
