package org.triage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
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
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int KILLS = 20;
    /** Report and listing fields that are times or durations: they differ between any two runs. */
    private static final Set<String> TIMES = Set.of("started", "finished", "seconds", "generated", "generated_at", "started_at",
            "finished_at", "scan_started", "mb_per_s", "time", "elapsed", "files_per_second", "mb_per_second", "bytes_per_second", "duration");

    @TempDir
    Path dir;

    @RegisterExtension
    final EvidenceGuard evidenceUnchanged = new EvidenceGuard();

    @Test
    void killedAtTwentyMomentsTheResumedRunEqualsAnUninterruptedOne() throws Exception {
        Random rnd = new Random(4);
        Path folder = Files.createDirectories(dir.resolve("ev/laptop"));
        Cli.randomFiles(folder, 41, 6000, 64, 600, i -> "d" + (i % 30));
        Cli.randomFiles(folder.resolve("big"), 42, 3, 4 << 20, 1, i -> "");
        Path known = Files.createDirectories(dir.resolve("known"));
        for (int i = 1; i <= 3; i++) Files.write(known.resolve("k" + i + ".jpg"), DemoCorpus.picture(rnd, "jpg"));
        Files.copy(known.resolve("k1.jpg"), folder.resolve("d3/IMG_0001.jpg"));
        Files.copy(known.resolve("k2.jpg"), folder.resolve("d17/IMG_0002.jpg"));
        Path imgSrc = Files.createDirectories(dir.resolve("imgsrc"));
        Cli.randomFiles(imgSrc, 43, 300, 64, 1500, i -> "p" + (i % 5));
        Files.copy(known.resolve("k3.jpg"), imgSrc.resolve("p2/IMG_0003.jpg"));
        Path image = dir.resolve("ev/disk.img");
        Cli.exec(dir, "bash", "-c", "export PATH=$PATH:/usr/sbin:/sbin; mke2fs -q -t ext4 -b 1024 -d imgsrc ev/disk.img 16M"
                + " && md5sum known/* > known.md5");
        evidenceUnchanged.watch(dir.resolve("ev"));
        Path db = dir.resolve("db");
        Cli.importSet(dir.resolve("known.md5"), db, "caid", "--kind", "alert", "--category", "A");

        Path ref = makeCase(dir, "ref", db, folder, image);
        Path kase = makeCase(dir, "killed", db, folder, image);
        assertEquals(1, Cli.run("case", "run", ref.toString(), "--jobs", "1").code());
        int total = 0;
        for (JsonNode item : status(ref)) total += item.get("files").asInt();

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
        List<JsonNode> resumed = audit(kase, "item-resumed");
        int lost = 0;
        StringBuilder measured = new StringBuilder();
        for (Kill kill : kills) {
            // Killed after the item had ended (its end in the trail) and before the next item's listing: nothing to resume.
            if (audit(kase, "item-finished").stream().anyMatch(e -> e.get("run").asLong() == kill.run
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
        assertEquals(comparable(status(ref)), comparable(status(kase)));
        for (int item = 1; item <= 2; item++) {
            JsonNode a = finished(ref, item);
            JsonNode b = finished(kase, item);
            assertEquals(normalised(JSON.readTree(ref.resolve(a.get("report").asText()).toFile())),
                    normalised(JSON.readTree(kase.resolve(b.get("report").asText()).toFile())), "report of item " + item);
            List<String> expected = entries(ref.resolve(a.get("listing").asText()));
            List<String> got = entries(kase.resolve(b.get("listing").asText()));
            assertEquals(new HashSet<>(got).size(), got.size(), "an entry recorded twice in item " + item);
            assertEquals(expected, got, "listing of item " + item);
        }
        // The oracle: md5sum of every file of the folder, against the resumed case's listing.
        Map<String, String> listed = new TreeMap<>();
        for (String line : entries(kase.resolve(finished(kase, 1).get("listing").asText()))) {
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
                for (String line : entries(l)) union.add(line);
            }
        }
        return new Kill(item, Long.parseLong(m.group(2)), seen, entries(newest).size(), union.size());
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

    /** A new case in {@code dir} holding the folder and the image. */
    static Path makeCase(Path dir, String name, Path db, Path folder, Path image) {
        Path kase = dir.resolve(name);
        assertEquals(0, Cli.run("case", "create", kase.toString(), "--case", "C-" + name, "--examiner", "J. Smith", "--db",
                db.toString()).code());
        assertEquals(0, Cli.run("case", "add", kase.toString(), folder.toString(), image.toString()).code());
        return kase;
    }

    static JsonNode status(Path kase) throws IOException {
        Cli.Result s = Cli.run("case", "status", kase.toString(), "--json");
        assertEquals(0, s.code(), s.toString());
        return JSON.readTree(s.out()).get("items");
    }

    /** The status of every item without what names the run or the case. */
    static String comparable(JsonNode items) {
        ArrayNode out = JSON.createArrayNode();
        for (JsonNode i : items) {
            ObjectNode n = ((ObjectNode) i).deepCopy();
            n.remove(List.of("run", "report", "report_sha256", "listing", "started_at", "finished_at"));
            out.add(n);
        }
        return out.toPrettyString();
    }

    static List<JsonNode> audit(Path kase, String event) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(kase.resolve("audit.jsonl"))) {
            JsonNode n = JSON.readTree(line);
            if (n.get("event").asText().equals(event)) out.add(n);
        }
        return out;
    }

    /** The item's last item-finished audit entry. */
    private static JsonNode finished(Path kase, long item) throws IOException {
        JsonNode last = null;
        for (JsonNode n : audit(kase, "item-finished")) if (n.get("item").asLong() == item) last = n;
        assertTrue(last != null && last.get("state").asText().equals("finished"), "item " + item + " not finished: " + last);
        return last;
    }

    /** The entry lines of a listing, sorted; a torn last line (no end of line) left out. */
    static List<String> entries(Path listing) throws IOException {
        String text = Files.readString(listing);
        int end = text.lastIndexOf('\n');
        List<String> out = new ArrayList<>();
        for (String line : (end < 0 ? "" : text.substring(0, end)).split("\n")) {
            if (line.startsWith("{\"source\"")) out.add(line);
        }
        out.sort(null);
        return out;
    }

    /** A report without times and without what names its case, every array sorted. */
    static String normalised(JsonNode report) {
        return strip(report).toPrettyString();
    }

    private static JsonNode strip(JsonNode n) {
        if (n.isObject()) {
            ObjectNode o = JSON.createObjectNode();
            Iterator<Map.Entry<String, JsonNode>> it = n.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (TIMES.contains(e.getKey()) || e.getKey().equals("case")) continue;
                o.set(e.getKey(), strip(e.getValue()));
            }
            return o;
        }
        if (n.isArray()) {
            List<String> parts = new ArrayList<>();
            for (JsonNode x : n) parts.add(strip(x).toString());
            parts.sort(null);
            ArrayNode a = JSON.createArrayNode();
            for (String s : parts) {
                try {
                    a.add(JSON.readTree(s));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
            return a;
        }
        return n;
    }
}
