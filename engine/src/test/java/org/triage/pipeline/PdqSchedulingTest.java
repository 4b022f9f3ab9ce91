package org.triage.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.triage.natives.LibC;
import org.triage.store.HashStore;
import org.triage.store.HashStoreAdmin;
import org.triage.store.RocksHashStore;

/**
 * The PDQ stage's threads yield the cores to an item's crypto pass and drain at full weight after
 * it: the kernel's view of each thread's scheduling policy (field 41 of /proc/self/task/TID/stat:
 * 0 normal, 5 idle) is the oracle, not the stage's own state.
 */
class PdqSchedulingTest {
    private static final long DEADLINE_NANOS = 20_000_000_000L;

    @TempDir
    Path tmp;

    @Test
    void decodersAreIdleClassDuringTheCryptoPassAndNormalAfter() throws Exception {
        Path db = tmp.resolve("db");
        try (HashStoreAdmin w = RocksHashStore.openWritable(db)) {
            // an empty store is enough: the pictures here are not even decodable
        }
        try (HashStore store = RocksHashStore.openReadOnly(db);
             PdqStage stage = new PdqStage(new PdqSettings(2, 1 << 20, 1 << 20, 31, false, 10), store,
                     new PictureBudget(1 << 20), new ProgressCounters())) {
            awaitPolicies(LibC.SCHED_IDLE);

            stage.cryptoPass(false);
            assumeTrue(mayLeaveIdleClass(), "leaving the idle class needs root or RLIMIT_NICE here");
            awaitPolicies(LibC.SCHED_OTHER);
            submitAndAwait(stage, 2); // the threads still work after the change

            stage.cryptoPass(true);
            awaitPolicies(LibC.SCHED_IDLE);
        }
    }

    /** Undecodable pictures (each result is an error, which is fine here), until the stage has done them all. */
    private static void submitAndAwait(PdqStage stage, int threads) throws InterruptedException {
        int n = threads * 8;
        for (int i = 0; i < n; i++) {
            PictureBytes bytes = new PictureBytes(16);
            bytes.append(new com.sun.jna.Memory(16), 16);
            stage.submit(new PdqStage.Work(ByteBuffer.wrap(new byte[] {(byte) i}), bytes, 0));
        }
        long end = System.nanoTime() + DEADLINE_NANOS;
        while (!stage.idle() && System.nanoTime() < end) stage.awaitIdle(50);
        assertEquals(true, stage.idle(), "the stage did not finish " + n + " pictures");
    }

    /** CAP_SYS_NICE (bit 23) in the effective set: what leaving the idle class takes without RLIMIT_NICE. */
    private static boolean mayLeaveIdleClass() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("CapEff:")) return (Long.parseLong(line.substring(7).trim(), 16) & (1L << 23)) != 0;
        }
        return false;
    }

    /** Waits until every PDQ thread has the policy (a deadline, then the last seen policies in the failure). */
    private static void awaitPolicies(int policy) throws IOException, InterruptedException {
        long end = System.nanoTime() + DEADLINE_NANOS;
        Map<String, Integer> seen = policies();
        while (!(seen.size() == 2 && seen.values().stream().allMatch(p -> p == policy)) && System.nanoTime() < end) {
            Thread.onSpinWait();
            seen = policies();
        }
        assertEquals(Map.of("triage-pdq-0", policy, "triage-pdq-1", policy), seen);
    }

    private static Map<String, Integer> policies() throws IOException {
        Map<String, Integer> out = new HashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path t : tasks.toList()) {
                String stat;
                try {
                    stat = Files.readString(t.resolve("stat"));
                } catch (IOException gone) {
                    continue;
                }
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                if (!name.startsWith("triage-pdq-")) continue;
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
                out.put(name, Integer.parseInt(f[38]));
            }
        }
        return out;
    }
}
