package org.triage.model;

import java.util.List;

/**
 * The outcome of a re-match: a result like a scan's (the evidence items of every listing, ranked
 * together; {@code startedAt} and {@code finishedAt} are the re-match's own), and each listing's
 * provenance.
 */
public record RematchResult(ScanResult result, List<ListingProvenance> listings) {
    public RematchResult {
        listings = List.copyOf(listings);
    }
}
