package org.triage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, item 3, in a case: {@code case run --first-hit} leaves each item with known material
 * HIGH and PARTIAL with the reason in words, status and the HTML report say so, a plain
 * {@code case run} leaves it, and {@code case run --full} reads it to the end taking what the
 * first-hit run read from its listing: the final status, reports and listings equal an uninterrupted
 * run's of another case holding the same evidence (sorted, times aside), and the audit trail holds
 * the stop and the completion.
 */
class CaseFirstHitTest {
    private static final ObjectMapper JSON = CaseOutcome.JSON;

    @TempDir
    Path dir;

    @RegisterExtension
    final EvidenceGuard evidenceUnchanged = new EvidenceGuard();

    @Test
    void firstHitLeavesItemsPartialAndFullFinishesThemAsAnUninterruptedRun() throws Exception {
        CaseEvidence ev = new CaseEvidence(dir, new Random(13));
        Path folder = ev.folder;
        Cli.randomFiles(folder, 51, 3000, 64, 4000, i -> "d" + (i % 20));
        ev.plant(1, folder.resolve("zz/DCIM/IMG_0001.jpg"));
        ev.plant(2, folder.resolve("zz/DCIM/IMG_0002.jpg"));
        Cli.randomFiles(ev.imageSource, 52, 400, 64, 3000, i -> "p" + (i % 5));
        ev.plant(3, ev.imageSource.resolve("zz/IMG_0003.jpg"));
        Path image = ev.image();
        evidenceUnchanged.watch(dir.resolve("ev"));
        Path db = ev.store();

        // triage scan --first-hit: the same stop per item, said in the report; exit 1 as for any alert.
        Path report = dir.resolve("scan.json");
        Cli.Result scan = Cli.run("scan", folder.toString(), image.toString(), "--db", db.toString(), "--first-hit", "--report",
                report.toString());
        assertEquals(1, scan.code(), scan.toString());
        assertTrue(scan.err().contains("2 items were stopped at a first hit (partial)"), scan.err());
        for (JsonNode e : JSON.readTree(report.toFile()).findValues("stopped_early")) {
            assertTrue(e.asText().startsWith("stopped after the first known picture, "), e.toString());
        }
        assertEquals(2, JSON.readTree(report.toFile()).findValues("stopped_early").size());

        Path ref = ev.newCase("ref");
        Path kase = ev.newCase("firsthit");
        assertEquals(1, Cli.run("case", "run", ref.toString(), "--jobs", "1").code());

        Path table = dir.resolve("lab-categories.tsv");
        Files.writeString(table, "X\tlab category X\t1\tno\n");
        Cli.Result first = Cli.run("case", "run", kase.toString(), "--jobs", "1", "--first-hit", "--categories", table.toString());
        assertEquals(1, first.code(), first.toString());
        // The table that decided what raises priority is in the trail: its path and sha256sum's digest of it.
        JsonNode started = CaseOutcome.audit(kase, "run-started").get(0);
        assertEquals(table.toAbsolutePath().toString(), started.get("categories_file").asText(), started.toString());
        assertEquals(new String(Cli.exec(dir, "sha256sum", table.toString())).substring(0, 64), started.get("categories_sha256").asText());
        assertEquals(1, started.get("stop_after").asInt());
        assertTrue(first.err().contains("stopped at a first hit (PARTIAL)"), first.err());
        for (JsonNode item : CaseOutcome.status(kase)) {
            String reason = item.get("reason").asText();
            assertEquals("partial", item.get("state").asText(), reason);
            assertEquals("HIGH", item.get("level").asText(), reason);
            assertTrue(reason.matches("HIGH: .*known picture.*; PARTIAL: stopped after the first known picture, .*; run `triage"
                    + " case run " + java.util.regex.Pattern.quote(kase.toString()) + " --full` to finish"), reason);
        }
        // The image's share is known before it is read; it stopped after a small part of it.
        JsonNode img = CaseOutcome.status(kase).findValues("reason").stream().filter(r -> r.asText().contains("% of the item"))
                .findFirst().orElse(null);
        assertTrue(img != null, CaseOutcome.status(kase).toPrettyString());
        Path html = dir.resolve("partial.html");
        assertEquals(0, Cli.run("case", "report", kase.toString(), "--html", html.toString()).code());
        assertTrue(Files.readString(html).contains("PARTIAL: stopped after the first known picture"));

        // A plain run leaves partial items as they are.
        Cli.Result plain = Cli.run("case", "run", kase.toString(), "--jobs", "1");
        assertTrue(plain.err().contains("0 items to scan, 2 done before"), plain.toString());
        assertEquals("partial", CaseOutcome.status(kase).get(0).get("state").asText());
        assertEquals(2, Cli.run("case", "run", kase.toString(), "--full", "--first-hit").code(), "--full with --first-hit");

        Cli.Result full = Cli.run("case", "run", kase.toString(), "--jobs", "1", "--full");
        assertEquals(1, full.code(), full.toString());
        assertEquals(CaseOutcome.comparable(CaseOutcome.status(ref)), CaseOutcome.comparable(CaseOutcome.status(kase)));
        List<JsonNode> ends = CaseOutcome.audit(kase, "item-finished");
        for (int item = 1; item <= 2; item++) {
            JsonNode a = last(CaseOutcome.audit(ref, "item-finished"), item);
            JsonNode b = last(ends, item);
            assertEquals("finished", b.get("state").asText());
            assertTrue(b.get("completes_partial").asBoolean(), b.toString());
            CaseOutcome.assertSameItem(ref, a, kase, b, item);
            // The first-hit stop in the trail, and what the --full run took from it instead of reading it again.
            JsonNode stop = ends.stream().filter(e -> e.get("state").asText().equals("partial")).filter(e -> e.get("item").asLong() == a.get("item").asLong())
                    .findFirst().orElseThrow();
            assertTrue(stop.get("stopped_early").asText().startsWith("stopped after the first known picture"), stop.toString());
            int firstListing = CaseOutcome.entries(kase.resolve(stop.get("listing").asText())).size();
            assertTrue(firstListing > 0);
            assertEquals(firstListing, b.get("resumed_entries").asLong(), "entries taken from the first-hit run, not read again");
        }
        assertFalse(full.err().contains("PARTIAL"), full.err());
        assertEquals(0, Cli.run("case", "verify", kase.toString()).code());
    }

    private static JsonNode last(List<JsonNode> finished, long item) {
        JsonNode out = null;
        for (JsonNode n : finished) if (n.get("item").asLong() == item) out = n;
        return out;
    }
}
