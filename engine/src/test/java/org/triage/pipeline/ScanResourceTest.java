package org.triage.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.triage.Scan;
import org.triage.ScanConfig;
import org.triage.Triage;
import org.triage.model.Algorithm;
import org.triage.model.ScanResult;
import org.triage.store.HashStore;
import org.triage.store.RocksHashStore;

/**
 * Issue 10, item 3: a scan is a resource. It allocates its threads and its buffer mapping only when
 * it runs, releases both before {@code run()} returns, and runs once. Threads are told apart by
 * name ("triage-" is every engine thread's prefix); the mapping by {@link BufferPool#mapped()}.
 */
class ScanResourceTest {
    @TempDir
    static Path dir;
    static Path evidence;
    static Path db;

    @BeforeAll
    static void setUp() throws Exception {
        evidence = Files.createDirectories(dir.resolve("evidence"));
        for (int i = 0; i < 20; i++) Files.writeString(evidence.resolve("f" + i), "file " + i);
        db = dir.resolve("db");
        RocksHashStore.openWritable(db).close();
    }

    private static Set<Thread> engineThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive() && t.getName().startsWith("triage-"))
                .collect(Collectors.toSet());
    }

    private static ScanConfig config() {
        return ScanConfig.builder().source(evidence.toString()).algorithms(EnumSet.of(Algorithm.MD5)).build();
    }

    @Test
    void aScanCreatedAndClosedWithoutRunningLeavesNoThreadAndNoMapping() throws Exception {
        try (HashStore store = Triage.openStore(db)) {
            Set<Thread> before = engineThreads();
            int mappedBefore = BufferPool.mapped();
            Scan scan = Triage.newScan(config(), store);
            Set<Thread> made = engineThreads();
            made.removeAll(before);
            assertEquals(Set.of(), made, "threads started by a scan that has not run");
            assertEquals(mappedBefore, BufferPool.mapped(), "buffer mappings held by a scan that has not run");
            scan.close();
            Set<Thread> left = engineThreads();
            left.removeAll(before);
            assertEquals(Set.of(), left, "threads left by a scan closed without running");
            assertEquals(mappedBefore, BufferPool.mapped(), "buffer mappings left by a scan closed without running");
            IllegalStateException e = assertThrows(IllegalStateException.class, scan::run);
            assertTrue(e.getMessage().contains("closed"), e.getMessage());
        }
    }

    @Test
    void aScanThatRanHoldsNoStageOrReaderThreadAndNoMapping() throws Exception {
        try (HashStore store = Triage.openStore(db)) {
            Set<Thread> before = engineThreads();
            int mappedBefore = BufferPool.mapped();
            ScanResult result;
            try (Scan scan = Triage.newScan(config(), store)) {
                result = scan.run();
            }
            assertEquals(20, result.evidence().get(0).files());
            // The pre-walk and the digest warm-up are short-lived daemons of their own; the stages
            // and the readers are the pipeline's, and must be gone once run() has returned.
            List<String> left = engineThreads().stream().filter(t -> !before.contains(t)).map(Thread::getName)
                    .filter(n -> n.startsWith("triage-stage") || n.startsWith("triage-reader")).toList();
            assertEquals(List.of(), left, "pipeline threads still alive after the scan");
            assertEquals(mappedBefore, BufferPool.mapped(), "buffer mappings left after the scan");
        }
    }

    @Test
    void runTwiceIsRefusedWithAClearErrorAndDoesNotHang() throws Exception {
        try (HashStore store = Triage.openStore(db); Scan scan = Triage.newScan(config(), store)) {
            ScanResult first = scan.run();
            assertEquals(20, first.evidence().get(0).files());
            // The bound only turns a hang into a failure; nothing here depends on how long a run takes.
            IllegalStateException e = assertTimeoutPreemptively(Duration.ofSeconds(60),
                    () -> assertThrows(IllegalStateException.class, scan::run));
            assertTrue(e.getMessage().contains("already run"), e.getMessage());
        }
    }

    @Test
    void aScanStoppedBeforeItRunsReadsNothing() throws Exception {
        try (HashStore store = Triage.openStore(db); Scan scan = Triage.newScan(config(), store)) {
            scan.stop();
            ScanResult result = scan.run();
            assertTrue(result.interrupted());
            assertEquals(0, result.evidence().get(0).files());
            assertEquals(0, scan.progress().files());
        }
    }
}
