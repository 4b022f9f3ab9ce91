package org.triage.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 on a standalone cluster of a master and two one-core workers on loopback: one worker's
 * JVM and its executor are killed (SIGKILL) while the job runs (once the driver's progress shows a
 * task done and at least three to go), Spark runs their tasks again on the other worker, and the
 * case written equals one machine's {@code case run} (status, reports, listings, PDQ hashes and near
 * matches; times aside; the fixture and the one-machine run shared with {@link LocalSparkCaseTest}),
 * every entry taken from the cluster's shares, the lost executor named in the audit trail, the evidence
 * unchanged.
 */
class StandaloneClusterTest {
    private static final Pattern TASKS = Pattern.compile("cluster: (\\d+) of (\\d+) tasks done");

    @TempDir
    Path dir;

    @Test
    void aWorkerKilledMidJobLosesNothingAndCountsNothingTwice() throws Exception {
        CaseFixture f = CaseFixture.shared();
        try (StandaloneCluster cluster = StandaloneCluster.start(dir, 2)) {
            Path kase = f.newCase("cluster");
            Path err = dir.resolve("driver.err");
            Process driver = CaseFixture.start(List.of("case", "run", kase.toString(), "--spark", cluster.master(), "--spark-split",
                    CaseFixture.SPLIT, "--progress-interval", "0.2"), err, dir.resolve("driver.out"));
            try {
                awaitMidJob(driver, err);
                cluster.kill(0);
                assertTrue(driver.waitFor(5, TimeUnit.MINUTES), "the run did not end");
            } finally {
                driver.destroyForcibly();
            }
            assertEquals(1, driver.exitValue(), Files.readString(err));
            assertEquals(f.oneMachineOutcome(), f.outcome(kase));
            for (JsonNode fin : f.audit(kase, "item-finished")) {
                assertEquals(fin.get("files").asLong(), fin.get("resumed_entries").asLong(), fin.toString());
            }
            JsonNode finished = f.audit(kase, "run-finished").get(0).get("cluster");
            boolean lost = false;
            for (JsonNode e : finished.get("executors")) lost |= e.has("removed");
            assertTrue(lost, "no executor lost in the audit trail: " + finished);
            assertEquals(f.evidenceBefore(), f.evidenceSums(), "the evidence changed");
            f.triage(0, "case", "verify", kase.toString());
            System.out.println("StandaloneClusterTest: " + finished);
        }
    }

    /** Waits until the driver's progress shows at least one task done and three to go; fails at the deadline. */
    private static void awaitMidJob(Process driver, Path err) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (true) {
            String s = Files.exists(err) ? Files.readString(err) : "";
            Matcher m = TASKS.matcher(s);
            while (m.find()) {
                int done = Integer.parseInt(m.group(1));
                int all = Integer.parseInt(m.group(2));
                if (done >= 1 && all - done >= 3) return;
            }
            if (!driver.isAlive() || System.nanoTime() > deadline) fail("the job never reached its middle:\n" + s);
            Thread.sleep(50);
        }
    }
}
