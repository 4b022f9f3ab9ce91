package org.triage.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * {@code triage bench --spark MASTER [DIR]}: what the cluster path costs on this machine against the
 * direct one, the same case read by {@code triage case run DIR} and by {@code triage case run DIR
 * --spark MASTER} in one bench run, alternating (direct first in odd rounds, Spark first in even
 * ones, so a passing load touches both), each a new process through the {@code triage} launcher as
 * an examiner runs it, on a fresh copy of the case each time.
 *
 * <p>Two cases: a <em>tiny</em> one (one folder of one small file), whose time is start-up and
 * nothing else, which gives each path's fixed cost (the Spark path's: a second JVM and the Spark
 * context, started and stopped); and a <em>big</em> one of generated evidence (a folder and two raw
 * ext4 images made by {@code mke2fs -d}, {@code --spark-gib} GiB in all, made once and reused from
 * DIR/spark), which gives each path's rate once its fixed cost is taken off. From the two the bench
 * says at what case size the cluster path costs at most 15% over the direct one (the target),
 * or that it never does when its rate is more than 15% below the direct one's.
 *
 * <p>Figures: wall seconds (median), MB/s of the content read (the big case's file bytes), the
 * run's own time from the case's audit trail ({@code run-started} to {@code run-finished}, JVMs and
 * Spark's start and stop outside it), and CPU seconds of the process and its children through GNU
 * {@code /usr/bin/time} when it is installed (on a machine shared with other work, the fairer
 * figure). The page cache is warm: the evidence is read once before the first run.
 */
final class SparkBench {
    /** The share size the big case's images are cut at: each image in several tasks, as a lab's drives would be. */
    static final long SPLIT = 256L << 20;
    /** The target: the cluster path at most this much over the direct one. */
    static final double TARGET = 0.15;
    private static final long MIB = 1 << 20;

    private final Path work;
    private final Path db;
    private final String master;
    private final String heap;
    private final PrintWriter err;
    private final ObjectMapper json = new ObjectMapper();

    private SparkBench(Path work, Path db, String master, String heap, PrintWriter err) {
        this.work = work;
        this.db = db;
        this.master = master;
        this.heap = heap;
        this.err = err;
    }

    /** One timed run of a case: wall and CPU seconds, and the run's own seconds from the audit trail. */
    record Timed(double seconds, double cpuSeconds, double runSeconds) {
    }

    /**
     * Runs the harness and prints the results.
     *
     * @param work   where the evidence is made (once) and the cases are run; several GiB free
     * @param db     the known-hash store the cases use (lookups happen, nothing matches)
     * @param master the Spark master the cluster path runs on (local[2] for this machine)
     * @param gib    the big case's evidence, GiB
     * @param runs   runs of each path on each case
     */
    static void run(Path work, Path db, String master, double gib, int runs, String heap, PrintWriter out, PrintWriter err,
                    boolean asJson) throws IOException, InterruptedException {
        if (SparkLaunch.built() == null) {
            throw new IOException("bench --spark needs the spark module built beside this triage (mvn -pl spark -am package"
                    + " -DskipTests), or TRIAGE_SPARK_DIR naming its target folder");
        }
        Files.createDirectories(work);
        SparkBench b = new SparkBench(work, db, master, heap, err);
        ObjectNode doc = b.json.createObjectNode();
        doc.put("load_before", b.loadAverage());
        doc.put("cores", Runtime.getRuntime().availableProcessors());
        doc.put("master", master);
        doc.put("split_bytes", SPLIT);
        doc.put("runs", runs);
        Path tiny = b.tinyEvidence();
        long bytes = (long) (gib * (1L << 30));
        List<Path> big = b.bigEvidence(bytes);
        for (Path p : big) warm(p);
        doc.put("big_case_content_bytes", bytes);
        ArrayNode items = doc.putArray("big_case_items");
        for (Path p : big) items.add(p.toString());

        // Untimed: the first run after a build writes each JVM's class-data-sharing archive at its exit
        // (the launcher's, the Spark driver's), which an examiner's later runs use.
        for (boolean onSpark : new boolean[] {false, true}) {
            Timed first = b.caseRun(List.of(tiny), onSpark);
            err.printf(Locale.ROOT, "bench: tiny case, %s, untimed first run: %.2f s%n", onSpark ? "case run --spark " + master : "case run",
                    first.seconds());
        }
        ObjectNode t = b.measure(doc.putObject("tiny"), List.of(tiny), runs, 0);
        ObjectNode g = b.measure(doc.putObject("big"), big, runs, bytes);
        double fd = t.get("direct").get("median_seconds").asDouble();
        double fs = t.get("spark").get("median_seconds").asDouble();
        double td = g.get("direct").get("median_seconds").asDouble();
        double ts = g.get("spark").get("median_seconds").asDouble();
        doc.put("fixed_cost_seconds", round(fs - fd));
        // Each path's time as fixed + bytes / rate: the rates from the big case with each path's fixed cost taken off.
        double rd = bytes / Math.max(1e-3, td - fd);
        double rs = bytes / Math.max(1e-3, ts - fs);
        doc.put("direct_rate_mb_s", round(rd / 1e6));
        doc.put("spark_rate_mb_s", round(rs / 1e6));
        doc.put("overhead_pct", round(100 * (ts - td) / td));
        double slope = (1 + TARGET) / rd - 1 / rs;
        double breakEven = slope > 0 ? Math.max(0, (fs - (1 + TARGET) * fd) / slope) : -1;
        doc.put("target_holds_from_bytes", breakEven < 0 ? -1 : Math.round(breakEven));
        doc.put("load_after", b.loadAverage());
        if (asJson) {
            out.println(b.json.writerWithDefaultPrettyPrinter().writeValueAsString(doc));
        } else {
            print(out, doc);
        }
        out.flush();
    }

    /** {@code runs} rounds of the direct and the cluster path on fresh cases of {@code items}. */
    private ObjectNode measure(ObjectNode node, List<Path> items, int runs, long bytes) throws IOException, InterruptedException {
        List<Timed> direct = new ArrayList<>();
        List<Timed> spark = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
            boolean directFirst = r % 2 == 0;
            for (int k = 0; k < 2; k++) {
                boolean onSpark = directFirst == (k == 1);
                Timed one = caseRun(items, onSpark);
                (onSpark ? spark : direct).add(one);
                err.printf(Locale.ROOT, "bench: %s case, %s: %.2f s (run %.2f s)%n", bytes == 0 ? "tiny" : "big",
                        onSpark ? "case run --spark " + master : "case run", one.seconds(), one.runSeconds());
            }
        }
        summary(node.putObject("direct"), direct, bytes);
        summary(node.putObject("spark"), spark, bytes);
        double d = node.get("direct").get("median_seconds").asDouble();
        double s = node.get("spark").get("median_seconds").asDouble();
        node.put("overhead_pct", round(100 * (s - d) / d));
        return node;
    }

    private static void summary(ObjectNode node, List<Timed> runs, long bytes) {
        ArrayNode all = node.putArray("seconds");
        for (Timed t : runs) all.add(round(t.seconds()));
        double median = median(runs.stream().mapToDouble(Timed::seconds).toArray());
        node.put("median_seconds", round(median));
        if (bytes > 0) node.put("mb_s", round(bytes / median / 1e6));
        node.put("median_run_seconds", round(median(runs.stream().mapToDouble(Timed::runSeconds).toArray())));
        node.put("median_cpu_seconds", round(median(runs.stream().mapToDouble(Timed::cpuSeconds).toArray())));
    }

    /**
     * A new case of the items (created in this JVM: not timed), then {@code triage case run CASE -q}
     * as its own process, with {@code --spark MASTER --spark-split SPLIT} for the cluster path.
     */
    private Timed caseRun(List<Path> items, boolean onSpark) throws IOException, InterruptedException {
        Path kase = work.resolve("case-" + (onSpark ? "spark" : "direct"));
        deleteTree(kase);
        inProcess("case", "create", kase.toString(), "--case", "bench", "--examiner", "bench", "--db", db.toString());
        List<String> add = new ArrayList<>(List.of("case", "add", kase.toString()));
        for (Path p : items) add.add(p.toString());
        inProcess(add.toArray(String[]::new));

        List<String> cmd = new ArrayList<>();
        Path gnuTime = Path.of("/usr/bin/time");
        Path timeFile = work.resolve("last-run.time");
        Files.deleteIfExists(timeFile);
        if (Files.isExecutable(gnuTime)) cmd.addAll(List.of(gnuTime.toString(), "-f", "%e %U %S", "-o", timeFile.toString()));
        Path launcher = SelfLauncher.launcherScript();
        cmd.addAll(launcher != null ? List.of(launcher.toString()) : SelfLauncher.javaCommand("-Xmx" + heap));
        cmd.addAll(List.of("case", "run", kase.toString(), "-q"));
        if (onSpark) cmd.addAll(List.of("--spark", master, "--spark-split", Long.toString(SPLIT)));
        Path log = work.resolve("last-run.err");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.to(log.toFile()));
        pb.environment().put("TRIAGE_JAVA_OPTS", "-Xmx" + heap);
        pb.environment().put("LANG", "C.UTF-8");
        pb.environment().put("MALLOC_ARENA_MAX", "2");
        long t0 = System.nanoTime();
        Process p = pb.start();
        if (!p.waitFor(2, TimeUnit.HOURS)) {
            p.destroy();
            throw new IOException("case run did not end in 2 hours: " + cmd);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        // 0: read, no match (the bench store's digests are random); anything else is a failed run, not a figure.
        if (p.exitValue() != 0) throw new IOException("case run exited " + p.exitValue() + ": " + cmd + " (its messages: " + log + ")");
        double cpu = -1;
        if (Files.exists(timeFile)) {
            String[] f = Files.readString(timeFile, StandardCharsets.US_ASCII).trim().split("\\s+");
            if (f.length >= 3) cpu = Double.parseDouble(f[f.length - 2]) + Double.parseDouble(f[f.length - 1]);
        }
        double run = runSeconds(kase.resolve("audit.jsonl"));
        deleteTree(kase);
        return new Timed(seconds, cpu, run);
    }

    /** {@code run-started} to {@code run-finished} in the case's audit trail. */
    private double runSeconds(Path audit) throws IOException {
        Instant start = null;
        Instant end = null;
        for (String line : Files.readAllLines(audit, StandardCharsets.UTF_8)) {
            JsonNode n = json.readTree(line);
            String event = n.path("event").asText();
            if (event.equals("run-started")) start = Instant.parse(n.get("time").asText());
            if (event.equals("run-finished")) end = Instant.parse(n.get("time").asText());
        }
        if (start == null || end == null) throw new IOException(audit + " has no run-started and run-finished");
        return Duration.between(start, end).toNanos() / 1e9;
    }

    private void inProcess(String... args) throws IOException {
        StringWriter out = new StringWriter();
        StringWriter errText = new StringWriter();
        int code = TriageCommand.commandLine(new PrintWriter(out, true), new PrintWriter(errText, true), args).execute(args);
        if (code != 0) throw new IOException("triage " + String.join(" ", args) + " exited " + code + ": " + errText);
    }

    /** One folder, one file of 4 KiB: a case run's time on it is its start and end. */
    private Path tinyEvidence() throws IOException {
        Path dir = Files.createDirectories(work.resolve("tiny"));
        Path f = dir.resolve("one.bin");
        if (!Files.exists(f)) {
            byte[] b = new byte[4096];
            new SplittableRandom(3).nextBytes(b);
            Files.write(f, b);
        }
        return dir;
    }

    /**
     * The big case's items, made once per size: a folder of an eighth of the bytes and two raw ext4
     * images (mke2fs -d, no mounting) of the rest, files of mixed sizes (most small, a few of tens of
     * MB), each file's content unique.
     */
    private List<Path> bigEvidence(long bytes) throws IOException, InterruptedException {
        Path dir = work.resolve("evidence-" + (bytes / MIB) + "m");
        Path done = dir.resolve("complete");
        List<Path> items = List.of(dir.resolve("folder"), dir.resolve("drive-1.img"), dir.resolve("drive-2.img"));
        if (Files.exists(done)) return items;
        deleteTree(dir);
        Files.createDirectories(dir);
        err.printf(Locale.ROOT, "bench: making the big case's evidence in %s (%,d bytes of files; once)%n", dir, bytes);
        fill(items.get(0), bytes / 8, 1);
        for (int i = 1; i <= 2; i++) {
            Path tree = dir.resolve("tree-" + i);
            long content = bytes * 7 / 16;
            fill(tree, content, 1 + i);
            long imageMiB = content / MIB * 115 / 100 + 64;
            sh("PATH=$PATH:/usr/sbin:/sbin mke2fs -q -t ext4 -d '" + tree + "' '" + items.get(i) + "' " + imageMiB + "M");
            deleteTree(tree);
        }
        Files.writeString(done, "made by triage bench --spark\n");
        return items;
    }

    /** Files of mixed sizes under {@code dir} up to {@code bytes}: 84% up to 64 KiB, 15% up to 2 MiB, 1% of 16-64 MiB. */
    private static void fill(Path dir, long bytes, long seed) throws IOException {
        SplittableRandom rnd = new SplittableRandom(seed);
        byte[] pool = new byte[(int) (16 * MIB)];
        rnd.nextBytes(pool);
        long total = 0;
        for (int n = 0; total < bytes; n++) {
            int kind = rnd.nextInt(100);
            long size = kind < 84 ? 1 + rnd.nextInt(64 << 10)
                    : kind < 99 ? (64 << 10) + rnd.nextInt((int) (2 * MIB)) : 16 * MIB + rnd.nextInt((int) (48 * MIB));
            size = Math.min(size, bytes - total);
            Path d = Files.createDirectories(dir.resolve("d" + (n % 64)));
            try (FileChannel ch = FileChannel.open(d.resolve("f" + n + ".bin"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.allocate(16).putLong(0, seed).putLong(8, n)); // unique content: no two digests alike
                long left = size - Math.min(16, size);
                while (left > 0) {
                    int off = rnd.nextInt(pool.length / 2);
                    int k = (int) Math.min(left, pool.length - off);
                    ch.write(ByteBuffer.wrap(pool, off, k));
                    left -= k;
                }
            }
            total += size;
        }
    }

    /** Reads an item whole: every run starts from a warm page cache. */
    private static void warm(Path item) throws IOException {
        byte[] buf = new byte[1 << 20];
        try (var walk = Files.walk(item)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (!Files.isRegularFile(p)) continue;
                try (InputStream in = Files.newInputStream(p)) {
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        // read only
                    }
                }
            }
        }
    }

    private String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "?";
        }
    }

    private void sh(String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new IOException(command + " failed: " + text);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (var walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) Files.delete(p);
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        return s.length == 0 ? -1 : s[s.length / 2];
    }

    private static double round(double v) {
        return BenchCommand.round(v);
    }

    private static void print(PrintWriter out, JsonNode doc) {
        out.printf(Locale.ROOT, "machine: %d cores, load %s (before) / %s (after); Spark master %s, images cut at %,d bytes%n",
                doc.get("cores").asInt(), doc.get("load_before").asText(), doc.get("load_after").asText(), doc.get("master").asText(),
                doc.get("split_bytes").asLong());
        out.printf("%-5s %-7s %-40s %9s %8s %9s %9s %9s%n", "case", "path", "seconds", "median s", "MB/s", "run s", "CPU s", "overhead");
        for (String c : List.of("tiny", "big")) {
            JsonNode row = doc.get(c);
            for (String path : List.of("direct", "spark")) {
                JsonNode t = row.get(path);
                out.printf(Locale.ROOT, "%-5s %-7s %-40s %9.2f %8s %9.2f %9.2f %9s%n", c, path, t.get("seconds").toString(),
                        t.get("median_seconds").asDouble(), t.has("mb_s") ? String.format(Locale.ROOT, "%.0f", t.get("mb_s").asDouble()) : "-",
                        t.get("median_run_seconds").asDouble(), t.get("median_cpu_seconds").asDouble(),
                        path.equals("spark") ? String.format(Locale.ROOT, "%+.0f%%", row.get("overhead_pct").asDouble()) : "");
            }
        }
        long from = doc.get("target_holds_from_bytes").asLong();
        out.printf(Locale.ROOT, "spark: fixed cost %.2f s (a second JVM, the Spark context's start and stop; tiny case, spark minus direct);"
                        + " rates without fixed costs: direct %.0f MB/s, spark %.0f MB/s; big case (%,d bytes) %+.1f%% over direct;"
                        + " the %.0f%% target holds %s%n",
                doc.get("fixed_cost_seconds").asDouble(), doc.get("direct_rate_mb_s").asDouble(), doc.get("spark_rate_mb_s").asDouble(),
                doc.get("big_case_content_bytes").asLong(), doc.get("big").get("overhead_pct").asDouble(), 100 * TARGET,
                from < 0 ? "at no size (the cluster path's rate is more than 15% under the direct one's)"
                        : String.format(Locale.ROOT, "for cases from about %,d MB", from / 1_000_000));
    }
}
