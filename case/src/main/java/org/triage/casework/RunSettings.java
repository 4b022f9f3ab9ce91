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
 */
public record RunSettings(int jobs, Set<Algorithm> algorithms, boolean verify, CategoryTable categories) {
    public RunSettings {
        if (jobs < 1) throw new IllegalArgumentException("jobs must be at least 1, was " + jobs);
        if (algorithms.isEmpty()) throw new IllegalArgumentException("at least one algorithm is needed");
        algorithms = Set.copyOf(EnumSet.copyOf(algorithms));
    }
}
