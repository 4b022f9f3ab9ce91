package org.triage.cli;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code triage case run DIR --spark MASTER}: Spark is not in {@code triage.jar} (its libraries are
 * some 260 MB), so the run goes to a child JVM started on the spark module's build beside this
 * triage ({@code spark/target/classes} as built, or {@code triage-spark.jar}, and {@code
 * spark/target/lib/*}, which Maven fills, then this triage's own class path), whose main is {@code org.triage.spark.CaseOnSpark}, the
 * same entry point a lab gives spark-submit. The child shares this terminal: its progress lines and
 * errors go to stderr as they come; Ctrl-C reaches it with this JVM (one process group), and a
 * SIGTERM here is passed on.
 */
final class SparkLaunch {
    /** local, local[N], local[*], local[N,F], spark://host:port[,host:port], yarn, k8s://… */
    private static final Pattern MASTER = Pattern.compile(
            "local(\\[(\\*|[1-9][0-9]{0,3})(,[1-9][0-9]{0,2})?])?|spark://[A-Za-z0-9.\\-\\[\\]:]+(,[A-Za-z0-9.\\-\\[\\]:]+)*|yarn|k8s://\\S+");
    /**
     * Spark on Java 17 reflects into the JDK: the packages it needs opened (as Spark's own launcher
     * opens them; also in the spark module's pom for its tests), for the driver and, through
     * {@code triage.spark.opens}, the executors.
     */
    static final List<String> OPENS = List.of("java.lang", "java.lang.invoke", "java.lang.reflect", "java.io", "java.net",
            "java.nio", "java.util", "java.util.concurrent", "java.util.concurrent.atomic", "sun.nio.ch", "sun.nio.cs",
            "sun.security.action", "sun.util.calendar");

    private SparkLaunch() {
    }

    static boolean validMaster(String master) {
        return MASTER.matcher(master).matches();
    }

    /**
     * The spark module's build: {@code TRIAGE_SPARK_DIR} when set, else {@code spark/target} beside
     * the {@code cli/target} this command runs from; null when it has not been built.
     */
    static Path built() {
        String env = System.getenv("TRIAGE_SPARK_DIR");
        Path dir = env != null && !env.isEmpty() ? Path.of(env) : besideCli();
        return dir != null && Files.isDirectory(dir.resolve("lib")) && Files.exists(code(dir)) ? dir : null;
    }

    private static Path besideCli() {
        try {
            Path own = Path.of(TriageCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path cliTarget = own.getParent(); // cli/target/triage.jar or cli/target/classes
            if (cliTarget == null || cliTarget.getParent() == null || cliTarget.getParent().getParent() == null) return null;
            return cliTarget.getParent().getParent().resolve("spark").resolve("target");
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    /**
     * The module's code: its jar, unless a class was compiled after it (a {@code mvn compile} since
     * the last package; its jar, made after its tests, may also lag); then its classes.
     */
    static Path code(Path dir) {
        Path classes = dir.resolve("classes");
        Path jar = dir.resolve("triage-spark.jar");
        if (!Files.isRegularFile(jar)) return classes;
        if (!Files.isDirectory(classes)) return jar;
        try (var walk = Files.walk(classes)) {
            FileTime packed = Files.getLastModifiedTime(jar);
            boolean newer = walk.filter(Files::isRegularFile).anyMatch(f -> modified(f).compareTo(packed) > 0);
            return newer ? classes : jar;
        } catch (IOException | java.io.UncheckedIOException e) {
            return classes;
        }
    }

    private static FileTime modified(Path f) {
        try {
            return Files.getLastModifiedTime(f);
        } catch (IOException e) {
            return FileTime.fromMillis(Long.MAX_VALUE); // unreadable: as if newer, the classes are used
        }
    }

    /**
     * The driver's class path: the spark module, Spark and the other libraries (its {@code lib}), then
     * triage's own modules from this triage (its jar, or the class folders of a build or a test run:
     * {@code lib} leaves them out, see the spark pom), absolute, since executors of a standalone
     * cluster are given the same path ({@code spark.executor.extraClassPath}) and start elsewhere.
     * Spark's libraries come first: where this triage holds another copy of one, Spark's is used.
     */
    static String classPath(Path dir) {
        return String.join(java.io.File.pathSeparator, classPathEntries(dir, true).stream().map(Path::toString).toList());
    }

    /**
     * The class path's entries, absolute; with {@code wildcard} the libraries as {@code lib/*} (as
     * the JVM is given them), else each jar of {@code lib} (what the driver's archive depends on).
     */
    private static List<Path> classPathEntries(Path dir, boolean wildcard) {
        // The jar alone only when it is triage.jar (the engine shaded in); a build's unshaded
        // triage-cli jar (mvn verify packs it before the spark module's tests) holds the command only.
        Path jar = SelfLauncher.ownJar();
        String own = jar != null && jar.equals(codeOf(org.triage.Triage.class)) ? jar.toString() : SelfLauncher.classPath();
        List<Path> parts = new ArrayList<>();
        parts.add(code(dir).toAbsolutePath());
        Path lib = dir.resolve("lib").toAbsolutePath();
        if (wildcard) {
            parts.add(lib.resolve("*"));
        } else {
            try (var jars = Files.list(lib)) {
                jars.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().forEach(parts::add);
            } catch (IOException e) {
                parts.add(lib);
            }
        }
        for (String p : own.split(java.io.File.pathSeparator)) {
            if (!p.isEmpty()) parts.add(Path.of(p).toAbsolutePath());
        }
        return parts;
    }

    private static Path codeOf(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    /**
     * The driver JVM's options beyond the class path: what Spark needs opened, the heap, and what
     * makes its work cheaper on few cores (README, "Cases on a Spark cluster", the profile): the
     * quick compiler only, as the launcher runs scans (the hot loops are native: read(2), libtsk,
     * OpenSSL; C2 compiling Spark's and Scala's code cost about 9 s of CPU per run, more than all it
     * saved), except when the JVM hashes ({@code digests} "jvm": C2's digest intrinsics); the serial
     * collector, as the launcher (GC threads only compete with hashing); the launcher's cached
     * RocksDB library.
     */
    static List<String> jvmOptions(String digests) {
        List<String> cmd = new ArrayList<>();
        StringBuilder opens = new StringBuilder();
        for (String p : OPENS) {
            String o = "--add-opens=java.base/" + p + "=ALL-UNNAMED";
            cmd.add(o);
            opens.append(opens.length() == 0 ? "" : " ").append(o);
        }
        cmd.add("-Dtriage.spark.opens=" + opens);
        cmd.add("-Dfile.encoding=UTF-8");
        String heap = System.getenv("TRIAGE_SPARK_DRIVER_HEAP");
        cmd.add("-Xmx" + (heap == null || heap.isEmpty() ? "2g" : heap));
        cmd.add("-XX:+UseSerialGC");
        if (!"jvm".equals(digests)) cmd.add("-XX:TieredStopAtLevel=1");
        String natives = System.getProperty("java.library.path");
        if (natives != null && !natives.isEmpty()) cmd.add("-Djava.library.path=" + natives);
        return cmd;
    }

    /** Runs the driver in a child JVM to its end; its exit code (case run's). */
    static int run(Path dir, List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions(org.triage.Triage.digestLibrary()));
        // The archive holds classes of the class path's jars and of this JDK: made again when either changes.
        List<Path> madeFrom = new ArrayList<>(classPathEntries(dir, false));
        madeFrom.add(Path.of(System.getProperty("java.home"), "lib", "modules"));
        DriverArchive archive = DriverArchive.of(dir.resolve("runtime").resolve("driver.jsa").toAbsolutePath(), madeFrom);
        cmd.addAll(archive.options());
        cmd.add("-cp");
        cmd.add(classPath(dir));
        cmd.add("org.triage.spark.CaseOnSpark");
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).inheritIO().start();
        try (Interrupts.Registration onTerm = Interrupts.onInterrupt(p::destroy)) {
            return p.waitFor();
        } catch (InterruptedException e) {
            p.destroy();
            throw e;
        } finally {
            if (!p.isAlive()) archive.finished();
        }
    }
}
