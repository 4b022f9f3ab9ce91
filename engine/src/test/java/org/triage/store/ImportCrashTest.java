package org.triage.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.triage.store.StoreFixture.export;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.triage.model.Algorithm;
import org.triage.model.HashSetInfo;
import org.triage.model.Match;
import org.triage.model.SetKind;

/**
 * An import killed with SIGKILL at each moment (parsing, writing SST files, just before and just
 * after the ingest call), and one that fills the disk, leave the store as it was and usable: the
 * same sets and export, none of the killed import's digests visible, and a later import works.
 */
class ImportCrashTest {
    private static final int LINES = 1_500_000;
    @TempDir
    static Path shared;
    static Path big;
    static String firstDigest;

    @BeforeAll
    static void bigList() throws IOException {
        big = shared.resolve("big.txt");
        SplittableRandom rnd = new SplittableRandom(7);
        HexFormat hex = HexFormat.of();
        byte[] d = new byte[16];
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(big), 1 << 16)) {
            for (int i = 0; i < LINES; i++) {
                for (int j = 0; j < 16; j += 8) {
                    long v = rnd.nextLong();
                    for (int k = 0; k < 8; k++) d[j + k] = (byte) (v >>> (8 * k));
                }
                String line = hex.formatHex(d);
                if (i == 0) firstDigest = line;
                out.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
            }
        }
    }

    @TempDir
    Path tmp;

    private Path baseStore() throws Exception {
        Path store = tmp.resolve("store");
        try (HashStoreAdmin s = RocksHashStore.openWritable(store)) {
            s.importSet(FormatImportTest.request(FormatImportTest.resource(tmp, "vics-2.0.json"), "base", null));
        }
        return store;
    }

    /** A child JVM importing the big list into {@code store}, held at {@code stopAt} when not empty. */
    private static Process startChild(Path store, String stopAt) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-cp", org.triage.ChildJvm.classPath(),
                ImportChild.class.getName(), store.toString(), big.toString(), stopAt);
        pb.environment().put("MALLOC_ARENA_MAX", "2");
        pb.redirectErrorStream(true);
        return pb.start();
    }

    /** Waits for the child to announce {@code phase}, waits {@code delayMs}, sends SIGKILL; returns its output. */
    private static String killAt(Process child, String phase, int delayMs, boolean mustBeAlive) throws Exception {
        return killAt(child, phase, null, null, delayMs, mustBeAlive);
    }

    /**
     * Waits for the child to announce {@code phase} and then, when {@code inside} is given, for a file
     * named so in the import's temporary directory under {@code store} (proof that the phase's work is
     * under way, not merely announced), then sends SIGKILL; returns the child's output.
     */
    private static String killAt(Process child, String phase, Path store, String inside, int delayMs, boolean mustBeAlive)
            throws Exception {
        StringBuilder seen = new StringBuilder();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                seen.append(line).append('\n');
                if (line.equals("AT " + phase)) break;
            }
            assertTrue(seen.toString().contains("AT " + phase), "child never reached " + phase + ": " + seen);
            if (inside != null) awaitTempFile(store, inside, child);
            if (delayMs > 0) Thread.sleep(delayMs);
            if (mustBeAlive) assertTrue(child.isAlive(), "child finished before it could be killed; output: " + seen);
            new ProcessBuilder("kill", "-9", Long.toString(child.pid())).start().waitFor();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        } finally {
            child.destroyForcibly();
        }
        return seen.toString();
    }

    /** Polls (bounded) until a file whose name matches {@code pattern} is in an import temp directory of {@code store}. */
    private static void awaitTempFile(Path store, String pattern, Process child) throws Exception {
        java.util.regex.Pattern name = java.util.regex.Pattern.compile(pattern);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (System.nanoTime() < deadline) {
            try (Stream<Path> files = Files.walk(store, 2)) {
                if (files.anyMatch(p -> p.getParent().getFileName().toString().startsWith(DigestIngester.TEMP_PREFIX)
                        && name.matcher(p.getFileName().toString()).matches())) {
                    return;
                }
            } catch (java.io.UncheckedIOException | java.nio.file.NoSuchFileException e) {
                // a spill or temp file vanished while listed: look again
            }
            assertTrue(child.isAlive(), "child ended before a temp file " + pattern + " appeared");
            Thread.sleep(5); // a poll interval, not a guess at how long the import takes
        }
        throw new AssertionError("no temp file " + pattern + " under " + store + " within 2 minutes");
    }

    /**
     * Each kill lands at a known moment, whatever the machine's speed: the child is held at the hook
     * of the phase after the one under test, so it cannot run on to the commit before the kill; for
     * parse and write the kill waits until that phase's files exist (a spill bucket, an SST file), so
     * it lands while the phase works or at the latest at the next phase's hold, never before the work
     * began.
     */
    @ParameterizedTest(name = "killed {0}")
    @CsvSource({"parse, md5-\\d+, write", "write, md5-\\d+\\.sst, ingest", "ingest,, ingest", "commit,, commit"})
    void killDashNineLeavesTheStoreAsItWas(String phase, String inside, String stopAt) throws Exception {
        Path store = baseStore();
        Contents before = Contents.read(store);
        Process child = startChild(store, stopAt);
        String seen = killAt(child, phase, store, inside, 0, true);
        assertEquals(137, child.exitValue(), seen);

        byte[] probe = HexFormat.of().parseHex(firstDigest);
        try (RocksHashStore r = RocksHashStore.openReadOnly(store)) {
            assertEquals(before.sets(), r.sets());
            assertEquals(before.listing(), export(r, null));
            assertEquals(List.of(), r.lookup(Algorithm.MD5, probe));
        }
        try (HashStoreAdmin w = RocksHashStore.openWritable(store)) {
            assertEquals(before.sets(), w.sets());
            assertEquals(before.listing(), export(w, null));
            assertEquals(4, w.countKeys(Algorithm.MD5), "the dead import's records are purged on the writable open");
            try (Stream<Path> files = Files.list(store)) {
                assertFalse(files.anyMatch(p -> p.getFileName().toString().startsWith(DigestIngester.TEMP_PREFIX)));
            }
            Path small = StoreFixture.write(tmp.resolve("small.txt"), firstDigest + ",A\n");
            w.importSet(FormatImportTest.request(small, "after", null));
            assertEquals(List.of(new Match("after", SetKind.ALERT, "A")), w.lookup(Algorithm.MD5, probe));
        }
    }

    /**
     * SIGKILL while the ingest call itself runs: the child is not held at a hook but killed a few
     * milliseconds after it announces the ingest, so the kill lands inside the call, just after it,
     * or (on a fast run) after the commit. Whichever it is, the store must hold either exactly what it
     * held before or the whole new set: never part of it.
     */
    @ParameterizedTest(name = "killed {0} ms into the ingest call")
    @CsvSource({"0", "1", "2", "4", "8"})
    void killDuringTheIngestCallIsAllOrNothing(int delayMs) throws Exception {
        Path store = baseStore();
        Contents before = Contents.read(store);
        killAt(startChild(store, ""), "ingest", delayMs, false);
        byte[] probe = HexFormat.of().parseHex(firstDigest);
        try (HashStoreAdmin w = RocksHashStore.openWritable(store)) {
            List<HashSetInfo> sets = w.sets();
            if (sets.equals(before.sets())) {
                assertEquals(before.listing(), export(w, null), "not committed: nothing of it may show");
                assertEquals(List.of(), w.lookup(Algorithm.MD5, probe));
                assertEquals(4, w.countKeys(Algorithm.MD5), "the dead import's records are purged");
            } else {
                HashSetInfo added = sets.stream().filter(i -> i.name().equals("big")).findFirst().orElseThrow();
                assertEquals(before.sets().size() + 1, sets.size(), "committed: exactly one new set");
                assertEquals(LINES, added.entries(), "committed: the whole set");
                assertEquals(List.of(new Match("big", SetKind.ALERT, null)), w.lookup(Algorithm.MD5, probe));
            }
        }
    }

    /**
     * 1.5 M lines outgrow the in-memory buckets, so the disk fills while spilling (parsing); 300 k
     * lines stay in memory, so it fills while the SST files are written.
     */
    @ParameterizedTest(name = "{0} lines")
    @CsvSource({"1500000", "300000"})
    void aFullDiskFailsTheImportAndLeavesTheStoreUsable(int lines) throws Exception {
        Assumptions.assumeTrue("0".equals(StoreFixture.run(tmp, "id", "-u").trim()), "mounting a small tmpfs needs root");
        Path mount = Files.createDirectory(tmp.resolve("small-disk"));
        Process m = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", mount.toString()).start();
        Assumptions.assumeTrue(m.waitFor() == 0, "cannot mount a tmpfs here");
        try {
            Path store = mount.resolve("store");
            try (HashStoreAdmin s = RocksHashStore.openWritable(store)) {
                s.importSet(FormatImportTest.request(FormatImportTest.resource(tmp, "vics-2.0.json"), "base", null));
            }
            Contents before;
            try (HashStoreAdmin s = RocksHashStore.openWritable(store)) {
                before = Contents.of(s);
                Path list = big;
                if (lines < LINES) {
                    list = tmp.resolve("part.txt");
                    try (Stream<String> all = Files.lines(big)) {
                        Files.write(list, (Iterable<String>) all.limit(lines)::iterator);
                    }
                }
                Path input = list;
                IOException e = assertThrows(IOException.class, () -> s.importSet(FormatImportTest.request(input, "big", null)));
                assertTrue(e.getMessage().toLowerCase().contains("space"), e.getMessage());
                assertEquals(before.sets(), s.sets());
            }
            try (HashStoreAdmin s = RocksHashStore.openWritable(store)) {
                assertEquals(before.sets(), s.sets());
                assertEquals(before.listing(), export(s, null));
                Path small = StoreFixture.write(tmp.resolve("small.txt"), firstDigest + "\n");
                s.importSet(FormatImportTest.request(small, "after", null));
                assertEquals(List.of(new Match("after", SetKind.ALERT, null)),
                        s.lookup(Algorithm.MD5, HexFormat.of().parseHex(firstDigest)));
            }
        } finally {
            new ProcessBuilder("umount", mount.toString()).start().waitFor();
        }
    }

    /** What a store holds, as the sets list and the full export: compared before and after a kill. */
    private record Contents(List<HashSetInfo> sets, String listing) {
        static Contents of(StoreHandle s) throws IOException {
            return new Contents(s.sets(), StoreFixture.export(s, null));
        }

        static Contents read(Path store) throws IOException {
            try (RocksHashStore r = RocksHashStore.openReadOnly(store)) {
                return of(r);
            }
        }
    }
}
