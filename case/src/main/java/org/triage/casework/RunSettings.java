package org.triage.casework;

import java.util.EnumSet;
import java.util.Set;
import org.triage.model.Algorithm;
import org.triage.priority.CategoryTable;

/**
 * How {@code case run} scans.
 *
 * @param jobs        items read at once, at most (and never two on one physical device)
 * @param algorithms  digests asked for (the store adds its own)
 * @param verify      also hash whole images and devices, and compare with an E01's stored hashes
 * @param categories  the category table to rank by
 * @param stopAfter   stop each item at its N-th file matching known material that raises priority
 *                    ({@code --first-hit}: 1; {@code --stop-after N}); the item is then PARTIAL. 0: read it whole
 * @param full        also run PARTIAL items, to the end, taking what their earlier runs read from their
 *                    listings instead of reading it again ({@code --full}); without it a PARTIAL item counts as done
 * @param categoriesFile the lab's category table the {@code categories} were loaded from ({@code --categories}),
 *                    recorded with its SHA-256 in the audit trail; null for the built-in table
 */
public record RunSettings(int jobs, Set<Algorithm> algorithms, boolean verify, CategoryTable categories, int stopAfter,
                          boolean full, java.nio.file.Path categoriesFile) {
    public RunSettings {
        if (jobs < 1) throw new IllegalArgumentException("jobs must be at least 1, was " + jobs);
        if (stopAfter < 0) throw new IllegalArgumentException("stop after must be 0 (never) or more, was " + stopAfter);
        if (full && stopAfter > 0) throw new IllegalArgumentException("--full reads items to the end: it cannot stop after "
                + stopAfter + " matches");
        if (algorithms.isEmpty()) throw new IllegalArgumentException("at least one algorithm is needed");
        algorithms = Set.copyOf(EnumSet.copyOf(algorithms));
    }

    /** Every item read whole. */
    public RunSettings(int jobs, Set<Algorithm> algorithms, boolean verify, CategoryTable categories) {
        this(jobs, algorithms, verify, categories, 0, false, null);
    }
}
