package org.triage.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.List;

/**
 * The class-data-sharing archive of the Spark driver JVM ({@code case run --spark}): the classes a
 * run loads (Spark, Scala, Netty, triage; some 10,000), parsed and verified once and mapped by the
 * runs after it, which cut the driver's start by about 2 s of CPU on this 2-core VM (README, "Cases
 * on a Spark cluster"). As the {@code triage} launcher does for scans: the first run after a build
 * writes the archive at its exit ({@code -XX:ArchiveClassesAtExit}, under a name of its own, renamed
 * once complete, so that two first runs at once never share a half-written file); a run whose class
 * path holds a jar newer than the archive makes it again. The JVM archives from jars only: a class
 * folder on the path (a build run from its classes, the tests) means no archive.
 *
 * <p>One instance per driver JVM started; {@link #finished} after it exits. Never throws: an archive
 * that cannot be made or used only costs start-up time.
 */
final class DriverArchive {
    private static final List<String> QUIET = List.of("-Xlog:cds=off", "-Xlog:cds+dynamic=off");

    private final Path archive;
    private final Path making;
    private final List<String> options;

    private DriverArchive(Path archive, Path making, List<String> options) {
        this.archive = archive;
        this.making = making;
        this.options = options;
    }

    /** The archive at {@code archive} for a JVM on {@code classPath}: used when current, else made by this run. */
    static DriverArchive of(Path archive, List<Path> classPath) {
        FileTime newest = FileTime.fromMillis(0);
        for (Path p : classPath) {
            if (Files.isDirectory(p)) return new DriverArchive(archive, null, List.of());
            try {
                FileTime t = Files.getLastModifiedTime(p);
                if (t.compareTo(newest) > 0) newest = t;
            } catch (IOException e) {
                // not there: the JVM skips it, and so does the archive
            }
        }
        try {
            if (Files.isRegularFile(archive) && Files.getLastModifiedTime(archive).compareTo(newest) >= 0) {
                return new DriverArchive(archive, null, concat("-XX:SharedArchiveFile=" + archive));
            }
            Files.createDirectories(archive.getParent());
            if (!Files.isWritable(archive.getParent())) return new DriverArchive(archive, null, List.of());
        } catch (IOException | RuntimeException e) {
            return new DriverArchive(archive, null, List.of());
        }
        Path making = archive.resolveSibling("." + archive.getFileName() + "." + ProcessHandle.current().pid());
        return new DriverArchive(archive, making, concat("-XX:ArchiveClassesAtExit=" + making));
    }

    private static List<String> concat(String option) {
        return List.of(option, QUIET.get(0), QUIET.get(1));
    }

    /** The JVM options: use the archive, make it, or nothing. */
    List<String> options() {
        return options;
    }

    /** After the JVM's exit: the archive it made takes its name; an empty or missing one is dropped. */
    void finished() {
        if (making == null) return;
        try {
            if (Files.isRegularFile(making) && Files.size(making) > 0) {
                Files.move(making, archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } else {
                Files.deleteIfExists(making);
            }
        } catch (IOException e) {
            try {
                Files.deleteIfExists(making);
            } catch (IOException ignored) {
                // start-up time only: the next run tries again
            }
        }
    }
}
