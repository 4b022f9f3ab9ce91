package org.triage.cli;

import java.io.IOException;
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
 * {@code triage bench --acquire}: imaging rates on one generated source (cached under the bench
 * directory, warm page cache), each tool a separate process, in one run: {@code dd bs=4M} to
 * /dev/null (the read limit), {@code dd} to a file on the same filesystem (the raw-copy limit),
 * {@code ewfacquire -u -d sha1} with {@code -c none} and {@code -c fast}, today's route (that
 * {@code ewfacquire}, then {@code triage scan} of its image), and {@code triage acquire} raw, E01
 * none and E01 fast, alone and with {@code --db} (image and triage in the one read; MD5 and SHA-1
 * like ewfacquire's). Each output is deleted after its run.
 *
 * <p>Fair to every writer: each row's time includes getting its image onto the disk ({@code dd
 * conv=fsync}, {@code ewfacquire} then {@code sync} of its segments, {@code triage acquire} syncs
 * before it says it is complete); a {@code sync} after each row, untimed, leaves no writeback to
 * the next; and right before each row an untimed copy written and deleted, so that no row pays for
 * the VM taking back page cache memory (see {@link #prime}). Each row also gives its CPU seconds
 * (GNU time) and image size.
 *
 * <p>The source is a disk, as a triage needs one: an ext4 filesystem (mke2fs -d) three quarters
 * full of 1 MiB files, two random (as compressed or encrypted data) for each of text, and free
 * space (zeros) for the rest. The store holds the MD5s of {@value #KNOWN} of the files, so the
 * triage finds matches as in a case. Targets (issue 14): {@code triage acquire --db} at 2x
 * ewfacquire's rate at the same compression and 3x today's route; raw/none within 20% of dd to a file.
 */
final class AcquireBench {
    private static final int FILE = 1 << 20;
    private static final int KNOWN = 5;

    private AcquireBench() {
    }

    static void run(Path dir, long bytes, String heap, PrintWriter out, PrintWriter err) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path source = ensureSource(dir, bytes, err);
        Path db = dir.resolve("db-" + bytes);
        Path outDir = dir.resolve("out");
        Files.createDirectories(outDir);
        clean(outDir);
        sh(List.of("bash", "-c", "cat '" + source + "' > /dev/null"));
        Map<String, List<List<String>>> tools = new LinkedHashMap<>();
        tools.put(DD_NULL, one(List.of("dd", "if=" + source, "of=/dev/null", "bs=4M")));
        // Every writer's time includes getting its image onto the disk (triage acquire syncs before it
        // says it is complete; dd and ewfacquire do not, so their rows add the sync).
        tools.put(DD_FILE, one(List.of("dd", "if=" + source, "of=" + outDir.resolve("dd.raw"), "bs=4M", "conv=fsync")));
        for (String c : List.of("none", "fast")) {
            Path base = outDir.resolve("ewf-" + c);
            List<String> ewf = List.of("ewfacquire", "-u", "-q", "-d", "sha1", "-c", c, "-t", base.toString(), source.toString());
            List<String> sync = List.of("bash", "-c", "sync '" + base + "'.E*");
            tools.put(ewfacquire(c), List.of(ewf, sync));
            List<String> scan = new ArrayList<>(SelfLauncher.javaCommand("-Xmx" + heap));
            scan.addAll(List.of("scan", base + ".E01", "--db", db.toString(), "--quiet"));
            tools.put(route(c), List.of(ewf, sync, scan));
        }
        tools.put("triage acquire --format raw", one(triage(heap, source, outDir.resolve("t.raw"), "--format", "raw")));
        for (String c : List.of("none", "fast")) {
            tools.put("triage acquire --compress " + c, one(triage(heap, source, outDir.resolve("t-" + c), "--compress", c)));
            tools.put(withDb(c), one(triage(heap, source, outDir.resolve("tdb-" + c), "--compress", c, "--db", db.toString())));
        }
        Map<String, Double> rate = new LinkedHashMap<>();
        out.printf(Locale.ROOT, "acquire: %,d-byte ext4 source (%d known files in the store), %d cores, warm cache; one run of each;"
                + " load average %s%n", bytes, KNOWN, Runtime.getRuntime().availableProcessors(), loadAverage());
        out.printf(Locale.ROOT, "  %-52s %8s %8s %8s %12s%n", "", "wall", "rate", "CPU", "image bytes");
        Path cpuFile = dir.resolve("cpu-seconds.txt");
        for (var e : tools.entrySet()) {
            prime(source, outDir);
            double wall = 0;
            double cpu = 0;
            for (List<String> cmd : e.getValue()) {
                double[] t = time(cmd, cpuFile);
                wall += t[0];
                cpu += t[1];
            }
            double mbs = bytes / wall / 1e6;
            rate.put(e.getKey(), mbs);
            long image = imageBytes(outDir);
            out.printf(Locale.ROOT, "  %-52s %6.1f s %3.0f MB/s %6.1f s %12s%n", e.getKey(), wall, mbs, cpu,
                    image == 0 ? "-" : String.format(Locale.ROOT, "%,d", image));
            out.flush();
            // Untimed, so that no row's writeback is left for the next one to wait for.
            sh(List.of("sync"));
        }
        clean(outDir);
        for (String c : List.of("none", "fast")) {
            out.printf(Locale.ROOT, "  -c %s: triage acquire --db / ewfacquire %.2fx (target 2x), / ewfacquire then scan %.2fx"
                    + " (target 3x); triage acquire alone / ewfacquire %.2fx%n", c,
                    rate.get(withDb(c)) / rate.get(ewfacquire(c)), rate.get(withDb(c)) / rate.get(route(c)),
                    rate.get("triage acquire --compress " + c) / rate.get(ewfacquire(c)));
        }
        out.printf(Locale.ROOT, "  load average at the end %s%n", loadAverage());
        out.printf(Locale.ROOT, "  of dd to a file (target: within 20%%): triage raw %.0f%%, triage none %.0f%%, triage --db none %.0f%%%n",
                100 * rate.get("triage acquire --format raw") / rate.get(DD_FILE),
                100 * rate.get("triage acquire --compress none") / rate.get(DD_FILE),
                100 * rate.get(withDb("none")) / rate.get(DD_FILE));
    }

    private static final String DD_NULL = "dd bs=4M to /dev/null (read limit)";
    private static final String DD_FILE = "dd bs=4M conv=fsync to a file (raw-copy limit)";

    private static String ewfacquire(String compression) {
        return "ewfacquire -c " + compression + " + sync";
    }

    private static String route(String compression) {
        return "ewfacquire -c " + compression + " + sync, then triage scan";
    }

    private static String withDb(String compression) {
        return "triage acquire --compress " + compression + " --db";
    }

    private static List<List<String>> one(List<String> cmd) {
        return List.of(cmd);
    }

    private static List<String> triage(String heap, Path source, Path out, String... options) {
        List<String> cmd = new ArrayList<>(SelfLauncher.javaCommand("-Xmx" + heap));
        cmd.addAll(List.of("acquire", source.toString(), "--out", out.toString(), "--quiet"));
        cmd.addAll(Arrays.asList(options));
        return cmd;
    }

    /**
     * The source and its store, the same bytes every time (seeded): an ext4 filesystem of
     * {@code bytes} made by mke2fs -d from files written to a scratch folder (deleted after), and a
     * store with the MD5s of the first {@value #KNOWN} files as an alert set.
     */
    private static Path ensureSource(Path dir, long bytes, PrintWriter err) throws IOException, InterruptedException {
        Path p = dir.resolve("source-ext4-" + bytes + ".raw");
        Path db = dir.resolve("db-" + bytes);
        if (Files.exists(p) && Files.size(p) == bytes && Files.isDirectory(db)) return p;
        err.printf(Locale.ROOT, "bench: writing a %,d-byte ext4 source %s%n", bytes, p);
        Path files = dir.resolve("source-files");
        Path tmp = dir.resolve("source.tmp");
        sh(List.of("rm", "-rf", files.toString(), tmp.toString(), db.toString()));
        SplittableRandom rnd = new SplittableRandom(14);
        byte[] buf = new byte[FILE];
        byte[] text = "the quick brown fox jumps over the lazy dog; 0123456789\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        long count = bytes * 3 / 4 / FILE;
        StringBuilder known = new StringBuilder();
        for (long i = 0; i < count; i++) {
            if (i % 3 == 2) {
                for (int k = 0; k < FILE; k++) buf[k] = text[(int) ((k + i) % text.length)];
            } else {
                for (int k = 0; k < FILE; k += 8) {
                    long v = rnd.nextLong();
                    for (int b = 0; b < 8; b++) buf[k + b] = (byte) (v >>> (8 * b));
                }
            }
            Path f = files.resolve(String.format(Locale.ROOT, "d%03d/f%06d.bin", i / 1000, i));
            Files.createDirectories(f.getParent());
            Files.write(f, buf);
            if (i < KNOWN) known.append(java.util.HexFormat.of().formatHex(md5(buf))).append('\n');
        }
        sh(List.of("/sbin/mke2fs", "-q", "-F", "-t", "ext4", "-d", files.toString(), tmp.toString(), (bytes >> 10) + "K"));
        sh(List.of("rm", "-rf", files.toString()));
        Path list = dir.resolve("known.md5");
        Files.writeString(list, known);
        try (org.triage.store.HashStoreAdmin s = org.triage.store.RocksHashStore.openWritable(db)) {
            s.importHashList(list, "bench-known", org.triage.model.SetKind.ALERT, null, false);
        }
        Files.move(tmp, p, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return p;
    }

    private static byte[] md5(byte[] b) {
        try {
            return java.security.MessageDigest.getInstance("MD5").digest(b);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no MD5", e);
        }
    }

    /**
     * Untimed, right before a row: the outputs before deleted, then a copy of the source written
     * and deleted, so that the row writes into page cache memory the VM holds. On this VM (virtio
     * balloon, free page reporting) memory left free for a few seconds goes back to the host, and
     * the next writer pays for getting it back: measured, dd of 1 GiB to a file 11.3 s, 7 s of it
     * system time, 10 s after such a copy was deleted; 0.6-1.4 s right after. The old dd row
     * (96 MB/s) paid that, the rows after it mostly did not. Best effort on a shared machine: other
     * processes may take that memory first, so the CPU column (system time included) says which
     * rows paid.
     */
    private static void prime(Path source, Path outDir) throws IOException, InterruptedException {
        clean(outDir);
        Path scratch = outDir.resolve("prime.raw");
        sh(List.of("dd", "if=" + source, "of=" + scratch, "bs=4M"));
        Files.delete(scratch);
    }

    /**
     * {wall seconds, CPU seconds (user + system, from GNU time: the machine may be shared, and CPU
     * time is what the other users do not change)} of one command.
     */
    private static double[] time(List<String> cmd, Path cpuFile) throws IOException, InterruptedException {
        List<String> timed = new ArrayList<>(List.of("/usr/bin/time", "-f", "%U %S", "-o", cpuFile.toString()));
        timed.addAll(cmd);
        long start = System.nanoTime();
        sh(timed);
        double wall = (System.nanoTime() - start) / 1e9;
        // The last line: GNU time puts "Command exited with non-zero status 1" before it for an alert.
        List<String> lines = Files.readAllLines(cpuFile);
        String[] f = lines.get(lines.size() - 1).trim().split("\\s+");
        return new double[] {wall, Double.parseDouble(f[0]) + Double.parseDouble(f[1])};
    }

    /** The image's bytes: every output but the JSON (sidecar, report). */
    private static long imageBytes(Path outDir) throws IOException {
        long n = 0;
        try (var s = Files.list(outDir)) {
            for (Path f : (Iterable<Path>) s::iterator) {
                if (!f.getFileName().toString().endsWith(".json")) n += Files.size(f);
            }
        }
        return n;
    }

    private static String loadAverage() throws IOException {
        String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
        return f[0] + " " + f[1] + " " + f[2];
    }

    /** Runs {@code cmd}; exit 0, or 1 for a triage that found the store's known files (an alert match). */
    private static void sh(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(2, TimeUnit.HOURS)) {
            p.destroyForcibly();
            throw new IOException(cmd + " did not finish in 2 hours");
        }
        boolean triage = cmd.contains("--db");
        if (p.exitValue() != 0 && !(triage && p.exitValue() == ExitCodes.ALERT)) {
            throw new IOException(cmd + " failed (exit " + p.exitValue() + ")");
        }
    }

    private static void clean(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            for (Path f : (Iterable<Path>) s::iterator) Files.delete(f);
        }
    }
}
