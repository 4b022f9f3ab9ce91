package org.triage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/** Runs the command line the way main() does, in-process through picocli, or as a child JVM. */
final class Cli {
    record Result(int code, String out, String err) {
        @Override
        public String toString() { return "exit " + code + "\nstdout:\n" + out + "\nstderr:\n" + err; }
    }

    private Cli() {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = TriageCommand.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    /**
     * A class path for a child JVM running the command. The tests run on the module path (the
     * libraries in {@code jdk.module.path}, the test classes and JUnit in surefire's test class path,
     * the command's own classes patched in); the child gets them all on its class path, as the
     * shaded jar runs.
     */
    static String classPath() {
        return SelfLauncher.classPath();
    }

    /** The same command in a child JVM, with a command prefix (e.g. setpriv to drop capabilities). */
    static Result fork(List<String> prefix, String... args) throws IOException, InterruptedException {
        String cp = classPath();
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx256m");
        cmd.add("-cp");
        cmd.add(cp);
        cmd.add(TriageCommand.class.getName());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("LANG", "C.UTF-8");
        Process p = pb.start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread t = new Thread(() -> {
            try {
                p.getErrorStream().transferTo(err);
            } catch (IOException ignored) {
                // the process ended
            }
        });
        t.start();
        p.getInputStream().transferTo(out);
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IOException("child JVM did not finish: " + cmd);
        }
        t.join();
        return new Result(p.exitValue(), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /**
     * Runs {@code triage} in a child JVM ({@code args} after the launcher's java command), sends it
     * SIGINT once its stderr shows a progress line (so it is mid-scan: waits on output, not on a
     * clock), and returns how it ended. Stdout goes to {@code stdout}.
     */
    static Result interruptWhenProgressShows(Path stdout, List<String> args) throws IOException, InterruptedException {
        return interruptWhen(stdout, "progress:", args);
    }

    /**
     * As {@link #interruptWhenProgressShows}, once stderr contains {@code marker}; fails unless the
     * child ends within 60 s of the signal.
     */
    static Result interruptWhen(Path stdout, String marker, List<String> args) throws IOException, InterruptedException {
        return interruptWhen(stdout, err -> err.contains(marker), args);
    }

    /** As {@link #interruptWhen(Path, String, List)}, once {@code ready} holds for stderr so far. */
    static Result interruptWhen(Path stdout, java.util.function.Predicate<String> ready, List<String> args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(SelfLauncher.javaCommand("-Xmx256m"));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectOutput(stdout.toFile()).start();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread drain = new Thread(() -> {
            try {
                p.getErrorStream().transferTo(err);
            } catch (IOException ignored) {
                // the process ended
            }
        });
        drain.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!ready.test(err.toString(StandardCharsets.UTF_8)) && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        if (!p.isAlive()) throw new IOException("the scan ended before it could be interrupted: " + err);
        new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("not stopped 60 s after SIGINT");
        }
        drain.join();
        return new Result(p.exitValue(), Files.readString(stdout), err.toString(StandardCharsets.UTF_8));
    }

    /**
     * The prefix for {@link #fork} under which permissions bite as for anyone: for root, setpriv
     * without the capabilities that let root read everything (the test is skipped without setpriv).
     */
    static List<String> withoutReadOverride() throws IOException, InterruptedException {
        boolean root = "0".equals(new String(exec(Path.of("/"), "id", "-u"), StandardCharsets.US_ASCII).trim());
        if (!root) return List.of();
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")),
                "setpriv (util-linux) is needed to drop root's read override");
        return List.of("/usr/bin/setpriv", "--bounding-set=-dac_override,-dac_read_search", "--");
    }

    /**
     * The type and name of everything under {@code dir}, then sha256sum of every file, by sorted
     * path: any change to the evidence (content, a file added, removed or renamed) shows.
     */
    static String treeDigests(Path dir) throws IOException, InterruptedException {
        return new String(exec(dir, "bash", "-c", "find . -printf '%y %p\\n' | LC_ALL=C sort;"
                + " find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum"), StandardCharsets.UTF_8);
    }

    /**
     * {@code triage hashset import LIST --db DB --name NAME OPTIONS...}, which must exit 0: how a
     * test that scans gets its store (md5sum's or the test's own list, never our hashing).
     */
    static Result importSet(Path list, Path db, String name, String... options) {
        List<String> args = new ArrayList<>(List.of("hashset", "import", list.toString(), "--db", db.toString(), "--name", name));
        args.addAll(List.of(options));
        Result r = run(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.toString());
        return r;
    }

    /**
     * Runs one of the engine's image-building scripts ({@code make-images.sh}, {@code make-damaged.sh}:
     * real filesystems made by Debian's tools) into {@code dir}; fails the test unless it succeeds in time.
     */
    static void buildImages(String script, Path dir, int minutes) throws IOException, InterruptedException {
        Path path = Path.of("../engine/src/test/resources/org/triage/source", script).toAbsolutePath();
        Process p = new ProcessBuilder("bash", path.toString(), dir.toString()).inheritIO().start();
        assertTrue(p.waitFor(minutes, TimeUnit.MINUTES), script + " took over " + minutes + " min");
        assertEquals(0, p.exitValue(), script + " failed");
    }

    /**
     * {@code count} files of random bytes (sizes below {@code maxSize}, plus {@code minSize}) from
     * {@code seed}, spread over the folders {@code folder(i)} names: a tree that is the same every run.
     */
    static void randomFiles(Path dir, long seed, int count, int minSize, int maxSize, IntFunction<String> folder)
            throws IOException {
        Random rnd = new Random(seed);
        for (int i = 0; i < count; i++) {
            byte[] b = new byte[minSize + rnd.nextInt(maxSize)];
            rnd.nextBytes(b);
            Path p = dir.resolve(folder.apply(i)).resolve("file" + i + ".bin");
            Files.createDirectories(p.getParent());
            Files.write(p, b);
        }
    }

    static byte[] exec(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IOException(List.of(command) + " failed");
        }
        return out;
    }
}
