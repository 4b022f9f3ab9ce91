package org.triage.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * {@code triage bench --acquire}: imaging rates on one generated raw source (cached under the bench
 * directory, warm page cache), each tool a separate process, in one run: {@code dd bs=4M} to
 * /dev/null (the read limit), {@code dd} to a file on the same filesystem (the raw-copy limit),
 * {@code ewfacquire -u -d sha1} with {@code -c none} and {@code -c fast}, and {@code triage acquire}
 * raw, E01 none and E01 fast (MD5 and SHA-1 like ewfacquire's). Each output is deleted after its run.
 * Targets (issue 14): triage's E01 at 2x ewfacquire's rate at the same compression.
 */
final class AcquireBench {
    private static final int UNIT = 64 << 20;

    private AcquireBench() {
    }

    static void run(Path dir, long bytes, String heap, PrintWriter out, PrintWriter err) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path source = ensureSource(dir, bytes, err);
        Path outDir = dir.resolve("out");
        Files.createDirectories(outDir);
        clean(outDir);
        sh(List.of("bash", "-c", "cat '" + source + "' > /dev/null"));
        Map<String, List<String>> tools = new LinkedHashMap<>();
        tools.put("dd bs=4M to /dev/null (read limit)", List.of("dd", "if=" + source, "of=/dev/null", "bs=4M"));
        tools.put("dd bs=4M to a file (raw-copy limit)", List.of("dd", "if=" + source, "of=" + outDir.resolve("dd.raw"), "bs=4M"));
        tools.put("ewfacquire -c none", List.of("ewfacquire", "-u", "-q", "-d", "sha1", "-c", "none", "-t",
                outDir.resolve("ewf-none").toString(), source.toString()));
        tools.put("ewfacquire -c fast", List.of("ewfacquire", "-u", "-q", "-d", "sha1", "-c", "fast", "-t",
                outDir.resolve("ewf-fast").toString(), source.toString()));
        tools.put("triage acquire --format raw", triage(heap, source, outDir.resolve("t.raw"), "--format", "raw"));
        tools.put("triage acquire --compress none", triage(heap, source, outDir.resolve("t-none"), "--compress", "none"));
        tools.put("triage acquire --compress fast", triage(heap, source, outDir.resolve("t-fast"), "--compress", "fast"));
        // The later --db row (image + triage) goes here once StreamTriage is merged.
        Map<String, Double> rate = new LinkedHashMap<>();
        out.printf(Locale.ROOT, "acquire: %,d-byte raw source, %d cores, warm cache; one run of each%n", bytes,
                Runtime.getRuntime().availableProcessors());
        for (var e : tools.entrySet()) {
            double s = time(e.getValue());
            double mbs = bytes / s / 1e6;
            rate.put(e.getKey(), mbs);
            out.printf(Locale.ROOT, "  %-36s %8.1f s %8.0f MB/s%n", e.getKey(), s, mbs);
            clean(outDir);
        }
        out.printf(Locale.ROOT, "  triage/ewfacquire: none %.2fx, fast %.2fx (target 2x); triage raw / dd to a file %.0f%%%n",
                rate.get("triage acquire --compress none") / rate.get("ewfacquire -c none"),
                rate.get("triage acquire --compress fast") / rate.get("ewfacquire -c fast"),
                100 * rate.get("triage acquire --format raw") / rate.get("dd bs=4M to a file (raw-copy limit)"));
    }

    private static List<String> triage(String heap, Path source, Path out, String... options) {
        List<String> cmd = new ArrayList<>(SelfLauncher.javaCommand("-Xmx" + heap));
        cmd.addAll(List.of("acquire", source.toString(), "--out", out.toString(), "--quiet"));
        cmd.addAll(Arrays.asList(options));
        return cmd;
    }

    /**
     * A disk-like source, the same bytes every time (seeded): per 64 MiB, half random (as
     * compressed or encrypted data), a quarter text, a quarter zeros (free space).
     */
    private static Path ensureSource(Path dir, long bytes, PrintWriter err) throws IOException {
        Path p = dir.resolve("source-" + bytes + ".raw");
        if (Files.exists(p) && Files.size(p) == bytes) return p;
        err.printf(Locale.ROOT, "bench: writing a %,d-byte source %s%n", bytes, p);
        Path tmp = dir.resolve("source.tmp");
        SplittableRandom rnd = new SplittableRandom(14);
        byte[] unit = new byte[UNIT];
        byte[] text = "the quick brown fox jumps over the lazy dog; 0123456789\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        try (OutputStream o = Files.newOutputStream(tmp)) {
            for (long done = 0; done < bytes; done += UNIT) {
                for (int i = 0; i < UNIT / 2; i += 8) {
                    long v = rnd.nextLong();
                    for (int k = 0; k < 8; k++) unit[i + k] = (byte) (v >>> (8 * k));
                }
                for (int i = UNIT / 2; i < 3 * UNIT / 4; i++) unit[i] = text[i % text.length];
                Arrays.fill(unit, 3 * UNIT / 4, UNIT, (byte) 0);
                o.write(unit, 0, (int) Math.min(UNIT, bytes - done));
            }
        }
        Files.move(tmp, p);
        return p;
    }

    private static double time(List<String> cmd) throws IOException, InterruptedException {
        long start = System.nanoTime();
        sh(cmd);
        return (System.nanoTime() - start) / 1e9;
    }

    private static void sh(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(2, TimeUnit.HOURS) || p.exitValue() != 0) throw new IOException(cmd + " failed (exit " + p.exitValue() + ")");
    }

    private static void clean(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            for (Path f : (Iterable<Path>) s::iterator) Files.delete(f);
        }
    }
}
