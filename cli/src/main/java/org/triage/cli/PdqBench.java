package org.triage.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The bench's photo slice (issue 12, {@code triage bench --pdq}): pictures per second of a scan
 * with PDQ on the JPEG part, against the same scan without PDQ, against the decode-only limit of
 * the machine measured in the same run (libjpeg-turbo's {@code djpeg} at the scale the scan decodes
 * at, one process per picture, as many at once as there are cores), and against ThreatExchange's C++
 * {@code pdq-photo-hasher} where it is given ({@code --reference}) or on the PATH (it is not packaged:
 * build it from ThreatExchange). Then the whole slice (JPEG, PNG, HEIC) with and without PDQ, for
 * what PDQ costs the scan, and the crypto pass of each (with PDQ on, as its {@code -v} log says it
 * ended; PDQ drains after it): every run, their mean and range, for the 10% target.
 *
 * <p>Besides wall time, the CPU seconds of the JPEG scans and of the {@code djpeg} processes are
 * reported: on a machine shared with other work the CPU per picture is what compares.
 *
 * <p>Scans with and without PDQ alternate, so that a load that comes and goes touches both alike.
 * Each PDQ scan's report must count every JPEG hashed, or the figure would be of a scan that skipped
 * them.
 */
final class PdqBench {
    /** Runs one {@code triage scan} of a folder with extra options, as the bench runs it. */
    interface Scanner {
        BenchCommand.Run scan(Path folder, List<String> options) throws IOException, InterruptedException;
    }

    /** The side PDQ samples to: the scan decodes a JPEG at the smallest DCT scale still this large on both sides. */
    private static final int PDQ_SIDE = 512;

    private final Scanner scanner;
    private final Path report;
    private final PrintWriter err;
    private final Path reference;

    /** {@code reference}: the C++ {@code pdq-photo-hasher} to run, or null for none. */
    PdqBench(Scanner scanner, Path report, PrintWriter err, Path reference) {
        this.scanner = scanner;
        this.report = report;
        this.err = err;
        this.reference = reference;
    }

    ObjectNode measure(ObjectNode row, Path dir, int runs) throws IOException, InterruptedException {
        List<PhotoCorpus.Photo> jpegs = PhotoCorpus.manifest(dir, "jpeg");
        int all = 0;
        for (String f : PhotoCorpus.FORMATS) all += PhotoCorpus.manifest(dir, f).size();
        long jpegBytes = 0;
        for (PhotoCorpus.Photo p : jpegs) jpegBytes += Files.size(p.path());
        long allBytes = folderBytes(dir);
        Path jpegDir = dir.resolve("jpeg");
        err.printf(Locale.ROOT, "bench: photos: %,d pictures (%,d JPEG, %,d bytes of them); %d runs each with and without PDQ,"
                + " alternating%n", all, jpegs.size(), jpegBytes, runs);
        List<BenchCommand.Run> jpegOn = new ArrayList<>();
        List<BenchCommand.Run> jpegOff = new ArrayList<>();
        List<BenchCommand.Run> allOn = new ArrayList<>();
        List<BenchCommand.Run> allOff = new ArrayList<>();
        List<Double> cryptoOn = new ArrayList<>();
        List<Double> cryptoOff = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            jpegOn.add(scanner.scan(jpegDir, List.of("--pdq", "on")));
            checkHashed(jpegs.size());
            jpegOff.add(scanner.scan(jpegDir, List.of("--pdq", "off")));
            allOn.add(scanner.scan(dir, List.of("--pdq", "on", "-v")));
            cryptoOn.add(cryptoPassSeconds());
            allOff.add(scanner.scan(dir, List.of("--pdq", "off")));
            cryptoOff.add(itemSeconds());
        }
        err.printf(Locale.ROOT, "bench: photos: decode-only limit, djpeg at the scan's scale on %,d JPEGs%n", jpegs.size());
        double childCpu = childCpuSeconds();
        double djpegSeconds = djpegAll(jpegs);
        double djpegCpu = childCpuSeconds() - childCpu;

        row.put("slice", PhotoCorpus.NAME);
        row.put("pictures", all);
        row.put("bytes", allBytes);
        row.put("jpeg_pictures", jpegs.size());
        row.put("jpeg_bytes", jpegBytes);
        ObjectNode on = BenchCommand.tool(row.putObject("jpeg_pdq"), jpegOn, jpegs.size(), jpegBytes);
        BenchCommand.tool(row.putObject("jpeg_no_pdq"), jpegOff, jpegs.size(), jpegBytes);
        ObjectNode d = row.putObject("djpeg");
        d.put("seconds", BenchCommand.round(djpegSeconds));
        d.put("pictures_s", BenchCommand.round(jpegs.size() / djpegSeconds));
        d.put("cpu_seconds", BenchCommand.round(djpegCpu));
        row.put("pct_of_decode_limit", BenchCommand.round(100 * on.get("files_s").asDouble() / (jpegs.size() / djpegSeconds)));
        // The same share by CPU: djpeg's CPU over the PDQ scan's, less the scan's own without PDQ
        // (reading and hashing, which djpeg does not do); robust to other work on the machine.
        double pdqCpu = on.get("cpu_seconds").asDouble();
        double noPdqCpu = row.get("jpeg_no_pdq").get("cpu_seconds").asDouble();
        row.put("pct_of_decode_limit_cpu", BenchCommand.round(100 * djpegCpu / pdqCpu));
        row.put("pct_of_decode_limit_pdq_cpu", BenchCommand.round(100 * djpegCpu / Math.max(0.01, pdqCpu - noPdqCpu)));
        if (reference != null) {
            err.printf(Locale.ROOT, "bench: photos: the C++ reference %s on %,d JPEGs%n", reference, jpegs.size());
            double refCpu = childCpuSeconds();
            double refSeconds = referenceAll(reference, jpegs);
            refCpu = childCpuSeconds() - refCpu;
            ObjectNode r = row.putObject("reference");
            r.put("seconds", BenchCommand.round(refSeconds));
            r.put("cpu_seconds", BenchCommand.round(refCpu));
            r.put("pictures_s", BenchCommand.round(jpegs.size() / refSeconds));
            row.put("ratio_to_reference", BenchCommand.round(on.get("files_s").asDouble() / (jpegs.size() / refSeconds)));
            row.put("ratio_to_reference_cpu", BenchCommand.round(refCpu / pdqCpu));
        }
        ObjectNode allWith = BenchCommand.tool(row.putObject("all_pdq"), allOn, all, allBytes);
        ObjectNode allWithout = BenchCommand.tool(row.putObject("all_no_pdq"), allOff, all, allBytes);
        // The crypto part alone: with PDQ on, the item's crypto pass as its -v log says it ended (PDQ then
        // drains after it); with PDQ off, the item's whole scan. Target: at most 10% slower with PDQ.
        // Means, not medians: several runs of a pass that swings by a fifth from run to run.
        double withPdq = mean(cryptoOn);
        double withoutPdq = mean(cryptoOff);
        ObjectNode crypto = row.putObject("crypto_pass");
        crypto.put("pdq_on_seconds", BenchCommand.round(withPdq));
        crypto.put("pdq_off_seconds", BenchCommand.round(withoutPdq));
        series(crypto, "pdq_on", cryptoOn);
        series(crypto, "pdq_off", cryptoOff);
        crypto.put("loss_pct", BenchCommand.round(100 * (withPdq / withoutPdq - 1)));
        row.put("pdq_cost_pct", BenchCommand.round(100 * (1 - allWithout.get("median_seconds").asDouble()
                / allWith.get("median_seconds").asDouble())));
        return row;
    }

    /** The last scan's crypto pass, in seconds, from its -v line "…: crypto pass done in 1.234 s; …". */
    private double cryptoPassSeconds() throws IOException {
        Path log = report.resolveSibling("last-scan.err");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("crypto pass done in ([0-9.]+) s").matcher(Files.readString(log));
        if (!m.find()) throw new IOException("the PDQ scan's log (" + log + ") does not say when its crypto pass ended");
        return Double.parseDouble(m.group(1));
    }

    /** The last scan's item time in seconds, as its report gives it. */
    private double itemSeconds() throws IOException {
        return new ObjectMapper().readTree(report.toFile()).path("evidence").path(0).path("summary").path("seconds").asDouble();
    }

    private static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    /** Every run of a series, and its range. */
    private static void series(ObjectNode node, String name, List<Double> values) {
        var runs = node.putArray(name + "_runs");
        for (double v : values) runs.add(BenchCommand.round(v));
        node.put(name + "_min", BenchCommand.round(values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN)));
        node.put(name + "_max", BenchCommand.round(values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN)));
    }

    /**
     * CPU seconds (user + system) of this process's children that have ended and been waited for
     * (fields 16-17 of /proc/self/stat, USER_HZ ticks): the djpeg processes' CPU, by difference.
     */
    private static double childCpuSeconds() {
        try {
            String s = Files.readString(Path.of("/proc/self/stat"), java.nio.charset.StandardCharsets.US_ASCII);
            String[] f = s.substring(s.lastIndexOf(')') + 2).trim().split(" ");
            return (Long.parseLong(f[13]) + Long.parseLong(f[14])) / 100.0;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** The last PDQ scan's report must count every picture of the folder hashed, none failed. */
    private void checkHashed(int pictures) throws IOException {
        JsonNode summary = new ObjectMapper().readTree(report.toFile()).path("evidence").path(0).path("summary");
        JsonNode pdq = summary.path("pdq");
        long hashed = pdq.path("hashed").asLong(-1);
        if (hashed != pictures) {
            throw new IOException("the PDQ scan did not hash every picture: its report (" + report + ") says " + pdq
                    + ", expected " + pictures + " hashed");
        }
    }

    /** The DCT scale a JPEG is decoded at: the smallest of 1/8, 1/4, 1/2 still at least 512 on both sides, else 1. */
    static int scaleDenominator(int width, int height) {
        for (int d = 8; d >= 2; d /= 2) {
            if ((width + d - 1) / d >= PDQ_SIDE && (height + d - 1) / d >= PDQ_SIDE) return d;
        }
        return 1;
    }

    /** Wall seconds for {@code djpeg -scale 1/D -outfile /dev/null} on every JPEG, one process per picture, a core each. */
    private static double djpegAll(List<PhotoCorpus.Photo> jpegs) throws IOException, InterruptedException {
        return parallel(jpegs.stream().map(p -> List.of("djpeg", "-scale", "1/" + scaleDenominator(p.width(), p.height()),
                "-outfile", "/dev/null", p.path().toString())).toList());
    }

    /** Wall seconds for the C++ reference on every JPEG, in batches of 100 pictures, a core each. */
    private static double referenceAll(Path reference, List<PhotoCorpus.Photo> jpegs) throws IOException, InterruptedException {
        List<List<String>> commands = new ArrayList<>();
        for (int i = 0; i < jpegs.size(); i += 100) {
            List<String> cmd = new ArrayList<>(List.of(reference.toString()));
            for (PhotoCorpus.Photo p : jpegs.subList(i, Math.min(jpegs.size(), i + 100))) cmd.add(p.path().toString());
            commands.add(cmd);
        }
        return parallel(commands);
    }

    private static double parallel(List<List<String>> commands) throws IOException, InterruptedException {
        int cores = Runtime.getRuntime().availableProcessors();
        ExecutorService pool = Executors.newFixedThreadPool(cores);
        long start = System.nanoTime();
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (List<String> cmd : commands) {
                done.add(pool.submit(() -> new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectError(ProcessBuilder.Redirect.INHERIT).start().waitFor()));
            }
            for (int i = 0; i < done.size(); i++) {
                int rc = done.get(i).get();
                if (rc != 0) throw new IOException(String.join(" ", commands.get(i)) + " exited " + rc);
            }
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException("a decode-only process could not run: " + e.getCause().getMessage(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private static long folderBytes(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
