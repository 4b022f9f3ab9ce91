package org.triage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, items 1, 2, 6 and 7: {@code triage case create / add / run / status / verify} on real
 * evidence: two directories, a raw FAT disk image (mkfs.vfat, mcopy) and an E01 of an ext4
 * filesystem (mke2fs -d, ewfacquire), with known pictures planted in a directory and in the E01 and
 * a store imported from md5sum's output of the planted files. Each test checks the evidence is
 * unchanged (sha256sum of every file before and after).
 */
class CaseCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BUILD = """
            set -euo pipefail
            export PATH="$PATH:/usr/sbin:/sbin" MTOOLS_SKIP_CHECK=1
            cd "$1"
            mkfs.vfat -C -n CASEFAT ev/card.img 4096 >/dev/null
            mcopy -i ev/card.img pics/u1.jpg pics/u2.jpg pics/u3.jpg ::/
            mke2fs -q -t ext4 -b 1024 -d e01src disk.img 8M >/dev/null
            ewfacquire -u -q -c none -S 8MiB -t ev/phone -C case -D phone -e examiner -E ev2 -N notes disk.img >/dev/null 2>&1
            rm disk.img
            md5sum known-a/* > a.md5
            md5sum e01src/* | grep b- > b.md5
            """;

    @TempDir
    static Path dir;
    static Path ev;
    static Path db;

    @RegisterExtension
    final EvidenceGuard evidenceUnchanged = new EvidenceGuard();

    @BeforeAll
    static void build() throws Exception {
        Random rnd = new Random(13);
        ev = Files.createDirectories(dir.resolve("ev"));
        Path pics = Files.createDirectories(dir.resolve("pics"));
        Path knownA = Files.createDirectories(dir.resolve("known-a"));
        Path e01src = Files.createDirectories(dir.resolve("e01src"));
        // The laptop: two Category A pictures and one picture in no set.
        Path laptop = Files.createDirectories(ev.resolve("laptop"));
        for (int i = 1; i <= 2; i++) {
            byte[] p = DemoCorpus.picture(rnd, "jpg");
            Files.write(knownA.resolve("a" + i + ".jpg"), p);
            Files.write(laptop.resolve("IMG_000" + i + ".jpg"), p);
        }
        Files.write(laptop.resolve("holiday.jpg"), DemoCorpus.picture(rnd, "jpg"));
        // The phone (E01): three Category B pictures.
        for (int i = 1; i <= 3; i++) Files.write(e01src.resolve("b-" + i + ".jpg"), DemoCorpus.picture(rnd, "png"));
        Files.writeString(e01src.resolve("notes.txt"), "nothing known\n");
        // The card (raw FAT): three pictures in no set. The stick (directory): one.
        for (int i = 1; i <= 3; i++) Files.write(pics.resolve("u" + i + ".jpg"), DemoCorpus.picture(rnd, "jpg"));
        Path stick = Files.createDirectories(ev.resolve("stick"));
        Files.write(stick.resolve("cat.jpg"), DemoCorpus.picture(rnd, "jpg"));
        Files.writeString(stick.resolve("letter.txt"), "dear all\n");
        Process p = new ProcessBuilder("bash", "-c", BUILD, "build", dir.toString()).inheritIO().start();
        assertTrue(p.waitFor(2, TimeUnit.MINUTES));
        assertEquals(0, p.exitValue(), "building the evidence");
        db = dir.resolve("db");
        Cli.importSet(dir.resolve("a.md5"), db, "caid-2026-11", "--kind", "alert", "--category", "A");
        Cli.importSet(dir.resolve("b.md5"), db, "lab", "--kind", "alert", "--category", "B");
    }

    private static Cli.Result ok(int code, String... args) {
        Cli.Result r = Cli.run(args);
        assertEquals(code, r.code(), String.join(" ", args) + "\n" + r);
        return r;
    }

    @Test
    void runRanksTheDevicesWithTheReasonInWords() throws Exception {
        evidenceUnchanged.watch(ev);
        Path kase = dir.resolve("case-rank");
        Path gone = Files.createDirectories(dir.resolve("gone"));
        Files.writeString(gone.resolve("x.txt"), "x\n");
        ok(0, "case", "create", kase.toString(), "--case", "OP-HARBOUR-17", "--examiner", "J. Smith", "--db", db.toString());
        // Added in an order unlike the ranking's, so that the order printed is the rule's.
        ok(0, "case", "add", kase.toString(), ev.resolve("stick").toString(), ev.resolve("card.img").toString());
        ok(0, "case", "add", kase.toString(), gone.toString(), "--label", "Tablet, exhibit JB/3");
        ok(0, "case", "add", kase.toString(), ev.resolve("phone.E01").toString(), ev.resolve("laptop").toString(),
                "--label", "exhibit JB/1");
        Cli.Result queued = ok(0, "case", "status", kase.toString());
        assertEquals(5, count(queued.out(), "\n     QUEUED\n"), queued.out());
        // The tablet's folder goes away after it was added: its scan cannot open it.
        Files.move(gone, dir.resolve("gone-moved"));

        Cli.Result run = ok(1, "case", "run", kase.toString(), "--jobs", "2", "--verify");
        Cli.Result status = ok(0, "case", "status", kase.toString());
        String out = status.out();
        List<String> order = List.of(ev.resolve("laptop").toString(), ev.resolve("phone.E01").toString(), gone.toString(),
                ev.resolve("card.img").toString(), ev.resolve("stick").toString());
        int last = -1;
        for (String item : order) {
            int at = out.indexOf(item);
            assertTrue(at > last, item + " out of order:\n" + out);
            last = at;
        }
        assertTrue(out.contains("HIGH: 2 known pictures, Category A 2 (sets caid-2026-11)"), out);
        assertTrue(out.contains("HIGH: 3 known pictures, Category B 3 (sets lab)"), out);
        assertTrue(out.contains("NOT EXAMINED: " + gone + ": no such file or directory"), out);
        assertTrue(out.contains("LOW: no known material; 3 pictures"), out);
        assertTrue(out.contains("LOW: no known material; 1 picture"), out);
        assertTrue(out.contains("[Tablet, exhibit JB/3]"), out);

        JsonNode json = JSON.readTree(ok(0, "case", "status", kase.toString(), "--json").out());
        assertEquals("OP-HARBOUR-17", json.get("case").asText());
        JsonNode items = json.get("items");
        assertEquals(5, items.size());
        for (int i = 0; i < order.size(); i++) {
            assertEquals(order.get(i), items.get(i).get("path").asText(), items.toString());
            assertEquals(i + 1, items.get(i).get("rank").asInt());
        }
        assertEquals("HIGH", items.get(0).get("level").asText());
        assertEquals(2, items.get(0).get("known_files").asLong());
        assertEquals("NOT EXAMINED", items.get(2).get("level").asText());
        assertEquals(3, items.get(3).get("unknown_pictures_and_videos").asLong());

        // Each finished item's report is in the case, owner-only, and its SHA-256 (by sha256sum) is the audit trail's.
        for (JsonNode item : items) {
            Path report = kase.resolve(item.get("report").asText());
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(report)));
            String sum = new String(Cli.exec(kase, "sha256sum", report.toString()), StandardCharsets.US_ASCII).split(" ")[0];
            assertTrue(Files.readString(kase.resolve("audit.jsonl")).contains("\"report_sha256\":\"" + sum + "\""), report.toString());
            assertTrue(Files.exists(kase.resolve(item.get("listing").asText())));
        }
        ok(0, "case", "verify", kase.toString());
        // The E01's identity in the audit trail: the media's MD5 from --verify, as ewfinfo reads the acquisition's.
        String ewfinfo = new String(Cli.exec(dir, "ewfinfo", ev.resolve("phone.E01").toString()), StandardCharsets.UTF_8);
        java.util.regex.Matcher stored = java.util.regex.Pattern.compile("MD5:\\s+([0-9a-f]{32})").matcher(ewfinfo);
        assertTrue(stored.find(), ewfinfo);
        JsonNode phone = null;
        for (String line : Files.readAllLines(kase.resolve("audit.jsonl"))) {
            JsonNode e = JSON.readTree(line);
            if (e.get("event").asText().equals("item-finished") && e.get("kind").asText().equals("ewf")) phone = e;
        }
        assertTrue(phone != null && phone.has("image"), "no item-finished entry for the E01");
        assertEquals(stored.group(1), phone.get("image").get("md5").asText(), phone.toString());
        assertTrue(phone.get("image").get("verified").asBoolean(), phone.toString());
        long segments = 0; // the size of every segment (phone.E01, phone.E02)
        try (var all = Files.list(ev)) {
            for (Path f : (Iterable<Path>) all::iterator) if (f.getFileName().toString().startsWith("phone.E")) segments += Files.size(f);
        }
        assertEquals(segments, phone.get("size").asLong());

        // A second run reads only what is not done: the item that could not be opened.
        Cli.Result again = ok(1, "case", "run", kase.toString());
        assertTrue(again.err().contains("1 item to scan"), again.toString());
    }

    @Test
    void addRefusesWhatIsNotEvidenceAndTheSameEvidenceTwice() throws Exception {
        evidenceUnchanged.watch(ev);
        Path kase = dir.resolve("case-add");
        ok(0, "case", "create", kase.toString(), "--case", "C-2", "--examiner", "J. Smith", "--db", db.toString());
        ok(0, "case", "add", kase.toString(), ev.resolve("laptop").toString());
        Cli.Result twice = ok(2, "case", "add", kase.toString(), ev.resolve("laptop") + "/");
        assertTrue(twice.err().contains("is already in the case: it is item 1"), twice.toString());
        Path link = dir.resolve("link-to-laptop");
        if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) Files.createSymbolicLink(link, ev.resolve("laptop"));
        Cli.Result byLink = ok(2, "case", "add", kase.toString(), link.toString());
        assertTrue(byLink.err().contains("the same evidence by another name"), byLink.toString());
        Cli.Result file = ok(2, "case", "add", kase.toString(), ev.resolve("laptop").resolve("holiday.jpg").toString());
        assertTrue(file.err().contains("is a regular file that is not a disk image"), file.toString());
        Cli.Result missing = ok(2, "case", "add", kase.toString(), dir.resolve("nowhere").toString());
        assertTrue(missing.err().contains("nowhere: no such file or directory"), missing.toString());
        Cli.Result holds = ok(2, "case", "add", kase.toString(), dir.toString());
        assertTrue(holds.err().contains("holds the case directory"), holds.toString());
        // All or none: a good item with a bad one adds neither.
        ok(2, "case", "add", kase.toString(), ev.resolve("stick").toString(), dir.resolve("nowhere").toString());
        JsonNode items = JSON.readTree(ok(0, "case", "status", kase.toString(), "--json").out()).get("items");
        assertEquals(1, items.size(), items.toString());
        Cli.Result notCase = ok(2, "case", "status", dir.resolve("pics").toString());
        assertTrue(notCase.err().contains("is not a case directory"), notCase.toString());
        Cli.Result exists = ok(2, "case", "create", kase.toString(), "--case", "C-2", "--examiner", "x", "--db", db.toString());
        assertTrue(exists.err().contains("already holds a case"), exists.toString());
    }

    /**
     * The queue is live: while {@code case run} reads a large file in another process, {@code case
     * status} here already shows the item HIGH from the match recorded before it (no sleep decides:
     * the test polls until it sees it or the item ends, which fails it).
     */
    @Test
    void statusFromAnotherProcessShowsTheFirstMatchBeforeTheItemEnds() throws Exception {
        Path live = Files.createDirectories(dir.resolve("live"));
        Files.copy(ev.resolve("laptop").resolve("IMG_0001.jpg"), live.resolve("IMG_0001.jpg"));
        // Files come before subfolders in a directory's walk: the match is recorded before the big file is read.
        Path big = Files.createDirectories(live.resolve("sub")).resolve("big.bin");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(1L << 30); // sparse: costs no disk, reads as zeros
        }
        evidenceUnchanged.watch(live);
        Path kase = dir.resolve("case-live");
        ok(0, "case", "create", kase.toString(), "--case", "C-3", "--examiner", "J. Smith", "--db", db.toString());
        ok(0, "case", "add", kase.toString(), live.toString());

        List<String> cmd = new ArrayList<>(SelfLauncher.javaCommand("-Xmx256m"));
        cmd.addAll(List.of("case", "run", kase.toString(), "--algorithms", "md5", "--progress-interval", "0.2"));
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread drain = new Thread(() -> {
            try {
                p.getErrorStream().transferTo(err);
            } catch (IOException ignored) {
                // the process ended
            }
        });
        drain.start();
        JsonNode seen = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (seen == null && System.nanoTime() < deadline) {
            Cli.Result s = Cli.run("case", "status", kase.toString(), "--json");
            if (s.code() == 0) {
                JsonNode item = JSON.readTree(s.out()).get("items").get(0);
                if (item.get("state").asText().equals("finished")) fail("the item ended before status showed its match: " + item);
                if (item.get("level").asText().equals("HIGH")) {
                    seen = item;
                    // Shown before the item was read to the end: its listing (written as the scan goes) has no big.bin yet.
                    String listed = Files.readString(kase.resolve(item.get("listing").asText()));
                    assertTrue(listed.contains("IMG_0001.jpg"), listed);
                    assertFalse(listed.contains("big.bin"), "status showed the match only once the big file was read");
                }
            }
            if (!p.isAlive() && seen == null) fail("case run ended before status showed the match: " + err);
            Thread.sleep(20);
        }
        if (seen == null) fail("status never showed the match");
        assertEquals("running", seen.get("state").asText());
        assertTrue(seen.get("reason").asText().startsWith("RUNNING"), seen.toString());
        assertTrue(seen.get("reason").asText().contains("1 known picture so far, Category A 1 (sets caid-2026-11)"), seen.toString());
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "case run did not end");
        drain.join();
        String stderr = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, p.exitValue(), stderr);
        // Progress for the whole case on stderr while it ran.
        assertTrue(stderr.matches("(?s).*triage: case: 0 done, 1 running, 0 queued; .* alert match.*"), stderr);
        JsonNode after = JSON.readTree(ok(0, "case", "status", kase.toString(), "--json").out()).get("items").get(0);
        assertEquals("finished", after.get("state").asText());
        assertTrue(after.get("reason").asText().startsWith("HIGH: 1 known picture, Category A 1"), after.toString());
    }

    @Test
    void verifyNamesAReportChangedAfterTheRun() throws Exception {
        Path kase = dir.resolve("case-verify");
        ok(0, "case", "create", kase.toString(), "--case", "C-4", "--examiner", "J. Smith", "--db", db.toString());
        ok(0, "case", "add", kase.toString(), ev.resolve("stick").toString());
        ok(0, "case", "run", kase.toString());
        Cli.Result good = ok(0, "case", "verify", kase.toString());
        assertTrue(good.out().contains("intact"), good.toString());
        Path report = kase.resolve("reports/item-1-run-1.json");
        byte[] b = Files.readAllBytes(report);
        b[b.length / 2] ^= 1;
        Files.write(report, b);
        Cli.Result bad = ok(1, "case", "verify", kase.toString());
        assertTrue(bad.out().contains("report reports/item-1-run-1.json was changed after entry"), bad.toString());
        assertFalse(bad.out().contains("intact"), bad.toString());
    }

    /**
     * Ctrl-C during a run: the item being read is stopped and marked so (never LOW), the items
     * not started stay queued, the exit code is 130; the next run reads both to the end.
     */
    @Test
    void anInterruptedItemIsNeverLowAndTheNextRunFinishesIt() throws Exception {
        Path slow = Files.createDirectories(dir.resolve("slow"));
        Files.writeString(slow.resolve("readme.txt"), "read before the big file: the item is examined in part\n");
        try (RandomAccessFile f = new RandomAccessFile(Files.createDirectories(slow.resolve("sub")).resolve("big.bin").toFile(), "rw")) {
            f.setLength(1L << 30);
        }
        evidenceUnchanged.watch(slow);
        Path kase = dir.resolve("case-int");
        ok(0, "case", "create", kase.toString(), "--case", "C-5", "--examiner", "J. Smith", "--db", db.toString());
        ok(0, "case", "add", kase.toString(), slow.toString(), ev.resolve("stick").toString());
        // Interrupted once the big file is being read (megabytes counted), not while the item is only handed out.
        java.util.regex.Pattern reading = java.util.regex.Pattern.compile("1 running, 1 queued; [0-9.]+ [MG]B of");
        Cli.Result stopped = Cli.interruptWhen(dir.resolve("int.out"), err -> reading.matcher(err).find(),
                List.of("case", "run", kase.toString(), "--jobs", "1", "--progress-interval", "0.1"));
        assertEquals(ExitCodes.INTERRUPTED, stopped.code(), stopped.toString());
        JsonNode items = JSON.readTree(ok(0, "case", "status", kase.toString(), "--json").out()).get("items");
        assertEquals(slow.toString(), items.get(0).get("path").asText(), items.toString());
        assertEquals("interrupted", items.get(0).get("state").asText(), items.toString());
        assertEquals("INCOMPLETE", items.get(0).get("level").asText(), items.toString());
        assertTrue(items.get(0).get("reason").asText().startsWith("INCOMPLETE: interrupted after"), items.toString());
        assertEquals("QUEUED", items.get(1).get("level").asText(), items.toString());
        Cli.Result again = ok(0, "case", "run", kase.toString());
        assertTrue(again.err().contains("2 items to scan"), again.toString());
        assertTrue(again.out().contains("2 items, 2 LOW"), again.toString());
    }

    private static int count(String text, String word) {
        int n = 0;
        for (int i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + 1)) n++;
        return n;
    }
}
