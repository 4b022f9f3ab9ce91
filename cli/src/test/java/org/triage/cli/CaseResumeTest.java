package org.triage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, item 4: {@code case run} killed with SIGKILL at 20 seeded-random moments of one logical
 * run, and run again each time, ends with the same reports and listings as an uninterrupted run of
 * another case holding the same evidence, with every file's MD5 equal to md5sum's; each run after a
 * kill takes every entry the killed run had made durable from its checkpoint (the audit trail says
 * how many), and nothing is recorded twice.
 *
 * <p>Evidence: a directory of 6,000 small files and three of 4 MiB with two known pictures planted,
 * and a raw ext4 image (mke2fs -d) of 300 small files with one known picture.
 */
class CaseResumeTest {
    private static final ObjectMapper JSON = CaseOutcome.JSON;
    private static final int KILLS = 20;

    @TempDir
    Path dir;

    @RegisterExtension
    final EvidenceGuard evidenceUnchanged = new EvidenceGuard();

    @Test
    void killedAtTwentyMomentsTheResumedRunEqualsAnUninterruptedOne() throws Exception {
        Random rnd = new Random(4);
        CaseEvidence ev = new CaseEvidence(dir, rnd);
        Path folder = ev.folder;
        Cli.randomFiles(folder, 41, 6000, 64, 600, i -> "d" + (i % 30));
        Cli.randomFiles(folder.resolve("big"), 42, 3, 4 << 20, 1, i -> "");
        ev.plant(1, folder.resolve("d3/IMG_0001.jpg"));
        ev.plant(2, folder.resolve("d17/IMG_0002.jpg"));
        Cli.randomFiles(ev.imageSource, 43, 300, 64, 1500, i -> "p" + (i % 5));
        ev.plant(3, ev.imageSource.resolve("p2/IMG_0003.jpg"));
        ev.image();
        evidenceUnchanged.watch(dir.resolve("ev"));
        ev.store();

        Path ref = ev.newCase("ref");
        Path kase = ev.newCase("killed");
        assertEquals(1, Cli.run("case", "run", ref.toString(), "--jobs", "1").code());
        int total = 0;
        for (JsonNode item : CaseOutcome.status(ref)) total += item.get("files").asInt();

        // The kills: each once the case holds a seeded-random number of entries (1 to 40) more than after the last;
        // the scan runs on between the check and the kill, so the moments spread over the run.
        List<Kill> kills = new ArrayList<>();
        int last = 0;
        for (int k = 0; k < KILLS; k++) {
            int target = last + 1 + rnd.nextInt(40);
            Kill kill = runUntil(kase, target);
            if (kill == null) break; // the run ended before it got there
            kills.add(kill);
            last = listed(kase); // what the case holds after this kill: the next one comes after more than this
        }
        Cli.Result end = Cli.run("case", "run", kase.toString(), "--jobs", "1");
        assertEquals(1, end.code(), end.toString());
        assertTrue(kills.size() == KILLS, "only " + kills.size() + " kills landed before the run ended: " + kills);

        // Each run after a kill took from its checkpoint every entry the killed run had made durable.
        List<JsonNode> resumed = CaseOutcome.audit(kase, "item-resumed");
        int lost = 0;
        StringBuilder measured = new StringBuilder();
        for (Kill kill : kills) {
            // Killed after the item had ended (its end in the trail) and before the next item's listing: nothing to resume.
            if (CaseOutcome.audit(kase, "item-finished").stream().anyMatch(e -> e.get("run").asLong() == kill.run
                    && e.get("item").asLong() == kill.item)) {
                continue;
            }
            JsonNode r = resumed.stream().filter(e -> e.get("run").asLong() == kill.run + 1 && e.get("item").asLong() == kill.item)
                    .findFirst().orElse(null);
            if (r == null) fail("run " + (kill.run + 1) + " did not resume item " + kill.item + " after kill " + kill + ": " + resumed);
            long taken = r.get("checkpoint_entries").asLong();
            assertTrue(taken >= kill.distinct, "kill " + kill + ": only " + taken + " entries taken from the checkpoint");
            lost += Math.max(0, kill.seen - kill.durable);
            measured.append(String.format("kill at %d entries recorded (item %d, run %d): %d durable, %d taken%n",
                    kill.seen, kill.item, kill.run, kill.durable, taken));
        }
        System.out.println("CaseResumeTest: " + kills.size() + " kills; entries recorded per the database but not durable"
                + " (read again), summed over the kills: " + lost + "\n" + measured);

        // The outcome equals the uninterrupted run's: counts, priorities and reasons; reports; listings.
        assertEquals(CaseOutcome.comparable(CaseOutcome.status(ref)), CaseOutcome.comparable(CaseOutcome.status(kase)));
        for (int item = 1; item <= 2; item++) CaseOutcome.assertSameItem(ref, finished(ref, item), kase, finished(kase, item), item);
        // The oracle: md5sum of every file of the folder, against the resumed case's listing.
        Map<String, String> listed = new TreeMap<>();
        for (String line : CaseOutcome.entries(kase.resolve(finished(kase, 1).get("listing").asText()))) {
            JsonNode n = JSON.readTree(line);
            if (n.hasNonNull("md5")) listed.put(n.get("path").asText(), n.get("md5").asText());
        }
        Map<String, String> md5sum = new TreeMap<>();
        for (String line : new String(Cli.exec(folder, "bash", "-c", "find . -type f -printf '%P\\0' | xargs -0 md5sum"),
                StandardCharsets.UTF_8).split("\n")) {
            md5sum.put(line.substring(34), line.substring(0, 32));
        }
        assertEquals(md5sum, listed);
        assertEquals(0, Cli.run("case", "verify", kase.toString()).code());
    }

    /** What the test saw of one kill: the item and run killed, entries recorded per the database, durable in the listing. */
    private record Kill(long item, long run, int seen, int durable, int distinct) {
    }

    /**
     * Starts {@code case run} in a child JVM and kills it (SIGKILL) once the case's listings hold
     * {@code target} entries; null when the run ended first. Waits on the case's files, with a deadline.
     */
    private Kill runUntil(Path kase, int target) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(SelfLauncher.javaCommand("-Xmx256m"));
        cmd.addAll(List.of("case", "run", kase.toString(), "--jobs", "1"));
        long before = newestRun(kase);
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(dir.resolve("child.err").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        // Killed only once this run has recorded something of its own (its listing exists) and the case holds the target.
        while (p.isAlive() && (newestRun(kase) <= before || listed(kase) < target)) {
            if (System.nanoTime() > deadline) {
                p.destroyForcibly();
                fail("the case never held " + target + " entries: " + Files.readString(dir.resolve("child.err")));
            }
            Thread.sleep(10);
        }
        if (!p.isAlive()) {
            assertEquals(1, p.exitValue(), Files.readString(dir.resolve("child.err")));
            return null;
        }
        int seen = recordedPerDatabase(kase);
        p.destroyForcibly();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "not dead 30 s after SIGKILL");
        // Running: the item with the newest listing.
        Path newest = newestListing(kase);
        Matcher m = Pattern.compile("item-(\\d+)-run-(\\d+)\\.jsonl").matcher(newest.getFileName().toString());
        assertTrue(m.matches(), newest.toString());
        long item = Long.parseLong(m.group(1));
        Set<String> union = new HashSet<>();
        try (Stream<Path> all = Files.list(kase.resolve("listings"))) {
            for (Path l : all.filter(x -> x.getFileName().toString().startsWith("item-" + item + "-")).toList()) {
                for (String line : CaseOutcome.entries(l)) union.add(line);
            }
        }
        return new Kill(item, Long.parseLong(m.group(2)), seen, CaseOutcome.entries(newest).size(), union.size());
    }

    /** The newest run that has a listing; 0 before any. */
    private static long newestRun(Path kase) throws IOException {
        if (!Files.isDirectory(kase.resolve("listings"))) return 0;
        try (Stream<Path> all = Files.list(kase.resolve("listings"))) {
            return all.mapToLong(CaseResumeTest::run).max().orElse(0);
        }
    }

    /** Entries in the newest listing of each item: how far the case has got. */
    private static int listed(Path kase) throws IOException {
        Path listings = kase.resolve("listings");
        if (!Files.isDirectory(listings)) return 0;
        Map<String, Path> newest = new HashMap<>();
        try (Stream<Path> all = Files.list(listings)) {
            for (Path l : all.toList()) {
                Matcher m = Pattern.compile("item-(\\d+)-run-(\\d+)\\.jsonl").matcher(l.getFileName().toString());
                if (!m.matches()) continue;
                newest.merge(m.group(1), l, (a, b) -> run(a) > run(b) ? a : b);
            }
        }
        int n = 0;
        for (Path l : newest.values()) n += entryLines(l);
        return n;
    }

    private static long run(Path listing) {
        Matcher m = Pattern.compile("item-\\d+-run-(\\d+)\\.jsonl").matcher(listing.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    private static Path newestListing(Path kase) throws IOException {
        try (Stream<Path> all = Files.list(kase.resolve("listings"))) {
            return all.max(java.util.Comparator.comparingLong(CaseResumeTest::run).thenComparingLong(CaseResumeTest::item))
                    .orElseThrow();
        }
    }

    private static long item(Path listing) {
        Matcher m = Pattern.compile("item-(\\d+)-run-\\d+\\.jsonl").matcher(listing.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    /** Complete entry lines of a listing (not its header or end line, nor a line still being written). */
    private static int entryLines(Path l) throws IOException {
        byte[] b;
        try {
            b = Files.readAllBytes(l);
        } catch (java.nio.file.NoSuchFileException e) {
            return 0;
        }
        int n = 0;
        byte[] entry = "{\"source\"".getBytes(StandardCharsets.US_ASCII);
        for (int start = 0, i = 0; i < b.length; i++) {
            if (b[i] != '\n') continue;
            if (java.util.Arrays.equals(b, start, Math.min(start + entry.length, b.length), entry, 0, entry.length)) n++;
            start = i + 1;
        }
        return n;
    }

    /** Files recorded so far, per the case database (committed at most a quarter second behind the scan). */
    private static int recordedPerDatabase(Path kase) throws IOException {
        Cli.Result s = Cli.run("case", "status", kase.toString(), "--json");
        if (s.code() != 0) return 0;
        int n = 0;
        for (JsonNode item : JSON.readTree(s.out()).get("items")) {
            if (item.get("state").asText().equals("running")) n += item.get("files").asInt();
        }
        return n;
    }

    /** The item's last item-finished audit entry. */
    private static JsonNode finished(Path kase, long item) throws IOException {
        JsonNode last = null;
        for (JsonNode n : CaseOutcome.audit(kase, "item-finished")) if (n.get("item").asLong() == item) last = n;
        assertTrue(last != null && last.get("state").asText().equals("finished"), "item " + item + " not finished: " + last);
        return last;
    }
}
