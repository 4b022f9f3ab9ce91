package org.triage.casework;

import java.util.Map;

/**
 * What is known of an item's files so far: counted as the records arrive, so that a running item
 * already says what it holds.
 *
 * @param files          entries recorded
 * @param alertFiles     files in an alert set, whatever the category
 * @param raisingFiles   of those, files in a category that raises priority
 * @param raisingPictures of those, pictures (by signature)
 * @param raisingVideos  of those, videos
 * @param severity       the most severe category matched (the category table's severity; 0: none)
 * @param raisingWords   the raising categories with counts, in words, most severe first
 *                       ("Category A 3, Category B 9"); empty when none
 * @param otherWords     the matched categories that do not raise priority, in words; empty when none
 * @param bySet          alert files per set
 * @param pictures       pictures (by signature)
 * @param videos         videos
 * @param unknownMedia   pictures and videos in no set at all: what an examiner would review by hand
 * @param extMismatches  pictures and videos under a name whose extension is not their own
 * @param knownGood      files only in known-good sets, set aside
 * @param unreadable     entries that could not be read
 */
public record ItemCounts(long files, long alertFiles, long raisingFiles, long raisingPictures, long raisingVideos,
                         int severity, String raisingWords, String otherWords, Map<String, Long> bySet, long pictures,
                         long videos, long unknownMedia, long extMismatches, long knownGood, long unreadable) {

    public static final ItemCounts NONE = new ItemCounts(0, 0, 0, 0, 0, 0, "", "", Map.of(), 0, 0, 0, 0, 0, 0);

    public ItemCounts {
        bySet = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(bySet)); // sets named in order
        raisingWords = raisingWords == null ? "" : raisingWords;
        otherWords = otherWords == null ? "" : otherWords;
    }
}
