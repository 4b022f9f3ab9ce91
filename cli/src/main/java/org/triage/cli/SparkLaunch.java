package org.triage.cli;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
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

    /** The module's classes as the last build compiled them (its jar, made after its tests, may be older), else its jar. */
    private static Path code(Path dir) {
        Path classes = dir.resolve("classes");
        return Files.isDirectory(classes) ? classes : dir.resolve("triage-spark.jar");
    }

    /**
     * The driver's class path: the spark module, Spark and the other libraries (its {@code lib}), then
     * triage's own modules from this triage (its jar, or the class folders of a build or a test run:
     * {@code lib} leaves them out, see the spark pom), absolute, since executors of a standalone
     * cluster are given the same path ({@code spark.executor.extraClassPath}) and start elsewhere.
     * Spark's libraries come first: where this triage holds another copy of one, Spark's is used.
     */
    static String classPath(Path dir) {
        // The jar alone only when it is triage.jar (the engine shaded in); a build's unshaded
        // triage-cli jar (mvn verify packs it before the spark module's tests) holds the command only.
        Path jar = SelfLauncher.ownJar();
        String own = jar != null && jar.equals(codeOf(org.triage.Triage.class)) ? jar.toString() : SelfLauncher.classPath();
        List<String> parts = new ArrayList<>();
        parts.add(code(dir).toAbsolutePath().toString());
        parts.add(dir.resolve("lib").toAbsolutePath() + java.io.File.separator + "*");
        for (String p : own.split(java.io.File.pathSeparator)) {
            if (!p.isEmpty()) parts.add(Path.of(p).toAbsolutePath().toString());
        }
        return String.join(java.io.File.pathSeparator, parts);
    }

    private static Path codeOf(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    /** Runs the driver in a child JVM to its end; its exit code (case run's). */
    static int run(Path dir, List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
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
        }
    }
}
