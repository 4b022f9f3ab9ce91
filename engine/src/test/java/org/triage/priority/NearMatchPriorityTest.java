package org.triage.priority;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.triage.model.ContentType;
import org.triage.model.Digests;
import org.triage.model.EntryType;
import org.triage.model.EvidenceSummary;
import org.triage.model.FileRecord;
import org.triage.model.Match;
import org.triage.model.NearMatch;
import org.triage.model.PdqHash;
import org.triage.model.PictureCounts;
import org.triage.model.PictureHash;
import org.triage.model.Priority;
import org.triage.model.RawPath;
import org.triage.model.SetKind;
import org.triage.model.SourceStats;

/**
 * Issue 12 item 5: a near match counts toward the priority like a digest match of its category,
 * but a picture under quality 50 never raises a device alone (it is still counted as listed).
 */
class NearMatchPriorityTest {
    private static final PdqHash KNOWN = PdqHash.parse("f".repeat(64));
    private static final PdqHash SEEN = PdqHash.parse("0f" + "f".repeat(62));
    private static final Match CAM = new Match("lab", SetKind.ALERT, "1");

    private static FileRecord picture(String name, int quality, Match... digestMatches) {
        PictureHash pdq = PictureHash.hashed(SEEN, quality, List.of(new NearMatch(CAM, KNOWN, SEEN.distance(KNOWN), 100)));
        return new FileRecord("dev", RawPath.of(name), EntryType.FILE, 1000, Digests.NONE, List.of(digestMatches), null,
                null, ContentType.JPEG, false, null, null, List.of(), null, pdq);
    }

    private static EvidenceSummary tally(FileRecord... records) {
        EvidenceTally t = new EvidenceTally("dev", CategoryTable.load(null));
        for (FileRecord r : records) t.add(r);
        return t.finish(new SourceStats("dev", Instant.EPOCH, Instant.EPOCH, 0, false, null));
    }

    @Test
    void aNearMatchRaisesLikeADigestMatchOfItsCategory() {
        EvidenceSummary s = tally(picture("re-encoded.jpg", 80));
        assertEquals(Priority.HIGH, s.priority(), s.reason());
        assertEquals(1, s.alertFiles());
        assertEquals(1L, s.alertByCategory().get("1"));
        assertEquals(1L, s.alertBySet().get("lab"));
        PictureCounts c = s.pictures();
        assertEquals(1, c.byPdqOnly(), c.toString());
        assertEquals(0, c.byDigest(), c.toString());
        assertEquals(1, c.nearMatched(), c.toString());
    }

    @Test
    void aPictureUnderQuality50NeverRaisesAlone() {
        EvidenceSummary s = tally(picture("flat.jpg", 49));
        assertEquals(Priority.LOW, s.priority(), s.reason());
        assertEquals(0, s.alertFiles(), "not counted as an alert file");
        assertEquals(1, s.pictures().lowQuality(), s.pictures().toString());
        assertTrue(s.reason().contains("quality under 50"), s.reason());
    }

    @Test
    void quality50IsEnough() {
        assertEquals(Priority.HIGH, tally(picture("fifty.jpg", 50)).priority());
    }

    @Test
    void aLowQualityPictureBesideADigestMatchLeavesTheDigestMatchToRaise() {
        EvidenceSummary s = tally(picture("flat.jpg", 10), picture("known.jpg", 10, CAM));
        assertEquals(Priority.HIGH, s.priority(), s.reason());
        assertEquals(1, s.alertFiles());
        assertEquals(1, s.pictures().byDigest());
        assertEquals(1, s.pictures().lowQuality());
    }

    @Test
    void aPictureKnownByDigestAndNearIsCountedOnce() {
        EvidenceSummary s = tally(picture("known.jpg", 90, CAM));
        assertEquals(1, s.alertFiles());
        assertEquals(1, s.pictures().byDigest());
        assertEquals(0, s.pictures().byPdqOnly());
    }
}
