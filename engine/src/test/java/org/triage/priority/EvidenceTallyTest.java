package org.triage.priority;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.triage.model.ContentType;
import org.triage.model.Digests;
import org.triage.model.EntryDetails;
import org.triage.model.EntryType;
import org.triage.model.EvidenceSummary;
import org.triage.model.FileRecord;
import org.triage.model.Match;
import org.triage.model.Priority;
import org.triage.model.RawPath;
import org.triage.model.SetKind;
import org.triage.model.SourceStats;

/** Priority from the category table: what raises a device, what is only reported. */
class EvidenceTallyTest {
    @TempDir
    Path tmp;

    private static FileRecord file(String name, Match... matches) {
        return new FileRecord("dev", RawPath.of(name), EntryType.FILE, 1, Digests.NONE, List.of(matches), null, null,
                ContentType.JPEG, false, null);
    }

    private static EvidenceSummary tally(CategoryTable t, FileRecord... records) {
        return tally(t, new SourceStats("dev", Instant.EPOCH, Instant.EPOCH, 0, false, null), records);
    }

    private static EvidenceSummary tally(CategoryTable t, SourceStats stats, FileRecord... records) {
        EvidenceTally tally = new EvidenceTally("dev", t);
        for (FileRecord r : records) tally.add(r);
        return tally.finish(stats);
    }

    private static FileRecord unreadable(String name, long size) {
        return new FileRecord("dev", RawPath.of(name), EntryType.FILE, size, Digests.NONE, List.of(),
                "read error at offset 0: Input/output error", null, null, false, null);
    }

    /** What an image source records when a partition or filesystem cannot be read: no path, an error. */
    private static FileRecord imageProblem(String what) {
        return new FileRecord("dev", RawPath.ROOT, EntryType.OTHER, 0, Digests.NONE, List.of(), what, null, null, false,
                new EntryDetails(null, -1, false, null, true));
    }

    private static FileRecord[] plain(int n) {
        FileRecord[] out = new FileRecord[n];
        for (int i = 0; i < n; i++) {
            out[i] = new FileRecord("dev", RawPath.of("f" + i), EntryType.FILE, 1000, Digests.NONE, List.of(), null, null,
                    null, false, null);
        }
        return out;
    }

    private static FileRecord[] concat(FileRecord[] a, FileRecord... b) {
        FileRecord[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void vicsZeroAndComparisonAreReportedButDoNotRaise() {
        CategoryTable t = CategoryTable.load(null);
        EvidenceSummary s = tally(t, file("a.jpg", new Match("vic", SetKind.ALERT, "0")),
                file("b.jpg", new Match("vic", SetKind.ALERT, "4")));
        assertEquals(Priority.LOW, s.priority());
        assertEquals(2, s.alertFiles());
        assertEquals(1L, s.alertByCategory().get("0"));
        assertEquals(0, s.severity());
        // Issue 9, item 9: LOW and then ALERT: without saying why. The reason says it in words.
        assertEquals("only matches in categories that do not raise priority: VICS 0 Uncategorised / non-pertinent 1,"
                + " VICS 4 Comparison images 1", s.reason());
    }

    /**
     * Issue 9, item 9: "uncategorised" (no category, raises) and VICS 0 "Uncategorised / non-pertinent"
     * (does not raise) shared a word. The tally's key for no category is now "(no category)".
     */
    @Test
    void noCategoryIsNotCalledUncategorised() {
        CategoryTable t = CategoryTable.load(null);
        EvidenceSummary s = tally(t, file("a.jpg", new Match("lab", SetKind.ALERT, null)),
                file("b.jpg", new Match("vic", SetKind.ALERT, "0")));
        assertEquals(java.util.Map.of("(no category)", 1L, "0", 1L), s.alertByCategory());
        assertEquals("no category", t.describe(null));
        assertEquals("VICS 0 Uncategorised / non-pertinent", t.describe("0"));
        assertEquals("Category A", t.describe("cat a"));
        assertEquals("series 9", t.describe("series 9"));
        assertEquals(Priority.HIGH, s.priority());
    }

    /** Issue 9, item 7: an item not examined, or with a large share unreadable, ranks above LOW, with the reason in words. */
    @Test
    void notExaminedAndIncompleteItemsAreNotLow() {
        CategoryTable t = CategoryTable.load(null);
        EvidenceSummary missing = tally(t, new SourceStats("dev", Instant.EPOCH, Instant.EPOCH, 0, false,
                "ex3.E01: EWF segment 2 (ex3.E02) is missing"));
        assertEquals(Priority.UNKNOWN, missing.priority());
        assertEquals("not examined: ex3.E01: EWF segment 2 (ex3.E02) is missing", missing.reason());

        EvidenceSummary noFs = tally(t, imageProblem("ex3.E01, offset 0: neither a partition table nor a filesystem"));
        assertEquals(Priority.UNKNOWN, noFs.priority());
        assertEquals("not examined: ex3.E01, offset 0: neither a partition table nor a filesystem", noFs.reason());

        EvidenceSummary onePartition = tally(t, concat(plain(500), imageProblem("x.img, partition 2 (Linux), offset 9437184: image truncated")));
        assertEquals(Priority.INCOMPLETE, onePartition.priority());
        assertEquals("incomplete: x.img, partition 2 (Linux), offset 9437184: image truncated", onePartition.reason());

        // 1 of 100 entries (1%): incomplete; 1 of 200 (0.5%), small: still low, and said.
        EvidenceSummary onePercent = tally(t, concat(plain(99), unreadable("bad.bin", 1000)));
        assertEquals(Priority.INCOMPLETE, onePercent.priority());
        assertTrue(onePercent.reason().startsWith("incomplete: 1 of 100 entries could not be read"), onePercent.reason());
        EvidenceSummary half = tally(t, new SourceStats("dev", Instant.EPOCH, Instant.EPOCH, 199_000, false, null),
                concat(plain(199), unreadable("bad.bin", 1000)));
        assertEquals(Priority.LOW, half.priority());
        assertEquals("no alert match; 1 of 200 entries could not be read (under 1%)", half.reason());
        // ... unless that one entry holds a large share of the bytes.
        EvidenceSummary bigOne = tally(t, new SourceStats("dev", Instant.EPOCH, Instant.EPOCH, 199_000, false, null),
                concat(plain(199), unreadable("pagefile.sys", 30_000)));
        assertEquals(Priority.INCOMPLETE, bigOne.priority());
        assertTrue(bigOne.reason().contains("13% of bytes"), bigOne.reason());

        EvidenceSummary stopped = tally(t, new SourceStats("dev", Instant.EPOCH, Instant.EPOCH, 0, true, null), plain(7));
        assertEquals(Priority.INCOMPLETE, stopped.priority());
        assertEquals("incomplete: interrupted after 7 entries", stopped.reason());

        // HIGH stays HIGH whatever else, and says what else.
        EvidenceSummary high = tally(t, new SourceStats("dev", Instant.EPOCH, Instant.EPOCH, 4000, false, null),
                concat(plain(3), unreadable("bad.bin", 1),
                file("a.jpg", new Match("vic", SetKind.ALERT, "1"))));
        assertEquals(Priority.HIGH, high.priority());
        assertEquals("1 file matches known material that raises priority; also incomplete: 1 of 5 entries could not be"
                + " read (20% of entries)", high.reason());

        EvidenceSummary clean = tally(t, plain(4));
        assertEquals(Priority.LOW, clean.priority());
        assertEquals("no alert match", clean.reason());

        java.util.List<EvidenceSummary> all = new java.util.ArrayList<>(List.of(clean, half, stopped, onePercent,
                missing, high));
        all.sort(EvidenceTally.URGENCY);
        assertEquals(List.of(Priority.HIGH, Priority.UNKNOWN, Priority.INCOMPLETE, Priority.INCOMPLETE, Priority.LOW,
                Priority.LOW), all.stream().map(EvidenceSummary::priority).toList());
    }

    /**
     * Issue 11 item 3: a disk image found in a folder that could not be examined is a region not
     * examined, like a partition, however small a share of the folder's entries and bytes it is:
     * it must never hide inside a LOW. Its own region problems (inside the image) count the same.
     */
    @Test
    void aNestedImageThatCouldNotBeExaminedLeavesTheItemIncomplete() {
        CategoryTable t = CategoryTable.load(null);
        FileRecord image = new FileRecord("share", RawPath.of("case/ex2.E01"), EntryType.FILE, 100, Digests.NONE, List.of(),
                "case/ex2.E01, offset 0: neither a partition table nor a filesystem", null, ContentType.DISK_IMAGE, false,
                null, null, List.of(), "disk image: examined as one; its 0 entries are listed with it as their container");
        SourceStats stats = new SourceStats("share", Instant.EPOCH, Instant.EPOCH, 10_000_000, false, null);
        EvidenceSummary s = tally(t, stats, concat(plain(1000), image));
        assertEquals(Priority.INCOMPLETE, s.priority(), s.reason());
        assertEquals("incomplete: case/ex2.E01, offset 0: neither a partition table nor a filesystem", s.reason());
        EvidenceSummary alone = tally(t, stats, image);
        assertEquals(Priority.UNKNOWN, alone.priority(), alone.reason());

        // A plain file of a nested image that cannot be read is one unreadable entry, as anywhere.
        FileRecord inner = new FileRecord("share", RawPath.of("pics/a.jpg"), EntryType.FILE, 100, Digests.NONE, List.of(),
                "read failed", null, null, false, null, null, List.of(RawPath.of("case/ex2.E01")));
        assertEquals(Priority.LOW, tally(t, stats, concat(plain(1000), inner)).priority());
    }

    @Test
    void camUkAndUnknownCategoriesRaise() {
        CategoryTable t = CategoryTable.load(null);
        assertEquals(Priority.HIGH, tally(t, file("a.jpg", new Match("vic", SetKind.ALERT, "1"))).priority());
        assertEquals(3, tally(t, file("a.jpg", new Match("vic", SetKind.ALERT, "1"))).severity());
        assertEquals(2, tally(t, file("a.jpg", new Match("uk", SetKind.ALERT, "Cat B"))).severity());
        assertEquals(Priority.HIGH, tally(t, file("a.jpg", new Match("lab", SetKind.ALERT, "series 9"))).priority());
        assertEquals(Priority.HIGH, tally(t, file("a.jpg", new Match("lab", SetKind.ALERT, null))).priority());
        // A file in a non-raising and a raising set raises.
        assertEquals(Priority.HIGH, tally(t, file("a.jpg", new Match("vic", SetKind.ALERT, "0"),
                new Match("uk", SetKind.ALERT, "A"))).priority());
        assertEquals(Priority.LOW, tally(t, file("a.jpg", new Match("nsrl", SetKind.KNOWN_GOOD, "1"))).priority());
    }

    @Test
    void aLabTableAddsAndOverridesRows() throws Exception {
        Path lab = tmp.resolve("lab.tsv");
        Files.writeString(lab, "# our scheme\nS1\tSeries one\t5\tyes\tlab\n0\tUngraded, look anyway\t0\tyes\tlab\n");
        CategoryTable t = CategoryTable.load(lab);
        assertEquals("Series one", t.label("S1"));
        assertEquals(5, t.severity("s1"));
        assertTrue(t.raises("0"));
        assertEquals(Priority.HIGH, tally(t, file("a.jpg", new Match("vic", SetKind.ALERT, "0"))).priority());
        assertEquals("Category A", t.label("a"));
        assertNull(t.rule(null));
        assertFalse(CategoryTable.load(null).raises("0"));

        Files.writeString(lab, "S1\tSeries one\tfive\tyes\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CategoryTable.load(lab));
        assertTrue(e.getMessage().startsWith(lab + ":1: severity 'five'"), e.getMessage());
    }
}
