package org.triage.spark;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Spark standalone cluster on this machine, loopback only: a master and workers, each Spark's own
 * class ({@code org.apache.spark.deploy.master.Master}, {@code ...worker.Worker}) from the Maven jars
 * in its own JVM, one core each. The workers start executors from {@code SPARK_HOME/jars}, here a
 * link to the spark module's {@code target/lib}. Waits on the master's log, with deadlines.
 */
final class StandaloneCluster implements AutoCloseable {
    private final Path dir;
    private final int port;
    private final Process master;
    private final List<Process> workers = new ArrayList<>();

    private StandaloneCluster(Path dir, int port, Process master) {
        this.dir = dir;
        this.port = port;
        this.master = master;
    }

    static StandaloneCluster start(Path dir, int workers) throws Exception {
        Path lib = Path.of("target", "lib").toAbsolutePath();
        Path home = Files.createDirectories(dir.resolve("spark-home"));
        if (!Files.exists(home.resolve("jars"))) Files.createSymbolicLink(home.resolve("jars"), lib);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        StandaloneCluster c = new StandaloneCluster(dir, port, jvm(dir, home, "master", "org.apache.spark.deploy.master.Master",
                "--host", "127.0.0.1", "--port", String.valueOf(port), "--webui-port", "0"));
        try {
            c.awaitLog("master", "I have been elected leader", 1);
            for (int i = 0; i < workers; i++) {
                c.workers.add(jvm(dir, home, "worker-" + i, "org.apache.spark.deploy.worker.Worker", c.master(), "--host", "127.0.0.1",
                        "--cores", "1", "--memory", "1g", "--webui-port", "0", "--work-dir",
                        Files.createDirectories(dir.resolve("work-" + i)).toString()));
            }
            c.awaitLog("master", "Registering worker", workers);
        } catch (Exception | AssertionError e) {
            c.close();
            throw e;
        }
        return c;
    }

    String master() {
        return "spark://127.0.0.1:" + port;
    }

    /** SIGKILL of worker {@code i}'s JVM and of the executor JVMs it started: a machine that dies. */
    void kill(int i) throws InterruptedException {
        Process w = workers.get(i);
        List<ProcessHandle> children = w.descendants().toList();
        w.destroyForcibly();
        for (ProcessHandle h : children) h.destroyForcibly();
        w.waitFor(30, TimeUnit.SECONDS);
    }

    private static Process jvm(Path dir, Path home, String name, String main, String... args) throws IOException {
        // The master's INFO lines are what the test waits on (triage's own log4j2.properties keeps Spark to warnings).
        Path log4j = dir.resolve("log4j2-cluster.properties");
        if (!Files.exists(log4j)) {
            Files.writeString(log4j, "rootLogger.level = info\nrootLogger.appenderRef.out.ref = out\n"
                    + "appender.out.type = Console\nappender.out.name = out\nappender.out.layout.type = PatternLayout\n"
                    + "appender.out.layout.pattern = %d %p %c{1}: %m%n\n");
        }
        List<String> cmd = new ArrayList<>(List.of(CaseFixture.java(), "-Xmx256m", "-Dlog4j2.configurationFile=" + log4j));
        cmd.addAll(List.of(System.getProperty("triage.spark.opens", "").split(" ")));
        cmd.addAll(List.of("-cp", Path.of("target", "classes").toAbsolutePath() + ":" + home.resolve("jars") + "/*", main));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile());
        pb.environment().put("SPARK_HOME", home.toString());
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        pb.environment().put("SPARK_SCALA_VERSION", "2.13");
        return pb.start();
    }

    /** Waits until the log holds {@code count} lines with {@code text}; fails at the deadline. */
    private void awaitLog(String name, String text, int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        Path log = dir.resolve(name + ".log");
        while (true) {
            String s = Files.exists(log) ? Files.readString(log) : "";
            if (s.split(java.util.regex.Pattern.quote(text), -1).length - 1 >= count) return;
            if (!master.isAlive() || System.nanoTime() > deadline) fail("the " + name + " never logged '" + text + "' x" + count + ":\n" + s);
            Thread.sleep(100);
        }
    }

    @Override
    public void close() {
        for (Process w : workers) {
            w.descendants().forEach(ProcessHandle::destroyForcibly);
            w.destroyForcibly();
        }
        master.destroyForcibly();
    }
}
