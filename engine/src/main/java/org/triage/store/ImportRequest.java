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
 * @param allowUncategorised whether VICS Media without a category may go into an alert set that has
 *                    no {@code category} for them (each would raise priority on a match); when
 *                    false such an import fails, saying how many there are
 */
public record ImportRequest(Path file, String name, SetKind kind, ImportFormat format, String category,
                           boolean replace, String toolVersion, boolean allowUncategorised) {
    public ImportRequest {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        if (toolVersion == null) toolVersion = "unknown";
    }

    /** An import that refuses uncategorised VICS Media into an alert set. */
    public ImportRequest(Path file, String name, SetKind kind, ImportFormat format, String category, boolean replace,
                         String toolVersion) {
        this(file, name, kind, format, category, replace, toolVersion, false);
    }
}
