package org.triage.casework;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, item 6: the audit trail's chain. A real case (SQLite, audit.jsonl) gets six entries,
 * one recording a report's SHA-256 (by sha256sum, not by the code under test); then each test
 * tampers with the file as someone editing it by hand would, and the check must name the first
 * entry changed, removed or reordered.
 */
class AuditTrailTest {
    @TempDir
    Path tmp;
    EvidenceCase kase;
    Path report;

    @BeforeEach
    void sixEntries() throws Exception {
        kase = EvidenceCase.create(tmp.resolve("case"), "C-1", "J. Smith", tmp.resolve("db"), RunIdentity.current("triage test"));
        report = Files.writeString(kase.layout().reports().resolve("item-1-run-1.json"), "{\"evidence\": []}\n");
        String sum = new String(new ProcessBuilder("sha256sum", report.toString()).start().getInputStream().readAllBytes(),
                StandardCharsets.US_ASCII).split(" ")[0];
        for (int i = 2; i <= 6; i++) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("n", i);
            if (i == 4) {
                f.put("report", "reports/item-1-run-1.json");
                f.put("report_sha256", sum);
            }
            kase.audit().append("note", f);
        }
        assertEquals(6, lines().size());
    }

    private List<String> lines() throws Exception {
        return new ArrayList<>(Files.readAllLines(kase.layout().audit()));
    }

    private void write(List<String> lines) throws Exception {
        Files.writeString(kase.layout().audit(), String.join("\n", lines) + "\n");
    }

    private AuditTrail.AuditCheck check() throws Exception {
        return AuditTrail.verify(kase.layout(), kase.store().auditHead());
    }

    private void assertProblem(String expected) throws Exception {
        AuditTrail.AuditCheck c = check();
        assertTrue(!c.intact() && c.problems().get(0).startsWith(expected), "expected '" + expected + "…', got " + c.problems());
    }

    @Test
    void anUntouchedTrailIsIntactAndAppendsCarryOn() throws Exception {
        AuditTrail.AuditCheck c = check();
        assertTrue(c.intact(), c.problems().toString());
        assertEquals(6, c.entries());
        assertEquals(1, c.filesChecked());
        kase.audit().append("note", Map.of("n", 7));
        assertTrue(check().intact());
    }

    @Test
    void anEditedEntryIsNamed() throws Exception {
        List<String> l = lines();
        l.set(1, l.get(1).replace("\"n\":2", "\"n\":3"));
        write(l);
        assertProblem("entry 2 was changed");
    }

    @Test
    void anEditedLastEntryIsNamedByTheHeadTheDatabaseKeeps() throws Exception {
        List<String> l = lines();
        l.set(5, l.get(5).replace("\"n\":6", "\"n\":60"));
        write(l);
        assertProblem("entry 6 was changed");
    }

    @Test
    void aDeletedEntryIsNamed() throws Exception {
        List<String> l = lines();
        l.remove(2);
        write(l);
        assertProblem("entry 3 was removed");
    }

    @Test
    void aDeletedLastEntryIsNamed() throws Exception {
        List<String> l = lines();
        l.remove(5);
        write(l);
        assertProblem("entry 6 was removed");
    }

    @Test
    void swappedEntriesAreNamed() throws Exception {
        List<String> l = lines();
        Collections.swap(l, 2, 3);
        write(l);
        assertProblem("entries were reordered: line 3 holds entry 4, entry 3 is at line 4");
    }

    @Test
    void aReportChangedByOneByteIsNamed() throws Exception {
        byte[] b = Files.readAllBytes(report);
        b[3] ^= 1;
        Files.write(report, b);
        assertProblem("report reports/item-1-run-1.json was changed after entry 4 recorded it");
    }

    @Test
    void aRemovedReportIsNamed() throws Exception {
        Files.delete(report);
        assertProblem("report reports/item-1-run-1.json recorded by entry 4 cannot be read");
    }
}
