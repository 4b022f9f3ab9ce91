package org.triage.casework;

import java.time.Instant;

/**
 * What a case is: set once by {@code case create}.
 *
 * @param caseId    the case reference
 * @param examiner  who created it
 * @param store     the known-hash store's directory, absolute
 * @param createdAt when
 * @param tool      the tool and version that created it
 */
public record CaseInfo(String caseId, String examiner, String store, Instant createdAt, String tool) {
}
