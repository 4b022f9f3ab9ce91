package org.triage.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedWriter;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.triage.model.HashSetInfo;
import org.triage.model.NearMatch;
import org.triage.model.PdqHash;
import org.triage.model.SetKind;

/**
 * PDQ sets in the store: imported from ThreatExchange's text form, kept all or nothing, found again
 * by a fresh read-only open, removed and replaced; and the multi-index near-match search giving
 * exactly what a brute-force scan of the test's own list gives (the oracle: BigInteger XOR and
 * bitCount over the hex the test wrote, no store code), for 100,000 stored hashes with hashes
 * planted at distances 0, 30, 31, 32, 255 and 256 from the queries, at radius 31 and others.
 */
class PdqStoreTest {
    private static final int STORED = 100_000;
    private static final int QUERIES = 40;
    private static final int[] PLANTED = {0, 1, 30, 31, 32, 33, 255, 256};

    @TempDir
    static Path shared;
    /** Every line written to the big file: hex, quality (-1 none), category ("" none). */
    static final List<Line> LINES = new ArrayList<>();
    static final List<String> QUERY_HEX = new ArrayList<>();
    static Path big;
    static Path store;

    record Line(String hex, int quality, String category, BigInteger value) {
        Line(String hex, int quality, String category) {
            this(hex, quality, category, new BigInteger(hex, 16));
        }
    }

    /** What the brute force and the store are compared on. */
    record Found(String hex, int distance, String set, String category, int quality) {
    }

    @BeforeAll
    static void bigStore() throws IOException {
        SplittableRandom rnd = new SplittableRandom(12);
        for (int i = 0; i < STORED; i++) LINES.add(new Line(randomHex(rnd), i % 3 == 0 ? -1 : rnd.nextInt(101),
                i % 5 == 0 ? "" : String.valueOf(1 + rnd.nextInt(3))));
        for (int q = 0; q < QUERIES; q++) {
            String query = randomHex(rnd);
            QUERY_HEX.add(query);
            for (int d : PLANTED) LINES.add(new Line(flip(query, d, rnd), 50 + q, "2"));
        }
        // A cluster: 300 hashes 2 or 3 bits of one point (real PDQ hashes are not uniform).
        String centre = QUERY_HEX.get(0);
        for (int i = 0; i < 300; i++) LINES.add(new Line(flip(centre, 2 + rnd.nextInt(2), rnd), 90, "1"));
        big = shared.resolve("big.pdq");
        try (BufferedWriter w = Files.newBufferedWriter(big, StandardCharsets.US_ASCII)) {
            w.write("# ThreatExchange text form: hash[,quality][,category]\n\n");
            for (Line l : LINES) {
                w.write(l.hex);
                if (l.quality >= 0 || !l.category.isEmpty()) w.write("," + (l.quality >= 0 ? l.quality : ""));
                if (!l.category.isEmpty()) w.write("," + l.category);
                w.write('\n');
            }
        }
        store = shared.resolve("store");
        try (HashStoreAdmin s = RocksHashStore.openWritable(store)) {
            s.importSet(request(big, "pdq-big"));
        }
    }

    static ImportRequest request(Path file, String name) {
        return new ImportRequest(file, name, SetKind.ALERT, ImportFormat.PDQ, null, false, "test", true);
    }

    static String randomHex(SplittableRandom rnd) {
        StringBuilder b = new StringBuilder(64);
        for (int i = 0; i < 64; i++) b.append(Character.forDigit(rnd.nextInt(16), 16));
        return b.toString();
    }

    /** The hash with exactly {@code d} distinct bits flipped. */
    static String flip(String hex, int d, SplittableRandom rnd) {
        BigInteger v = new BigInteger(hex, 16);
        Set<Integer> bits = new HashSet<>();
        while (bits.size() < d) bits.add(rnd.nextInt(256));
        for (int b : bits) v = v.flipBit(b);
        return String.format("%64s", v.toString(16)).replace(' ', '0');
    }

    /** The brute force: every line of the file within {@code radius}, one per distinct hash (a set keeps a hash once). */
    static List<Found> bruteForce(String query, int radius) {
        List<Found> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        BigInteger q = new BigInteger(query, 16);
        for (Line l : LINES) {
            int d = q.xor(l.value).bitCount();
            if (d <= radius && seen.add(l.hex)) out.add(new Found(l.hex, d, "pdq-big", l.category.isEmpty() ? null : l.category, l.quality));
        }
        out.sort(Comparator.comparingInt(Found::distance).thenComparing(Found::hex));
        return out;
    }

    static List<Found> found(List<NearMatch> matches) {
        List<Found> out = new ArrayList<>();
        for (NearMatch m : matches) {
            out.add(new Found(m.known().hex(), m.distance(), m.match().set(), m.match().category(), m.quality()));
        }
        return out;
    }

    /** Nearest first, as the store promises; ties in any order, so compare sorted by hash within a distance. */
    static List<Found> canonical(List<Found> in) {
        for (int i = 1; i < in.size(); i++) {
            int at = i;
            assertTrue(in.get(i - 1).distance() <= in.get(i).distance(), () -> "not nearest first at " + at);
        }
        List<Found> out = new ArrayList<>(in);
        out.sort(Comparator.comparingInt(Found::distance).thenComparing(Found::hex));
        return out;
    }

    @Test
    void radius31EqualsBruteForceIncludingDistances30To32() throws Exception {
        try (RocksHashStore s = RocksHashStore.openReadOnly(store)) {
            for (String q : QUERY_HEX) {
                List<Found> expected = bruteForce(q, 31);
                List<Found> got = canonical(found(s.nearMatches(PdqHash.parse(q), 31)));
                assertEquals(expected, got, "query " + q);
                Set<Integer> distances = new HashSet<>();
                for (Found f : got) distances.add(f.distance());
                assertTrue(distances.containsAll(Set.of(0, 1, 30, 31)), "planted hashes at 0, 1, 30, 31 found: " + distances);
                assertTrue(!distances.contains(32) && !distances.contains(33), "nothing past 31: " + distances);
            }
        }
    }

    @Test
    void otherRadiiEqualBruteForce() throws Exception {
        try (RocksHashStore s = RocksHashStore.openReadOnly(store)) {
            for (int radius : new int[] {0, 1, 10, 15, 16, 30, 32, 33, 47, 48, 70}) {
                for (String q : QUERY_HEX.subList(0, 6)) {
                    assertEquals(bruteForce(q, radius), canonical(found(s.nearMatches(PdqHash.parse(q), radius))),
                            "radius " + radius + ", query " + q);
                }
            }
            // Everything, and the complement at 256.
            String q = QUERY_HEX.get(1);
            List<Found> all = canonical(found(s.nearMatches(PdqHash.parse(q), 256)));
            assertEquals(bruteForce(q, 256), all);
            assertEquals(256, all.get(all.size() - 1).distance());
            assertEquals(bruteForce(q, 254), canonical(found(s.nearMatches(PdqHash.parse(q), 254))));
        }
    }

    /** The same search cut into fewer, wider slots (radius 2 per slot at distance 31; slots that straddle words). */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {13, 14, 15})
    void widerSlotsEqualBruteForce(int slots) throws Exception {
        System.setProperty("triage.pdq.slots", String.valueOf(slots));
        try (RocksHashStore s = RocksHashStore.openReadOnly(store)) {
            for (int radius : new int[] {31, 0, 26, 27, 40}) {
                for (String q : QUERY_HEX.subList(0, radius == 31 ? QUERIES : 4)) {
                    assertEquals(bruteForce(q, radius), canonical(found(s.nearMatches(PdqHash.parse(q), radius))),
                            slots + " slots, radius " + radius + ", query " + q);
                }
            }
        } finally {
            System.clearProperty("triage.pdq.slots");
        }
    }

    @Test
    void aRadiusOutside0To256IsRefusedNamingIt() throws Exception {
        try (RocksHashStore s = RocksHashStore.openReadOnly(store)) {
            PdqHash q = PdqHash.parse(QUERY_HEX.get(0));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.nearMatches(q, 257));
            assertTrue(e.getMessage().contains("257"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> s.nearMatches(q, -1));
        }
    }

    @Test
    void countsAndTheSetsInfo() throws Exception {
        long distinct = LINES.stream().map(Line::hex).distinct().count();
        try (RocksHashStore s = RocksHashStore.openReadOnly(store)) {
            assertEquals(distinct, s.pdqCount());
            HashSetInfo info = s.sets().get(0);
            assertEquals(distinct, info.pdq());
            assertEquals("pdq", info.format());
            assertTrue(info.byAlgorithm().isEmpty(), "no digests in a PDQ set: " + info.byAlgorithm());
        }
    }

    @Test
    void manyThreadsGetTheSameAnswers() throws Exception {
        try (RocksHashStore s = RocksHashStore.openReadOnly(store)) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<List<Found>>> results = new ArrayList<>();
                for (String q : QUERY_HEX) results.add(pool.submit(() -> canonical(found(s.nearMatches(PdqHash.parse(q), 31)))));
                for (int i = 0; i < QUERY_HEX.size(); i++) assertEquals(bruteForce(QUERY_HEX.get(i), 31), results.get(i).get());
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @TempDir
    Path tmp;

    private static String hashOf(int i) {
        return String.format("%064x", BigInteger.valueOf(i).shiftLeft(200).add(BigInteger.valueOf(i)));
    }

    @Test
    void aMalformedLastLineLeavesNoSetAndSaysWhere() throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= 1000; i++) text.append(hashOf(i)).append(",100,1\n");
        text.append(hashOf(1001)).append(",101\n");
        Path file = StoreFixture.write(tmp.resolve("bad.pdq"), text.toString());
        Path dir = tmp.resolve("s");
        try (HashStoreAdmin s = RocksHashStore.openWritable(dir)) {
            ImportException e = assertThrows(ImportException.class, () -> s.importSet(request(file, "bad")));
            assertTrue(e.getMessage().contains("bad.pdq:1001"), e.getMessage());
            assertTrue(e.getMessage().contains("101"), e.getMessage());
        }
        try (RocksHashStore s = RocksHashStore.openReadOnly(dir)) {
            assertEquals(0, s.pdqCount());
            assertTrue(s.sets().isEmpty());
            assertTrue(s.nearMatches(PdqHash.parse(hashOf(1)), 31).isEmpty());
        }
    }

    @Test
    void badLinesNameLineAndReason() throws Exception {
        String good = hashOf(7);
        String[][] cases = {
                {good.substring(1), "64 hex"},
                {good.substring(0, 63) + "g", "64 hex"},
                {good + ",abc", "quality"},
                {good + ",-1", "quality"},
                {good + ",50,", "empty category"},
                {good + " x", "64 hex"},
        };
        for (String[] c : cases) {
            Path file = StoreFixture.write(tmp.resolve("case.pdq"), "# comment\n" + good + "\n" + c[0] + "\n");
            Path dir = tmp.resolve("c" + Math.abs(c[0].hashCode()));
            try (HashStoreAdmin s = RocksHashStore.openWritable(dir)) {
                ImportException e = assertThrows(ImportException.class, () -> s.importSet(request(file, "x")), c[0]);
                assertTrue(e.getMessage().contains("case.pdq:3"), e.getMessage());
                assertTrue(e.getMessage().contains(c[1]), c[0] + " -> " + e.getMessage());
                assertEquals(0, s.pdqCount());
            }
        }
    }

    @Test
    void aCrashAfterTheIngestLeavesNothingVisibleAndTheNextOpenPurgesIt() throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= 500; i++) text.append(hashOf(i)).append('\n');
        Path file = StoreFixture.write(tmp.resolve("ok.pdq"), text.toString());
        Path dir = tmp.resolve("crash");
        try (HashStoreAdmin s = RocksHashStore.openWritable(dir, (phase, id) -> {
            if (phase == ImportObserver.Phase.COMMIT) throw new SimulatedCrash(phase);
        })) {
            assertThrows(SimulatedCrash.class, () -> s.importSet(request(file, "dies")));
        }
        try (RocksHashStore s = RocksHashStore.openReadOnly(dir)) {
            assertEquals(0, s.pdqCount());
            assertTrue(s.nearMatches(PdqHash.parse(hashOf(3)), 31).isEmpty(), "a half set is visible");
        }
        try (HashStoreAdmin s = RocksHashStore.openWritable(dir)) {
            assertEquals(0, s.pdqKeys(), "the dead import's records purged");
            s.importSet(request(file, "lives"));
            assertEquals(500, s.pdqCount());
        }
    }

    @Test
    void removeAndReplaceWorkForPdqSets() throws Exception {
        StringBuilder a = new StringBuilder();
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= 300; i++) a.append(hashOf(i)).append(",80,1\n");
        for (int i = 201; i <= 400; i++) b.append(hashOf(i)).append(",,3\n");
        Path fa = StoreFixture.write(tmp.resolve("a.pdq"), a.toString());
        Path fb = StoreFixture.write(tmp.resolve("b.pdq"), b.toString());
        Path dir = tmp.resolve("rr");
        try (HashStoreAdmin s = RocksHashStore.openWritable(dir)) {
            s.importSet(request(fa, "a"));
            s.importSet(request(fb, "b"));
            assertEquals(500, s.pdqCount());
            List<NearMatch> both = s.nearMatches(PdqHash.parse(hashOf(250)), 0);
            assertEquals(Set.of("a", "b"), Set.of(both.get(0).match().set(), both.get(1).match().set()));
            s.remove("a");
            assertEquals(200, s.pdqCount());
            assertEquals(200, s.pdqKeys(), "a's records purged");
            assertTrue(s.nearMatches(PdqHash.parse(hashOf(100)), 0).isEmpty());
            NearMatch left = s.nearMatches(PdqHash.parse(hashOf(250)), 0).get(0);
            assertEquals("b", left.match().set());
            assertEquals("3", left.match().category());
            assertEquals(-1, left.quality());
            s.importSet(new ImportRequest(fa, "b", SetKind.ALERT, ImportFormat.PDQ, null, true, "test", true));
            assertEquals(300, s.pdqCount());
            assertTrue(s.nearMatches(PdqHash.parse(hashOf(350)), 0).isEmpty(), "replaced set's hashes gone");
            assertEquals(80, s.nearMatches(PdqHash.parse(hashOf(100)), 0).get(0).quality());
        }
        try (RocksHashStore s = RocksHashStore.openReadOnly(dir)) {
            assertEquals(300, s.pdqCount());
            assertEquals(1, s.nearMatches(PdqHash.parse(hashOf(300)), 0).size());
        }
    }

    @Test
    void digestSetsAndPdqSetsLiveSideBySide() throws Exception {
        Path dir = tmp.resolve("mixed");
        Path plain = StoreFixture.write(tmp.resolve("md5.txt"), "d41d8cd98f00b204e9800998ecf8427f,1\n0123456789abcdef0123456789abcdef,2\n");
        Path pdq = StoreFixture.write(tmp.resolve("p.pdq"), hashOf(5) + ",100,1\n");
        try (HashStoreAdmin s = RocksHashStore.openWritable(dir)) {
            s.importSet(new ImportRequest(plain, "md5", SetKind.ALERT, ImportFormat.PLAIN, null, false, "test", true, true, null));
            s.importSet(request(pdq, "pdq"));
        }
        try (RocksHashStore s = RocksHashStore.openReadOnly(dir)) {
            assertEquals(1, s.pdqCount());
            assertEquals(1, s.lookup(org.triage.model.Algorithm.MD5, StoreFixture.unhex("0123456789abcdef0123456789abcdef")).size());
            assertEquals(1, s.nearMatches(PdqHash.parse(hashOf(5)), 31).size());
        }
    }

    @Test
    void vicsMediaGiveTheirPdqFromAlternativeHashes() throws Exception {
        String json = """
                {"odata.metadata": "http://github.com/VICSDATAMODEL/ProjectVic/DataModels/2.0.xml/CUSTOM/$metadata#Media",
                 "value": [
                  {"MediaID": 1, "Category": 1, "MD5": "0123456789abcdef0123456789abcdef",
                   "AlternativeHashes": [{"HashName": "PDQ", "HashValue": "%s"}]},
                  {"MediaID": 2, "Category": 2,
                   "AlternativeHashes": [{"HashName": "pdq", "HashValue": "%s"}]}
                 ]}
                """.formatted(hashOf(11), hashOf(12).toUpperCase(java.util.Locale.ROOT));
        Path file = StoreFixture.write(tmp.resolve("v.json"), json);
        Path dir = tmp.resolve("vics");
        try (HashStoreAdmin s = RocksHashStore.openWritable(dir)) {
            s.importSet(new ImportRequest(file, "v", SetKind.ALERT, ImportFormat.VICS, null, false, "test"));
        }
        try (RocksHashStore s = RocksHashStore.openReadOnly(dir)) {
            assertEquals(2, s.pdqCount());
            assertEquals(2, s.sets().get(0).pdq());
            NearMatch m = s.nearMatches(PdqHash.parse(hashOf(12)), 0).get(0);
            assertEquals("2", m.match().category());
            assertEquals(-1, m.quality());
            assertEquals(1, s.lookup(org.triage.model.Algorithm.MD5, StoreFixture.unhex("0123456789abcdef0123456789abcdef")).size());
        }
        Path bad = StoreFixture.write(tmp.resolve("bad.json"), json.replace(hashOf(11), "abc"));
        try (HashStoreAdmin s = RocksHashStore.openWritable(tmp.resolve("vics-bad"))) {
            ImportException e = assertThrows(ImportException.class,
                    () -> s.importSet(new ImportRequest(bad, "v", SetKind.ALERT, ImportFormat.VICS, null, false, "test")));
            assertTrue(e.getMessage().contains("$.value[0].AlternativeHashes[PDQ]"), e.getMessage());
        }
    }

    @Test
    void tsvExportListsAPdqSetsHashesInOrder() throws Exception {
        Path file = StoreFixture.write(tmp.resolve("e.pdq"), hashOf(9) + ",70,1\n" + hashOf(3) + "\n");
        Path dir = tmp.resolve("export");
        try (HashStoreAdmin s = RocksHashStore.openWritable(dir)) {
            s.importSet(request(file, "e"));
        }
        try (RocksHashStore s = RocksHashStore.openReadOnly(dir)) {
            assertEquals("e\talert\tpdq\t" + hashOf(3) + "\t\n" + "e\talert\tpdq\t" + hashOf(9) + "\t1\n",
                    StoreFixture.export(s, "e"));
        }
    }
}
