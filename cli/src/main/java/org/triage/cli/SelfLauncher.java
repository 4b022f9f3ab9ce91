package org.triage.cli;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The command that starts this same triage in a new JVM: {@code java [opts] -jar triage.jar} (or -cp in tests). */
final class SelfLauncher {
    private SelfLauncher() {
    }

    /**
     * The {@code triage} launcher script beside the build that made this jar, when there is one: it
     * is how a user runs a scan (class-data sharing archive, cached native library), so the bench
     * measures through it. JVM options go in {@code TRIAGE_JAVA_OPTS}.
     */
    static Path launcherScript() {
        Path jar = ownJar();
        if (jar == null || jar.getParent() == null || jar.getParent().getParent() == null) return null;
        Path root = jar.getParent().getParent().getParent(); // <root>/cli/target/triage.jar
        if (root == null) return null;
        Path script = root.resolve("triage");
        return Files.isExecutable(script) ? script : null;
    }

    static List<String> javaCommand(String... jvmOptions) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of(jvmOptions));
        cmd.add("-Djava.awt.headless=true");
        cmd.add("-Dfile.encoding=UTF-8");
        Path jar = ownJar();
        if (jar != null) {
            cmd.add("-jar");
            cmd.add(jar.toString());
        } else {
            cmd.add("-cp");
            cmd.add(classPath());
            cmd.add(TriageCommand.class.getName());
        }
        return cmd;
    }

    /**
     * The class path of a child JVM when this one runs from class directories (a build, the tests):
     * the command's and the engine's classes, and every library, wherever this JVM found them (on the
     * module path, as tests run, or the class path; surefire names its test class path apart).
     */
    static String classPath() {
        List<String> parts = new ArrayList<>();
        for (Class<?> c : List.of(TriageCommand.class, org.triage.Triage.class)) {
            try {
                parts.add(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
            } catch (URISyntaxException | RuntimeException e) {
                // not from a file: the properties below name it
            }
        }
        String modules = System.getProperty("jdk.module.path", "");
        if (!modules.isEmpty()) parts.add(modules);
        parts.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        return String.join(java.io.File.pathSeparator, parts);
    }

    /** The jar this triage runs from; null when it runs from class folders (a build, the tests). */
    static Path ownJar() {
        try {
            Path p = Path.of(TriageCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Files.isRegularFile(p) && p.toString().endsWith(".jar") ? p : null;
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }
}
