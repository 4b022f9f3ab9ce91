package org.triage.acquire;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the examiner says about the acquisition, stored in the E01 header and in the log. Any value
 * may be null (not given).
 */
public record AcquisitionMetadata(String caseNumber, String examiner, String evidenceNumber, String description,
                                  String notes) {

    /** libewf's header value identifiers, the ones ewfinfo lists; nulls left out. */
    Map<String, String> ewfHeaderValues() {
        Map<String, String> m = new LinkedHashMap<>();
        put(m, "case_number", caseNumber);
        put(m, "examiner_name", examiner);
        put(m, "evidence_number", evidenceNumber);
        put(m, "description", description);
        put(m, "notes", notes);
        return m;
    }

    private static void put(Map<String, String> m, String key, String value) {
        if (value != null && !value.isBlank()) m.put(key, value);
    }
}
