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
 * @param keepTrivial whether trivial digests ({@link TrivialDigests}: the empty file's, all-zero
 *                    blocks') stay in an alert set; when false they are left out, and said so
 * @param categoryColumn what the column after a plain list's digest is (null: {@link CategoryColumn#AUTO})
 */
public record ImportRequest(Path file, String name, SetKind kind, ImportFormat format, String category,
                           boolean replace, String toolVersion, boolean allowUncategorised, boolean keepTrivial,
                           CategoryColumn categoryColumn) {
    public ImportRequest {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        if (toolVersion == null) toolVersion = "unknown";
        if (categoryColumn == null) categoryColumn = CategoryColumn.AUTO;
    }

    /** An import that leaves trivial digests out of alert sets and refuses a category column of paths. */
    public ImportRequest(Path file, String name, SetKind kind, ImportFormat format, String category, boolean replace,
                         String toolVersion, boolean allowUncategorised) {
        this(file, name, kind, format, category, replace, toolVersion, allowUncategorised, false, CategoryColumn.AUTO);
    }

    /** The same import reading another file (standard input spooled to disk). */
    ImportRequest withFile(Path other) {
        return new ImportRequest(other, name, kind, format, category, replace, toolVersion, allowUncategorised,
                keepTrivial, categoryColumn);
    }

    /** An import that refuses uncategorised VICS Media into an alert set. */
    public ImportRequest(Path file, String name, SetKind kind, ImportFormat format, String category, boolean replace,
                         String toolVersion) {
        this(file, name, kind, format, category, replace, toolVersion, false);
    }
}
