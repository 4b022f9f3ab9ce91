package org.triage.spark;

import java.io.Serializable;
import java.util.List;

/**
 * One Spark task's work: one share of one evidence item, read on an executor. Shipped to the
 * executor; holds names only (paths every machine sees alike), never content.
 *
 * @param item       the case's item id
 * @param path       the item, absolute, as the case names it (the same path on every machine)
 * @param part       this share, 0-based
 * @param parts      how many shares the item is cut into (1: the whole item)
 * @param store      the known-hash store, a path every machine sees, opened read-only
 * @param algorithms the digests asked for, by id ("md5")
 * @param caseId     for the share listing's header
 * @param examiner   for the share listing's header
 * @param tool       the tool and version that runs the case
 */
record ShareTask(long item, String path, int part, int parts, String store, List<String> algorithms, String caseId,
                 String examiner, String tool) implements Serializable {
    private static final long serialVersionUID = 1L;

    ShareTask {
        algorithms = List.copyOf(algorithms);
    }
}
