package org.triage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.triage.model.Algorithm;
import org.triage.model.EvidenceSummary;
import org.triage.model.Priority;
import org.triage.model.RawPath;
import org.triage.model.ScanResult;
import org.triage.model.SetKind;
import org.triage.priority.CategoryTable;
import org.triage.store.HashStore;
import org.triage.store.HashStoreAdmin;
import org.triage.store.RocksHashStore;

/**
 * Issue 10, item 3: the category table travels in the {@link ScanConfig}, not in a system property
 * the CLI sets and resets around each scan. Two scans in one JVM, at the same time, each with its
 * own table, rank the same two devices in opposite orders.
 */
class ScanCategoriesTest {

    @Test
    void twoScansAtOnceEachRankByItsOwnTable(@TempDir Path dir) throws Exception {
        Path first = Files.createDirectories(dir.resolve("device-A"));
        Path second = Files.createDirectories(dir.resolve("device-B"));
        Files.writeString(first.resolve("a.bin"), "matches category A");
        Files.writeString(second.resolve("b.bin"), "matches category B");
        var md5 = Oracle.digests(dir, "md5sum");
        Path list = Files.writeString(dir.resolve("alerts.txt"), md5.get(RawPath.of("device-A/a.bin")) + ",A\n"
                + md5.get(RawPath.of("device-B/b.bin")) + ",B\n");
        Path db = dir.resolve("db");
        try (HashStoreAdmin w = RocksHashStore.openWritable(db)) {
            w.importHashList(list, "alerts", SetKind.ALERT, null, false);
        }
        // Both tables make A and B raise priority; they differ only in which is worse.
        CategoryTable aWorse = CategoryTable.load(Files.writeString(dir.resolve("a-worse.tsv"),
                "A\tlab A\t9\tyes\tlab\nB\tlab B\t1\tyes\tlab\n"));
        CategoryTable bWorse = CategoryTable.load(Files.writeString(dir.resolve("b-worse.tsv"),
                "A\tlab A\t1\tyes\tlab\nB\tlab B\t9\tyes\tlab\n"));

        ScanResult[] byTable = new ScanResult[2];
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch bothBuilt = new CountDownLatch(2);
        try (HashStore store = Triage.openStore(db)) {
            List<Thread> threads = new ArrayList<>();
            CategoryTable[] tables = {aWorse, bWorse};
            for (int i = 0; i < 2; i++) {
                int which = i;
                threads.add(new Thread(() -> {
                    try {
                        ScanConfig cfg = ScanConfig.builder().source(first.toString(), second.toString())
                                .algorithms(EnumSet.of(Algorithm.MD5)).categories(tables[which]).build();
                        bothBuilt.countDown();
                        bothBuilt.await(); // both configs exist before either scan runs
                        try (Scan scan = Triage.newScan(cfg, store)) {
                            byTable[which] = scan.run();
                        }
                    } catch (Throwable t) {
                        failures.add(t);
                    }
                }));
            }
            threads.forEach(Thread::start);
            for (Thread t : threads) t.join();
        }
        assertEquals(List.of(), failures);
        assertEquals(List.of(first.toString(), second.toString()), order(byTable[0]), "ranked by the table where A is worse");
        assertEquals(List.of(second.toString(), first.toString()), order(byTable[1]), "ranked by the table where B is worse");
        assertEquals(List.of(9, 1), byTable[0].evidence().stream().map(EvidenceSummary::severity).toList());
        assertEquals(List.of(9, 1), byTable[1].evidence().stream().map(EvidenceSummary::severity).toList());
        for (ScanResult r : byTable) {
            for (EvidenceSummary s : r.evidence()) assertEquals(Priority.HIGH, s.priority(), s.toString());
        }
        assertNull(System.getProperty(CategoryTable.PROPERTY), "no scan sets the table's system property");
    }

    private static List<String> order(ScanResult r) {
        return r.evidence().stream().map(EvidenceSummary::source).toList();
    }
}
