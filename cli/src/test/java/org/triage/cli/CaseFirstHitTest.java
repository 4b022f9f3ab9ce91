package org.triage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
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
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @RegisterExtension
    final EvidenceGuard evidenceUnchanged = new EvidenceGuard();

    @Test
    void firstHitLeavesItemsPartialAndFullFinishesThemAsAnUninterruptedRun() throws Exception {
        Random rnd = new Random(13);
        Path folder = Files.createDirectories(dir.resolve("ev/laptop"));
        Cli.randomFiles(folder, 51, 3000, 64, 4000, i -> "d" + (i % 20));
        Path known = Files.createDirectories(dir.resolve("known"));
        for (int i = 1; i <= 3; i++) Files.write(known.resolve("k" + i + ".jpg"), DemoCorpus.picture(rnd, "jpg"));
        Files.copy(known.resolve("k1.jpg"), Files.createDirectories(folder.resolve("zz/DCIM")).resolve("IMG_0001.jpg"));
        Files.copy(known.resolve("k2.jpg"), folder.resolve("zz/DCIM/IMG_0002.jpg"));
        Path imgSrc = Files.createDirectories(dir.resolve("imgsrc"));
        Cli.randomFiles(imgSrc, 52, 400, 64, 3000, i -> "p" + (i % 5));
        Files.copy(known.resolve("k3.jpg"), Files.createDirectories(imgSrc.resolve("zz")).resolve("IMG_0003.jpg"));
        Path image = dir.resolve("ev/disk.img");
        Cli.exec(dir, "bash", "-c", "export PATH=$PATH:/usr/sbin:/sbin; mke2fs -q -t ext4 -b 1024 -d imgsrc ev/disk.img 16M"
                + " && md5sum known/* > known.md5");
        evidenceUnchanged.watch(dir.resolve("ev"));
        Path db = dir.resolve("db");
        Cli.importSet(dir.resolve("known.md5"), db, "caid", "--kind", "alert", "--category", "A");

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

        Path ref = CaseResumeTest.makeCase(dir, "ref", db, folder, image);
        Path kase = CaseResumeTest.makeCase(dir, "firsthit", db, folder, image);
        assertEquals(1, Cli.run("case", "run", ref.toString(), "--jobs", "1").code());

        Path table = dir.resolve("lab-categories.tsv");
        Files.writeString(table, "X\tlab category X\t1\tno\n");
        Cli.Result first = Cli.run("case", "run", kase.toString(), "--jobs", "1", "--first-hit", "--categories", table.toString());
        assertEquals(1, first.code(), first.toString());
        // The table that decided what raises priority is in the trail: its path and sha256sum's digest of it.
        JsonNode started = CaseResumeTest.audit(kase, "run-started").get(0);
        assertEquals(table.toAbsolutePath().toString(), started.get("categories_file").asText(), started.toString());
        assertEquals(new String(Cli.exec(dir, "sha256sum", table.toString())).substring(0, 64), started.get("categories_sha256").asText());
        assertEquals(1, started.get("stop_after").asInt());
        assertTrue(first.err().contains("stopped at a first hit (PARTIAL)"), first.err());
        for (JsonNode item : CaseResumeTest.status(kase)) {
            String reason = item.get("reason").asText();
            assertEquals("partial", item.get("state").asText(), reason);
            assertEquals("HIGH", item.get("level").asText(), reason);
            assertTrue(reason.matches("HIGH: .*known picture.*; PARTIAL: stopped after the first known picture, .*; run `triage"
                    + " case run " + java.util.regex.Pattern.quote(kase.toString()) + " --full` to finish"), reason);
        }
        // The image's share is known before it is read; it stopped after a small part of it.
        JsonNode img = CaseResumeTest.status(kase).findValues("reason").stream().filter(r -> r.asText().contains("% of the item"))
                .findFirst().orElse(null);
        assertTrue(img != null, CaseResumeTest.status(kase).toPrettyString());
        Path html = dir.resolve("partial.html");
        assertEquals(0, Cli.run("case", "report", kase.toString(), "--html", html.toString()).code());
        assertTrue(Files.readString(html).contains("PARTIAL: stopped after the first known picture"));

        // A plain run leaves partial items as they are.
        Cli.Result plain = Cli.run("case", "run", kase.toString(), "--jobs", "1");
        assertTrue(plain.err().contains("0 items to scan, 2 done before"), plain.toString());
        assertEquals("partial", CaseResumeTest.status(kase).get(0).get("state").asText());
        assertEquals(2, Cli.run("case", "run", kase.toString(), "--full", "--first-hit").code(), "--full with --first-hit");

        Cli.Result full = Cli.run("case", "run", kase.toString(), "--jobs", "1", "--full");
        assertEquals(1, full.code(), full.toString());
        assertEquals(CaseResumeTest.comparable(CaseResumeTest.status(ref)), CaseResumeTest.comparable(CaseResumeTest.status(kase)));
        List<JsonNode> ends = CaseResumeTest.audit(kase, "item-finished");
        for (int item = 1; item <= 2; item++) {
            JsonNode a = last(CaseResumeTest.audit(ref, "item-finished"), item);
            JsonNode b = last(ends, item);
            assertEquals("finished", b.get("state").asText());
            assertTrue(b.get("completes_partial").asBoolean(), b.toString());
            assertEquals(CaseResumeTest.normalised(JSON.readTree(ref.resolve(a.get("report").asText()).toFile())),
                    CaseResumeTest.normalised(JSON.readTree(kase.resolve(b.get("report").asText()).toFile())), "report of item " + item);
            List<String> got = CaseResumeTest.entries(kase.resolve(b.get("listing").asText()));
            assertEquals(new HashSet<>(got).size(), got.size(), "an entry recorded twice in item " + item);
            assertEquals(CaseResumeTest.entries(ref.resolve(a.get("listing").asText())), got, "listing of item " + item);
            // The first-hit stop in the trail, and what the --full run took from it instead of reading it again.
            JsonNode stop = ends.stream().filter(e -> e.get("state").asText().equals("partial")).filter(e -> e.get("item").asLong() == a.get("item").asLong())
                    .findFirst().orElseThrow();
            assertTrue(stop.get("stopped_early").asText().startsWith("stopped after the first known picture"), stop.toString());
            int firstListing = CaseResumeTest.entries(kase.resolve(stop.get("listing").asText())).size();
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
