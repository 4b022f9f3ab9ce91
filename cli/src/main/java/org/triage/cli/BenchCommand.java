package org.triage.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code triage bench}: the end-to-end throughput harness labs run on their own hardware. Each
 * slice of a seeded corpus is scanned by {@code triage scan} as a separate process (JVM start
 * included, as a user runs it) and by {@code hashdeep -c md5,sha1 -r}, warm page cache, median of
 * N runs each, in the same run; the MD5+SHA-1 compute limit of the machine is measured the same
 * way every time with {@code openssl speed}. The archive slice ({@link ArchiveBench}) scans the small
 * slice zipped, beside a plain scan of it and {@code unzip -p | md5sum} per member.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Measure scan throughput on this machine against hashdeep and the MD5+SHA-1 compute limit.",
            "Generates (or reuses) a seeded corpus: small (50,000 files of 4-64 KiB), medium (2,000 of 100 KiB-3 MiB),",
            "large (8 of 256 MB); archive (the small slice in one deflate ZIP: members/s against a plain scan of the",
            "unpacked files and against unzip -p | md5sum per member). Warm page cache; median of --runs runs of each tool."},
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:measured", ExitCodes.L2_BENCH})
final class BenchCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", description = "Work directory for the corpus (default: $TMPDIR/triage-bench).")
    Path dir;

    @Option(names = "--json", description = "Print the results as JSON instead of a table.")
    boolean json;

    @Option(names = "--runs", defaultValue = "3", paramLabel = "N", description = "Runs per tool and slice; the median is reported (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--slices", defaultValue = "small,medium,large,archive", paramLabel = "LIST", description = "Slices to run (default: ${DEFAULT-VALUE}).")
    String slices;

    @Option(names = "--unzip-sample", defaultValue = "500", paramLabel = "N", description = "Archive slice: members timed with"
            + " unzip -p | md5sum (two processes a member: all 50,000 would take minutes), spread over the ZIP (default: ${DEFAULT-VALUE}).")
    int unzipSample;

    @Option(names = "--scale", defaultValue = "1", paramLabel = "F", description = "Multiply every slice's file count (for a quick try, e.g. 0.01).")
    double scale;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "N", description = "Corpus seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--heap", defaultValue = "512m", paramLabel = "SIZE", description = "-Xmx for the scans (default: ${DEFAULT-VALUE}).")
    String heap;

    @Option(names = "--pdq", description = "Add the photo slice: --photos generated pictures of 0.3-12 megapixels (JPEG, PNG,"
            + " HEIC); pictures/s of a scan with PDQ against the same without, the decode-only limit (djpeg at the scan's"
            + " scale, a core each) and the C++ pdq-photo-hasher (--reference, or found on the PATH).")
    boolean pdq;

    @Option(names = "--reference", paramLabel = "PATH", description = "With --pdq: ThreatExchange's C++ pdq-photo-hasher to time on"
            + " the same JPEGs (default: pdq-photo-hasher where it is on the PATH; it is not packaged, build it from ThreatExchange).")
    Path reference;

    @Option(names = "--photos", defaultValue = "2000", paramLabel = "N", description = "Pictures in the photo slice (default: ${DEFAULT-VALUE}).")
    int photos;

    @Option(names = "--no-hashdeep", description = "Skip hashdeep even when it is installed.")
    boolean noHashdeep;

    @Option(names = "--image", description = "Run the disk-image harness instead (a ~2 GiB ext4 image and two FAT32 images"
            + " in DIR/image): triage scan (MD5) vs fls + icat | md5sum vs cat vs openssl's MD5 rate, and disk order vs"
            + " directory order. Needs e2fsprogs, sleuthkit, mtools, dosfstools, openssl.")
    boolean image;

    @Option(names = "--acquire", description = "Run the imaging harness instead (AcquireBench): dd, ewfacquire and triage"
            + " acquire on a generated raw source of --acquire-gib GiB in DIR/acquire. Needs ewf-tools.")
    boolean acquire;

    @Option(names = "--acquire-gib", defaultValue = "4", paramLabel = "N", description = "Source size for --acquire (default: ${DEFAULT-VALUE}).")
    int acquireGib;

    @Option(names = "--first-hit", description = "Run the first-hit harness instead (a 4 GiB ext4 image of 100,000 files with"
            + " 20 known pictures, in DIR/firsthit): bytes and seconds until the first alert with pictures first and with"
            + " the order off, and a full scan each way. Needs e2fsprogs.")
    boolean firstHit;

    @Option(names = "--spark", paramLabel = "MASTER", description = "Run the cluster harness instead (SparkBench): the same"
            + " generated case (--spark-gib GiB in DIR/spark) read by case run and by case run --spark MASTER, alternating;"
            + " the overhead, and the cluster path's fixed start-up cost. Needs the spark module built.")
    String spark;

    @Option(names = "--spark-gib", defaultValue = "4", paramLabel = "N", description = "The --spark case's evidence, GiB (default: ${DEFAULT-VALUE}).")
    double sparkGib;

    /** One run: wall seconds, peaks, and the CPU seconds (user + system) of the process (-1: unknown). */
    record Run(double seconds, long peakHeap, long peakRss, double cpuSeconds) {
    }

    @Override
    public Integer call() throws Exception {
        if (runs < 1) throw new CommandLine.ParameterException(spec.commandLine(), "--runs must be at least 1, was " + runs);
        if (!heap.matches("[0-9]+[kKmMgG]?")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--heap must be a size such as 512m, was '" + heap + "'");
        }
        if (!(scale > 0)) throw new CommandLine.ParameterException(spec.commandLine(), "--scale must be positive, was " + scale);
        if (unzipSample < 1) throw new CommandLine.ParameterException(spec.commandLine(), "--unzip-sample must be at least 1, was " + unzipSample);
        if (reference != null && !(Files.isRegularFile(reference) && Files.isExecutable(reference))) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--reference " + reference
                    + " is not an executable file (the C++ pdq-photo-hasher, built from ThreatExchange's pdq/cpp)");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path root = dir != null ? dir : Path.of(System.getProperty("java.io.tmpdir"), "triage-bench");
        Files.createDirectories(root);
        if (acquire) {
            AcquireBench.run(root.resolve("acquire"), (long) acquireGib << 30, heap, out, err);
            return 0;
        }
        if (image) {
            ImageBench.run(root.resolve("image"), out, json);
            return 0;
        }
        if (firstHit) {
            FirstHitBench.run(root.resolve("firsthit"), out, err, json);
            return 0;
        }
        if (spark != null) {
            if (!SparkLaunch.validMaster(spark)) throw new CommandLine.ParameterException(spec.commandLine(), "--spark: not a Spark master: '" + spark + "'");
            if (!(sparkGib > 0)) throw new CommandLine.ParameterException(spec.commandLine(), "--spark-gib must be positive, was " + sparkGib);
            SparkBench.run(root.resolve("spark"), benchStore(root), spark, sparkGib, runs, heap, out, err, json);
            return 0;
        }
        List<BenchCorpus.Slice> chosen = new ArrayList<>();
        for (String name : slices.split(",")) {
            if (name.isBlank()) continue; // --slices '' with --pdq: the photo slice alone
            BenchCorpus.Slice s = BenchCorpus.SLICES.stream().filter(x -> x.name().equals(name.trim())).findFirst()
                    .orElseThrow(() -> new CommandLine.ParameterException(spec.commandLine(), "unknown slice '" + name + "'"));
            chosen.add(scale == 1 ? s : s.scaled(scale));
        }
        int cores = Runtime.getRuntime().availableProcessors();
        double md5 = opensslRate("md5");
        double sha1 = opensslRate("sha1");
        double limit = md5 > 0 && sha1 > 0 ? cores / (1 / md5 + 1 / sha1) : 0;
        boolean haveHashdeep = !noHashdeep && onPath("hashdeep");
        Path db = benchStore(root);

        ObjectMapper mapper = new ObjectMapper();
        ObjectNode doc = mapper.createObjectNode();
        ObjectNode machine = doc.putObject("machine");
        machine.put("cores", cores);
        machine.put("openssl_md5_mb_s", round(md5));
        machine.put("openssl_sha1_mb_s", round(sha1));
        machine.put("limit_mb_s", round(limit));
        machine.put("java", System.getProperty("java.version"));
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        machine.put("hashdeep", haveHashdeep);
        ArrayNode rows = doc.putArray("slices");

        for (BenchCorpus.Slice slice : chosen) {
            if (slice.name().equals(BenchCorpus.ARCHIVE)) {
                Path[] dirs = BenchCorpus.ensureArchive(root, slice, seed, err::println);
                long[] unpacked = warm(dirs[0]);
                warm(dirs[1]);
                ObjectNode row = new ArchiveBench(folder -> runTriage(folder, db, root), root.resolve("last-report.json"), err)
                        .measure(rows.addObject(), dirs[0], dirs[1], unpacked, runs, unzipSample);
                double hashed = row.get("bytes").asDouble() + row.get("archive_bytes").asDouble();
                // The ZIP's own bytes are hashed too: the share of the limit counts both.
                row.put("pct_of_limit", limit > 0 ? round(100 * hashed / row.get("triage").get("median_seconds").asDouble() / 1e6 / limit) : 0);
                continue;
            }
            Path sliceDir = BenchCorpus.ensure(root, slice, seed, err::println);
            long[] totals = warm(sliceDir);
            long files = totals[0];
            long bytes = totals[1];
            err.printf(Locale.ROOT, "bench: %s: %,d files, %,d bytes; %d runs of each tool%n", slice.name(), files, bytes, runs);
            List<Run> triageRuns = new ArrayList<>();
            for (int i = 0; i < runs; i++) triageRuns.add(runTriage(sliceDir, db, root));
            List<Run> hashdeepRuns = new ArrayList<>();
            if (haveHashdeep) {
                for (int i = 0; i < runs; i++) hashdeepRuns.add(runProcess(List.of("hashdeep", "-c", "md5,sha1", "-r", sliceDir.toString()), null, null));
            }
            ObjectNode row = rows.addObject();
            row.put("slice", slice.name());
            row.put("files", files);
            row.put("bytes", bytes);
            ObjectNode t = tool(row.putObject("triage"), triageRuns, files, bytes);
            if (haveHashdeep) {
                ObjectNode h = tool(row.putObject("hashdeep"), hashdeepRuns, files, bytes);
                row.put("ratio_to_hashdeep", round(t.get("mb_s").asDouble() / h.get("mb_s").asDouble()));
                row.put("hashdeep_pct_of_limit", limit > 0 ? round(100 * h.get("mb_s").asDouble() / limit) : 0);
            }
            row.put("pct_of_limit", limit > 0 ? round(100 * t.get("mb_s").asDouble() / limit) : 0);
        }
        if (pdq) {
            int count = (int) Math.max(1, Math.round(photos * scale));
            Path photoDir = PhotoCorpus.ensure(root, count, seed, err::println);
            warm(photoDir);
            Path hasher = reference != null ? reference : onPath("pdq-photo-hasher") ? Path.of("pdq-photo-hasher") : null;
            new PdqBench((folder, options) -> runTriage(folder, db, root, options), root.resolve("last-report.json"), err, hasher)
                    .measure(rows.addObject(), photoDir, runs);
        }
        if (json) {
            out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(doc));
        } else {
            printTable(out, doc);
        }
        return ExitCodes.CLEAN;
    }

    static ObjectNode tool(ObjectNode node, List<Run> runs, long files, long bytes) {
        double[] secs = runs.stream().mapToDouble(Run::seconds).sorted().toArray();
        double median = secs[secs.length / 2];
        ArrayNode all = node.putArray("seconds");
        for (Run r : runs) all.add(round(r.seconds()));
        node.put("median_seconds", round(median));
        node.put("mb_s", round(bytes / median / 1e6));
        node.put("files_s", round(files / median));
        double[] cpu = runs.stream().mapToDouble(Run::cpuSeconds).sorted().toArray();
        node.put("cpu_seconds", round(cpu[cpu.length / 2]));
        node.put("peak_heap_mb", round(runs.stream().mapToLong(Run::peakHeap).max().orElse(-1) / 1e6));
        node.put("peak_rss_mb", round(runs.stream().mapToLong(Run::peakRss).max().orElse(-1) / 1e6));
        return node;
    }

    private void printTable(PrintWriter out, ObjectNode doc) {
        ObjectNode m = (ObjectNode) doc.get("machine");
        out.printf(Locale.ROOT, "machine: %d cores, openssl md5 %.0f MB/s, sha1 %.0f MB/s -> MD5+SHA-1 limit %.0f MB/s (Java %s)%n",
                m.get("cores").asInt(), m.get("openssl_md5_mb_s").asDouble(), m.get("openssl_sha1_mb_s").asDouble(),
                m.get("limit_mb_s").asDouble(), m.get("java").asText());
        out.printf("%-7s %8s %14s  %-8s %8s %8s %9s %8s %8s %9s %9s%n", "slice", "files", "bytes", "tool", "median s",
                "MB/s", "files/s", "vs hd", "% limit", "heap MB", "RSS MB");
        for (var row : doc.get("slices")) {
            if (row.has("djpeg")) {
                printPhotos(out, row);
                continue;
            }
            if (row.has("unzip_md5sum")) {
                printArchive(out, row);
                continue;
            }
            for (String tool : List.of("triage", "hashdeep")) {
                if (!row.has(tool)) continue;
                var t = row.get(tool);
                String ratio = tool.equals("triage") && row.has("ratio_to_hashdeep")
                        ? String.format(Locale.ROOT, "%.2fx", row.get("ratio_to_hashdeep").asDouble()) : "";
                double pct = tool.equals("triage") ? row.get("pct_of_limit").asDouble()
                        : row.path("hashdeep_pct_of_limit").asDouble();
                out.printf(Locale.ROOT, "%-7s %8d %14d  %-8s %8.2f %8.0f %9.0f %8s %7.0f%% %9s %9.0f%n",
                        row.get("slice").asText(), row.get("files").asLong(), row.get("bytes").asLong(), tool,
                        t.get("median_seconds").asDouble(), t.get("mb_s").asDouble(), t.get("files_s").asDouble(),
                        ratio, pct, t.get("peak_heap_mb").asDouble() < 0 ? "-" : String.format(Locale.ROOT, "%.0f", t.get("peak_heap_mb").asDouble()),
                        t.get("peak_rss_mb").asDouble());
            }
        }
    }

    /** The photo slice: pictures/s with and without PDQ, against the decode-only limit and the reference. */
    private static void printPhotos(PrintWriter out, JsonNode row) {
        for (String tool : List.of("jpeg_pdq", "jpeg_no_pdq", "all_pdq", "all_no_pdq")) {
            var t = row.get(tool);
            boolean jpeg = tool.startsWith("jpeg");
            out.printf(Locale.ROOT, "%-7s %8d %14d  %-11s %5.2f %8.0f %9.0f %8s %8s %9.0f %9.0f%n", "photos",
                    row.get(jpeg ? "jpeg_pictures" : "pictures").asLong(), row.get(jpeg ? "jpeg_bytes" : "bytes").asLong(), tool,
                    t.get("median_seconds").asDouble(), t.get("mb_s").asDouble(), t.get("files_s").asDouble(), "", "",
                    t.get("peak_heap_mb").asDouble(), t.get("peak_rss_mb").asDouble());
        }
        out.printf(Locale.ROOT, "photos: JPEG with PDQ %.1f pictures/s = %.0f%% of the decode-only limit (djpeg at the same scale, a"
                        + " core each: %.1f pictures/s; target 70%%)%s; PDQ costs the whole slice %.0f%% of its time, its crypto"
                        + " pass %.0f%% (%s against %s without PDQ, mean ± half the range; target at most 10%%)%n",
                row.get("jpeg_pdq").get("files_s").asDouble(), row.get("pct_of_decode_limit").asDouble(),
                row.get("djpeg").get("pictures_s").asDouble(),
                row.has("reference") ? String.format(Locale.ROOT, "; %.1fx the C++ pdq-photo-hasher (%.1f pictures/s; by CPU %.1fx)",
                        row.get("ratio_to_reference").asDouble(), row.get("reference").get("pictures_s").asDouble(),
                        row.get("ratio_to_reference_cpu").asDouble())
                        : "; pdq-photo-hasher not given (--reference) nor on the PATH",
                row.get("pdq_cost_pct").asDouble(), row.get("crypto_pass").get("loss_pct").asDouble(),
                meanRange(row.get("crypto_pass"), "pdq_on"), meanRange(row.get("crypto_pass"), "pdq_off"));
        out.printf(Locale.ROOT, "photos: by CPU, djpeg's %.1f s = %.0f%% of the JPEG scan's with PDQ (%.0f%% of what PDQ adds to it)%n",
                row.get("djpeg").get("cpu_seconds").asDouble(), row.get("pct_of_decode_limit_cpu").asDouble(),
                row.get("pct_of_decode_limit_pdq_cpu").asDouble());
    }

    /** A series' mean ± half its range, in seconds. */
    private static String meanRange(JsonNode node, String name) {
        return String.format(Locale.ROOT, "%.2f ± %.2f s", node.get(name + "_seconds").asDouble(),
                (node.get(name + "_max").asDouble() - node.get(name + "_min").asDouble()) / 2);
    }

    /** The archive slice: members/s of the archive scan, files/s of the plain scan, and the share. */
    private static void printArchive(PrintWriter out, JsonNode row) {
        for (String tool : List.of("triage", "plain")) {
            var t = row.get(tool);
            out.printf(Locale.ROOT, "%-7s %8d %14d  %-8s %8.2f %8.0f %9.0f %8s %8s %9.0f %9.0f%n", "archive", row.get("files").asLong(),
                    row.get("bytes").asLong(), tool, t.get("median_seconds").asDouble(), t.get("mb_s").asDouble(),
                    t.get("files_s").asDouble(), "", tool.equals("triage") ? String.format(Locale.ROOT, "%.0f%%",
                            row.get("pct_of_limit").asDouble()) : "", t.get("peak_heap_mb").asDouble(), t.get("peak_rss_mb").asDouble());
        }
        var u = row.get("unzip_md5sum");
        out.printf(Locale.ROOT, "archive: triage %.0f members/s = %.0f%% of the plain scan's %.0f files/s (target 70%%; by CPU"
                        + " time %.0f%%); unzip -p | md5sum %.1f members/s (%d members%s) = %.0fx slower%n",
                row.get("triage").get("files_s").asDouble(), row.get("pct_of_plain").asDouble(),
                row.get("plain").get("files_s").asDouble(), row.get("pct_of_plain_cpu").asDouble(),
                u.get("members_s").asDouble(), u.get("members").asInt(),
                u.get("sampled").asBoolean() ? ", a sample" : "", row.get("ratio_to_unzip").asDouble());
    }

    /**
     * Scans the slice as an examiner runs it: a new JVM running this jar, MD5+SHA-1, report written,
     * progress on (so the progress totals' cost is in the figure; it went unmeasured while the bench
     * passed --quiet). Progress lines go to DIR/last-scan.err, not to the bench's own output.
     */
    private Run runTriage(Path slice, Path db, Path root) throws IOException, InterruptedException {
        return runTriage(slice, db, root, List.of());
    }

    private Run runTriage(Path slice, Path db, Path root, List<String> options) throws IOException, InterruptedException {
        Path stats = root.resolve("last-scan-stats.json");
        Files.deleteIfExists(stats);
        Path launcher = SelfLauncher.launcherScript();
        List<String> cmd = new ArrayList<>(launcher != null ? List.of(launcher.toString())
                : SelfLauncher.javaCommand("-Xmx" + heap));
        cmd.addAll(List.of("scan", slice.toString(), "--db", db.toString(), "--algorithms", "md5,sha1",
                "--report", root.resolve("last-report.json").toString(), "--stats-file", stats.toString()));
        cmd.addAll(options);
        return runProcess(cmd, stats, "-Xmx" + heap, root.resolve("last-scan.err"));
    }

    /**
     * Runs a command, discarding its output; wall time, and the peak RSS and the CPU time sampled
     * from /proc every 20 ms (so the CPU time misses at most the last 20 ms of the process's life).
     */
    private static Run runProcess(List<String> cmd, Path statsFile, String javaOpts) throws IOException, InterruptedException {
        return runProcess(cmd, statsFile, javaOpts, null);
    }

    /** {@code stderr}: where the command's standard error goes (null: to ours). */
    private static Run runProcess(List<String> cmd, Path statsFile, String javaOpts, Path stderr)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(stderr == null ? ProcessBuilder.Redirect.INHERIT : ProcessBuilder.Redirect.to(stderr.toFile()));
        if (javaOpts != null) pb.environment().put("TRIAGE_JAVA_OPTS", javaOpts);
        pb.environment().put("LANG", "C.UTF-8");
        pb.environment().put("MALLOC_ARENA_MAX", "2");
        long start = System.nanoTime();
        Process p = pb.start();
        long peakRss = 0;
        double cpu = -1;
        Path status = Path.of("/proc", Long.toString(p.pid()), "status");
        Path stat = Path.of("/proc", Long.toString(p.pid()), "stat");
        while (!p.waitFor(20, TimeUnit.MILLISECONDS)) {
            peakRss = Math.max(peakRss, procKb(status, "VmHWM") * 1024);
            cpu = Math.max(cpu, procCpuSeconds(stat));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (p.exitValue() > 1) {
            throw new IOException(cmd.get(0) + " exited " + p.exitValue() + ": " + cmd + (stderr == null ? "" : " (its messages: " + stderr + ")"));
        }
        long peakHeap = -1;
        if (statsFile != null && Files.exists(statsFile)) {
            var node = new ObjectMapper().readTree(statsFile.toFile());
            peakHeap = node.path("peak_heap_bytes").asLong(-1);
            peakRss = Math.max(peakRss, node.path("peak_rss_bytes").asLong(0));
        }
        return new Run(seconds, peakHeap, peakRss, cpu);
    }

    /**
     * User + system CPU seconds of a process and of its children it has waited for (fields 14-17
     * of /proc/PID/stat, in clock ticks of 1/100 s, Linux's USER_HZ); -1 when it cannot be read.
     * On a machine shared with other work this, not the wall time, is what a change is worth.
     */
    static double procCpuSeconds(Path stat) {
        try {
            String s = Files.readString(stat, StandardCharsets.US_ASCII);
            // The command name (field 2) may hold spaces; the fields after it start past its ')'.
            String[] f = s.substring(s.lastIndexOf(')') + 2).trim().split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
            return ticks / 100.0;
        } catch (IOException | RuntimeException e) {
            return -1; // the process ended between the check and the read
        }
    }

    static long procKb(Path status, String field) {
        try {
            for (String line : Files.readAllLines(status, StandardCharsets.US_ASCII)) {
                if (line.startsWith(field + ":")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        } catch (IOException | NumberFormatException e) {
            // the process ended between the check and the read
        }
        return 0;
    }

    /** Reads every file once, so every tool starts from a warm page cache; returns {files, bytes}. */
    private static long[] warm(Path dir) throws IOException {
        long[] t = new long[2];
        byte[] buf = new byte[1 << 20];
        try (var walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (!Files.isRegularFile(p)) continue;
                t[0]++;
                try (InputStream in = Files.newInputStream(p)) {
                    int n;
                    while ((n = in.read(buf)) > 0) t[1] += n;
                }
            }
        }
        return t;
    }

    /** A small store of random MD5 and SHA-1 digests: lookups happen, nothing matches. */
    private static Path benchStore(Path root) throws Exception {
        Path db = root.resolve("db");
        if (Files.isDirectory(db)) return db;
        Path list = root.resolve("bench-hashes.txt");
        SplittableRandom rnd = new SplittableRandom(7);
        StringBuilder sb = new StringBuilder();
        HexFormat hex = HexFormat.of();
        for (int i = 0; i < 2000; i++) {
            byte[] d = new byte[i % 2 == 0 ? 16 : 20];
            for (int j = 0; j < d.length; j++) d[j] = (byte) rnd.nextInt();
            sb.append(hex.formatHex(d)).append('\n');
        }
        Files.writeString(list, sb);
        try (org.triage.store.HashStoreAdmin s = org.triage.store.RocksHashStore.openWritable(db)) {
            s.importHashList(list, "bench-random", org.triage.model.SetKind.ALERT, null, false);
        }
        return db;
    }

    /** openssl speed -bytes 16384, single thread, in MB/s (10^6 bytes); 0 when openssl is missing. */
    static double opensslRate(String algorithm) {
        try {
            Process p = new ProcessBuilder("openssl", "speed", "-bytes", "16384", algorithm)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            p.waitFor();
            Matcher m = Pattern.compile("^" + algorithm + "\\s+([0-9.]+)k\\s*$", Pattern.MULTILINE).matcher(text);
            return m.find() ? Double.parseDouble(m.group(1)) * 1000 / 1e6 : 0;
        } catch (IOException | InterruptedException e) {
            return 0;
        }
    }

    static boolean onPath(String tool) {
        return Arrays.stream(System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":"))
                .anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
    }

    static double round(double v) {
        return Math.round(v * 100.0) / 100.0;
    }
}
