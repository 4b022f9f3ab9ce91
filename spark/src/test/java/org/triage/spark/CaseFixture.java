package org.triage.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.triage.cli.CaseOutcome;

/**
 * Evidence for the cluster tests, built with Debian's tools: a directory, a raw FAT disk (mkfs.vfat,
 * mcopy) and an E01 (ewfacquire of an ext4 filesystem made by mke2fs -d), each with a known file
 * planted, and pictures (ImageMagick) near copies of two known ones, in the directory and in the
 * E01; a store of md5sum's output of the planted files and of the known pictures' PDQ hashes
 * ({@code triage hashset pdq}), so PDQ is on in every run; and the {@code triage} command, run from
 * the build's class folders in a child JVM as the launcher runs it, to make cases, run them and read
 * them.
 *
 * <p>Built once per test JVM ({@link #shared}) with the one-machine run that both cluster tests
 * compare with: the fixture, its store and the direct {@code case run} are most of what the two
 * tests had each paid for before. Under {@code target/}, removed when the JVM ends.
 */
final class CaseFixture {
    static final ObjectMapper JSON = new ObjectMapper();
    /** The spark module's build, which {@code triage case run --spark} starts its driver on. */
    static final Path SPARK_BUILD = Path.of("target").toAbsolutePath();
    /** The images are cut at this size: the FAT disk (8 MiB) into 3 shares, the E01 (24 MiB) into 7. */
    static final String SPLIT = "4000000";
    private static final String CONVERT = "/usr/bin/convert";
    private static CaseFixture shared;
    /**
     * What differs between any two runs: times and durations ({@link CaseOutcome#TIMES}), and the
     * report's PDQ work counter, pictures this process decoded: an entry taken from a share's listing
     * (or from a resumed run's) keeps its PDQ hash and quality and gets its near matches, but the
     * driver did not decode it.
     */
    private static final Set<String> PER_RUN =
            Stream.concat(CaseOutcome.TIMES.stream(), Stream.of("decoded")).collect(Collectors.toUnmodifiableSet());
    private static final String BUILD = """
            set -euo pipefail
            export PATH="$PATH:/usr/sbin:/sbin" MTOOLS_SKIP_CHECK=1
            cd "$1"
            mkfs.vfat -C -n CARD ev/card.img 8192 >/dev/null
            mcopy -s -i ev/card.img fat/* ::/
            mke2fs -q -t ext4 -b 1024 -d ext disk.img 24M
            ewfacquire -u -q -c none -S 64MiB -t ev/phone -C case -D phone -e examiner -E ev2 -N notes disk.img >/dev/null 2>&1
            rm disk.img
            md5sum known/* > known.md5
            """;
    /** Photo-like known pictures (fractal plasma, softened: PDQ quality over 50) and their near copies in the evidence. */
    private static final String PICTURES = """
            set -euo pipefail
            cd "$1"
            mkdir -p pictures ev/laptop/Pictures ext/DCIM
            for i in 0 1; do
              "$2" -size $((480 + 80 * i))x$((400 + 60 * i)) -seed $((11 + i)) plasma:fractal -blur 0x1 -depth 8 pictures/known$i.png
            done
            "$2" pictures/known0.png -resize 50% -quality 90 ev/laptop/Pictures/half_0.jpg
            "$2" pictures/known1.png -quality 70 ext/DCIM/IMG_q70_1.jpg
            "$2" pictures/known0.png -crop +1+1 +repage ext/DCIM/crop_0.png
            """;

    final Path dir;
    final Path ev;
    final Path db;
    final Path known;
    /** The one-machine run of the case ({@code case run --jobs 2}), and what it wrote; the evidence's sums before any run. */
    private Path oneMachine;
    private String oneMachineOutcome;
    private String evidenceBefore;
    private final Map<Path, JsonNode> statusAfterRun = new HashMap<>();

    private CaseFixture(Path dir) {
        this.dir = dir;
        this.ev = dir.resolve("ev");
        this.db = dir.resolve("db");
        this.known = dir.resolve("known");
    }

    /** The fixture of this JVM, built by the first test that asks, with its one-machine run. */
    static synchronized CaseFixture shared() throws Exception {
        if (shared == null) {
            Path dir = Files.createDirectories(Path.of("target", "spark-cases")).toAbsolutePath();
            Path mine = Files.createTempDirectory(dir, "run-");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(mine)));
            long t0 = System.nanoTime();
            CaseFixture f = build(mine);
            f.evidenceBefore = f.evidenceSums();
            long t1 = System.nanoTime();
            f.oneMachine = f.newCase("one");
            f.triage(1, "case", "run", f.oneMachine.toString(), "--jobs", "2", "-q");
            f.oneMachineOutcome = f.outcome(f.oneMachine);
            System.out.printf("CaseFixture: evidence and store %.1f s, the one-machine case %.1f s%n", (t1 - t0) / 1e9,
                    (System.nanoTime() - t1) / 1e9);
            shared = f;
        }
        return shared;
    }

    private static void delete(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // left under target/: mvn clean removes it
        }
    }

    /** What one machine's {@code case run} wrote (see {@link #outcome}). */
    String oneMachineOutcome() {
        return oneMachineOutcome;
    }

    /** The case one machine ran. */
    Path oneMachine() {
        return oneMachine;
    }

    /** The evidence's sha256sum lines before any run. */
    String evidenceBefore() {
        return evidenceBefore;
    }

    static CaseFixture build(Path dir) throws Exception {
        CaseFixture f = new CaseFixture(dir);
        Random rnd = new Random(15);
        Path laptop = Files.createDirectories(f.ev.resolve("laptop"));
        Path fat = Files.createDirectories(dir.resolve("fat"));
        Path ext = Files.createDirectories(dir.resolve("ext"));
        Files.createDirectories(f.known);
        for (int i = 1; i <= 3; i++) Files.write(f.known.resolve("k" + i + ".jpg"), bytes(rnd, 30_000 + i));
        files(rnd, laptop, 60, 40_000);
        files(rnd, fat, 40, 60_000);
        files(rnd, ext, 80, 80_000);
        Files.copy(f.known.resolve("k1.jpg"), laptop.resolve("d3/IMG_0001.jpg"));
        Files.copy(f.known.resolve("k2.jpg"), fat.resolve("d1/IMG_0002.jpg"));
        Files.copy(f.known.resolve("k3.jpg"), ext.resolve("d4/IMG_0003.jpg"));
        exec(dir, "bash", "-c", PICTURES, "pictures", dir.toString(), CONVERT);
        exec(dir, "bash", "-c", BUILD, "build", dir.toString());
        f.triage(0, "hashset", "import", dir.resolve("known.md5").toString(), "--db", f.db.toString(), "--name", "caid",
                "--kind", "alert", "--category", "A");
        Files.writeString(dir.resolve("known.pdq"), f.triage(0, "hashset", "pdq", dir.resolve("pictures").toString()));
        f.triage(0, "hashset", "import", dir.resolve("known.pdq").toString(), "--format", "pdq", "--db", f.db.toString(),
                "--name", "pictures", "--kind", "alert", "--category", "A");
        return f;
    }

    private static void files(Random rnd, Path root, int n, int max) throws IOException {
        for (int i = 0; i < n; i++) {
            Path d = Files.createDirectories(root.resolve("d" + (i % 6)));
            Files.write(d.resolve("f" + i + ".bin"), bytes(rnd, 100 + rnd.nextInt(max)));
        }
    }

    private static byte[] bytes(Random rnd, int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }

    /** A new case holding the three items. */
    Path newCase(String name) throws Exception {
        Path kase = dir.resolve(name);
        triage(0, "case", "create", kase.toString(), "--case", "C-" + name, "--examiner", "J. Smith", "--db", db.toString());
        triage(0, "case", "add", kase.toString(), ev.resolve("laptop").toString(), ev.resolve("card.img").toString(),
                ev.resolve("phone.E01").toString());
        return kase;
    }

    /** SHA-256 of every evidence file (sha256sum): the evidence must be the same after every run. */
    String evidenceSums() throws Exception {
        return new String(exec(ev, "bash", "-c", "find . -type f -print0 | sort -z | xargs -0 sha256sum"), StandardCharsets.UTF_8);
    }

    /** Runs triage; asserts its exit code; its stdout. */
    String triage(int code, String... args) throws Exception {
        Path err = Files.createTempFile(dir, "triage", ".err");
        Process p = start(List.of(args), err, null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.getInputStream().transferTo(out);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), String.join(" ", args) + " did not end");
        assertEquals(code, p.exitValue(), String.join(" ", args) + "\n" + out + Files.readString(err));
        return out.toString(StandardCharsets.UTF_8);
    }

    /**
     * Starts triage in a child JVM, as the launcher runs triage.jar but from the build's class
     * folders and libraries (this JVM's class path: the build as it is now, also in {@code mvn
     * test}, where no jar is made), its {@code --spark} driver on this module's build.
     *
     * @param out where its stdout goes; null: a pipe
     */
    static Process start(List<String> args, Path err, Path out) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(java(), "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                "org.triage.cli.TriageCommand"));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(err.toFile());
        if (out != null) pb.redirectOutput(out.toFile());
        pb.environment().put("TRIAGE_SPARK_DIR", SPARK_BUILD.toString());
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        pb.environment().put("LANG", "C.UTF-8");
        return pb.start();
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static byte[] exec(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        p.getInputStream().transferTo(buf);
        assertTrue(p.waitFor(3, TimeUnit.MINUTES), List.of(command) + " did not end");
        assertEquals(0, p.exitValue(), List.of(command) + " failed");
        return buf.toByteArray();
    }

    /** md5sum of the planted files, as the oracle: hex -> name. */
    Map<String, String> plantedMd5() throws Exception {
        Map<String, String> m = new TreeMap<>();
        for (String line : Files.readAllLines(dir.resolve("known.md5"))) m.put(line.substring(0, 32), line.substring(34));
        return m;
    }

    List<JsonNode> audit(Path kase, String event) throws IOException {
        return CaseOutcome.audit(kase, event);
    }

    /**
     * What one machine's run and a cluster's must both write, per item: the status (counts,
     * priority, reason), the report (times and the case's name aside, arrays sorted) and the
     * listing's entry lines, sorted; the md5 of every entry, for the oracle.
     */
    String outcome(Path kase) throws Exception {
        StringBuilder s = new StringBuilder();
        for (JsonNode i : items(kase)) {
            s.append(CaseOutcome.withoutRun(i).toPrettyString()).append('\n');
            s.append(CaseOutcome.normalised(JSON.readTree(kase.resolve(i.get("report").asText()).toFile()), PER_RUN)).append('\n');
            // Every line as it is, a line written twice included (RecordedOnceTest: the record stage once flushed
            // the listing after handing the item back, and a picture's line came out twice under load).
            for (String line : entries(kase.resolve(i.get("listing").asText()))) s.append(line).append('\n');
        }
        return s.toString();
    }

    /** The md5 of every file entry of the case's listings: md5 -> count. */
    Map<String, Integer> listedMd5(Path kase) throws Exception {
        Map<String, Integer> m = new TreeMap<>();
        for (JsonNode i : items(kase)) {
            for (String line : entries(kase.resolve(i.get("listing").asText()))) {
                JsonNode e = JSON.readTree(line);
                if (e.hasNonNull("md5")) m.merge(e.get("md5").asText(), 1, Integer::sum);
            }
        }
        return m;
    }

    /**
     * The items of {@code case status --json} of a case whose run has ended (asked once: each
     * triage started costs seconds on a loaded machine).
     */
    JsonNode items(Path kase) throws Exception {
        JsonNode items = statusAfterRun.get(kase);
        if (items == null) {
            items = JSON.readTree(triage(0, "case", "status", kase.toString(), "--json")).get("items");
            statusAfterRun.put(kase, items);
        }
        return items;
    }

    /** Every entry of the case's listings that has a PDQ hash: path -> its {@code pdq} and near matches. */
    Map<String, String> listedPdq(Path kase) throws Exception {
        Map<String, String> m = new TreeMap<>();
        for (JsonNode i : items(kase)) {
            for (String line : entries(kase.resolve(i.get("listing").asText()))) {
                JsonNode e = JSON.readTree(line);
                if (!e.hasNonNull("pdq")) continue;
                List<String> near = new ArrayList<>();
                for (JsonNode x : e.path("match")) if ("pdq".equals(x.path("by").asText())) near.add(x.toString());
                near.sort(null);
                m.put(i.get("id").asText() + ":" + e.get("path").asText(), e.get("pdq").asText() + " q" + e.path("pdq_quality").asText()
                        + " " + near);
            }
        }
        return m;
    }

    static List<String> entries(Path listing) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(listing)) if (line.startsWith("{\"source\"")) out.add(line);
        out.sort(null);
        return out;
    }
}
