package org.triage.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 15 in Spark's local mode ({@code local[2]}): {@code triage case run DIR --spark local[2]} on
 * a case of a directory, a raw FAT disk and an E01, with the images cut into several tasks, writes
 * what {@code triage case run DIR} writes on one machine (status, reports, listings; times aside),
 * every planted file found once with md5sum's digest, the pictures with their PDQ hashes and near
 * matches as one machine lists them, every entry taken from the cluster's shares (none read again on
 * the driver); the store opened once in the JVM; the evidence unchanged (sha256sum before and
 * after). That a share-cut image gives the records of the whole image is {@code EntryShareTest}'s,
 * in the engine: here the cut run equals one machine's. One cluster run, read by every test here.
 */
class LocalSparkCaseTest {
    static CaseFixture f;
    static Path split;

    @BeforeAll
    static void runOnSpark() throws Exception {
        f = CaseFixture.shared();
        split = f.newCase("local");
        long t0 = System.nanoTime();
        f.triage(1, "case", "run", split.toString(), "--spark", "local[2]", "--spark-split", CaseFixture.SPLIT, "-q");
        System.out.printf("LocalSparkCaseTest: case run --spark local[2] %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }

    @Test
    void theClusterRunEqualsOneMachinesAndFindsEveryPlantedFileOnce() throws Exception {
        assertEquals(f.oneMachineOutcome(), f.outcome(split));
        Map<String, Integer> listed = f.listedMd5(split);
        for (Map.Entry<String, String> planted : f.plantedMd5().entrySet()) {
            assertEquals(1, listed.getOrDefault(planted.getKey(), 0), planted.getValue() + " (md5sum " + planted.getKey() + ")");
        }
        for (JsonNode i : f.items(split)) assertEquals("HIGH", i.get("level").asText(), i.toString());
        assertEquals(f.evidenceBefore(), f.evidenceSums(), "the evidence changed");
        f.triage(0, "case", "verify", split.toString());
    }

    @Test
    void picturesKeepTheirPdqAndNearMatchesThroughTheShares() throws Exception {
        Map<String, String> pdq = f.listedPdq(split);
        // The three near copies (one in the folder, two in the E01, which is cut into shares), each near a known picture.
        assertEquals(3, pdq.size(), pdq.toString());
        for (Map.Entry<String, String> e : pdq.entrySet()) assertTrue(e.getValue().contains("\"by\":\"pdq\""), e.toString());
        assertEquals(f.listedPdq(f.oneMachine()), pdq);
        // The hashes came through the tasks' listings (shares/), not from a decode on the driver.
        Map<String, String> fromShares = new java.util.TreeMap<>();
        try (var files = java.nio.file.Files.list(split.resolve("shares"))) {
            for (Path share : (Iterable<Path>) files.sorted()::iterator) {
                String item = share.getFileName().toString().split("-")[1];
                for (String line : CaseFixture.entries(share)) {
                    JsonNode e = CaseFixture.JSON.readTree(line);
                    if (e.hasNonNull("pdq")) fromShares.put(item + ":" + e.get("path").asText(), e.get("pdq").asText());
                }
            }
        }
        Map<String, String> listedHashes = new java.util.TreeMap<>();
        pdq.forEach((k, v) -> listedHashes.put(k, v.substring(0, v.indexOf(' '))));
        assertEquals(listedHashes, fromShares);
    }

    @Test
    void theImagesWereCutIntoSharesAndTheStoreOpenedOnce() throws Exception {
        List<JsonNode> shares = f.audit(split, "item-shares");
        assertEquals(3, shares.size(), shares.toString());
        for (JsonNode s : shares) {
            String path = f.audit(split, "item-added").get(s.get("item").asInt() - 1).get("path").asText();
            int tasks = s.get("tasks").size();
            assertTrue(path.endsWith("laptop") ? tasks == 1 : tasks > 2, path + ": " + tasks + " tasks");
            for (JsonNode t : s.get("tasks")) assertEquals(1, t.get("store_opens_in_jvm").asInt(), t.toString());
            assertTrue(s.get("error").isNull(), s.toString());
        }
        // Every entry came from the cluster's shares: the driver walked the items but read none of them again.
        for (JsonNode fin : f.audit(split, "item-finished")) {
            assertEquals(fin.get("files").asLong(), fin.get("resumed_entries").asLong(), fin.toString());
        }
        JsonNode started = f.audit(split, "run-started").get(0);
        assertEquals("local[2]", started.get("cluster").get("master").asText(), started.toString());
        assertFalse(f.audit(split, "run-finished").isEmpty());
    }
}
