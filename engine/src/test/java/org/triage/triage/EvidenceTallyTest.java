package org.triage.triage;

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
import org.triage.model.CategoryTable;
import org.triage.model.ContentType;
import org.triage.model.Digests;
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
        EvidenceTally tally = new EvidenceTally("dev", t);
        for (FileRecord r : records) tally.add(r);
        return tally.finish(new SourceStats("dev", Instant.EPOCH, Instant.EPOCH, 0, false, null));
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
