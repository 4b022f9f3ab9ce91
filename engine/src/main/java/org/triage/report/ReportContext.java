package org.triage.report;

import java.util.List;
import org.triage.model.HashSetInfo;

/**
 * Who ran the scan and against what, for the report's header.
 *
 * @param tool     tool name and version
 * @param caseId   case reference, or null
 * @param examiner examiner's name, or null
 * @param store    the hash store's location
 * @param sets     the sets the scan looked up
 * @param digestsBy what computed the digests: the OpenSSL version, or "jvm"
 */
public record ReportContext(String tool, String caseId, String examiner, String store, List<HashSetInfo> sets,
                            String digestsBy) {
}
