package org.triage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How {@code case run --spark} starts its driver JVM: on the spark module's jar unless its classes
 * were compiled after it, with a class-data-sharing archive of the classes a run loads (made by the
 * first run, used by the next ones, made again when a jar on the class path changes), none when a
 * class folder is on the class path (the JVM refuses to archive from one). Real files, real times.
 */
class SparkLaunchTest {
    @TempDir
    Path tmp;

    private Path spark() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("spark/target"));
        Files.createDirectories(dir.resolve("lib"));
        Files.writeString(dir.resolve("lib/spark-core.jar"), "jar");
        Path classes = Files.createDirectories(dir.resolve("classes/org/triage/spark"));
        Files.writeString(classes.resolve("CaseOnSpark.class"), "class");
        Files.writeString(dir.resolve("triage-spark.jar"), "jar");
        return dir;
    }

    private static void age(Path file, long secondsAgo) throws IOException {
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(secondsAgo)));
    }

    @Test
    void theJarWhenItIsNewerThanEveryClassElseTheClasses() throws IOException {
        Path dir = spark();
        age(dir.resolve("classes/org/triage/spark/CaseOnSpark.class"), 60);
        assertEquals(dir.resolve("triage-spark.jar"), SparkLaunch.code(dir));

        age(dir.resolve("triage-spark.jar"), 120); // a compile after the last package
        assertEquals(dir.resolve("classes"), SparkLaunch.code(dir));

        Files.delete(dir.resolve("triage-spark.jar"));
        assertEquals(dir.resolve("classes"), SparkLaunch.code(dir));
    }

    @Test
    void anArchiveIsMadeByTheFirstRunAndUsedByTheNext() throws IOException {
        Path dir = spark();
        Path triageJar = Files.writeString(tmp.resolve("triage.jar"), "jar");
        List<Path> path = List.of(dir.resolve("triage-spark.jar"), dir.resolve("lib/spark-core.jar"), triageJar);
        Path archive = dir.resolve("runtime/driver.jsa");

        DriverArchive first = DriverArchive.of(archive, path);
        String dump = first.options().stream().filter(o -> o.startsWith("-XX:ArchiveClassesAtExit=")).findFirst().orElseThrow();
        Path made = Path.of(dump.substring(dump.indexOf('=') + 1));
        assertFalse(made.equals(archive), "dumped under a name of its own, renamed once complete");
        assertTrue(Files.isDirectory(archive.getParent()));
        Files.writeString(made, "archive"); // what the JVM writes at its exit
        first.finished();
        assertTrue(Files.exists(archive));
        assertFalse(Files.exists(made));

        DriverArchive next = DriverArchive.of(archive, path);
        assertTrue(next.options().contains("-XX:SharedArchiveFile=" + archive), next.options().toString());
        assertTrue(next.options().stream().noneMatch(o -> o.startsWith("-XX:ArchiveClassesAtExit")));
    }

    @Test
    void aJarNewerThanTheArchiveMakesItAgain() throws IOException {
        Path dir = spark();
        Path triageJar = Files.writeString(tmp.resolve("triage.jar"), "jar");
        Path archive = Files.createDirectories(dir.resolve("runtime")).resolve("driver.jsa");
        Files.writeString(archive, "archive");
        age(archive, 60);
        DriverArchive a = DriverArchive.of(archive, List.of(dir.resolve("triage-spark.jar"), dir.resolve("lib/spark-core.jar"), triageJar));
        assertTrue(a.options().stream().anyMatch(o -> o.startsWith("-XX:ArchiveClassesAtExit=")), a.options().toString());
        assertTrue(a.options().stream().noneMatch(o -> o.startsWith("-XX:SharedArchiveFile")));
    }

    @Test
    void aDumpThatWroteNothingLeavesNoArchive() throws IOException {
        Path dir = spark();
        Path archive = dir.resolve("runtime/driver.jsa");
        DriverArchive first = DriverArchive.of(archive, List.of(dir.resolve("triage-spark.jar")));
        first.finished(); // the JVM died before its exit dump
        assertFalse(Files.exists(archive));
        try (var left = Files.list(archive.getParent())) {
            assertEquals(0, left.count(), "no half-made archive left behind");
        }
    }

    @Test
    void noArchiveWithAClassFolderOnThePath() throws IOException {
        Path dir = spark();
        Path archive = dir.resolve("runtime/driver.jsa");
        DriverArchive a = DriverArchive.of(archive, List.of(dir.resolve("classes"), dir.resolve("lib/spark-core.jar")));
        assertEquals(List.of(), a.options());
        a.finished();
        assertFalse(Files.exists(archive));
    }

    @Test
    void theDriverJvmCompilesWithC1AndCollectsSerially() {
        List<String> jvm = SparkLaunch.jvmOptions("OpenSSL 3.0.17");
        assertTrue(jvm.contains("-XX:TieredStopAtLevel=1"), jvm.toString());
        assertTrue(jvm.contains("-XX:+UseSerialGC"), jvm.toString());
        // Without libcrypto the JVM hashes, and needs C2's digest intrinsics.
        assertFalse(SparkLaunch.jvmOptions("jvm").contains("-XX:TieredStopAtLevel=1"));
    }
}
