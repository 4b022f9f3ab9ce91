package org.triage.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.triage.hash.ChunkDigest;
import org.triage.model.Algorithm;
import org.triage.model.EntryType;
import org.triage.model.FileRecord;
import org.triage.model.HashSetInfo;
import org.triage.model.Match;
import org.triage.model.RecordListener;
import org.triage.model.SourceStats;
import org.triage.source.ContentReader;
import org.triage.source.DirectorySource;
import org.triage.source.EntryVisitor;
import org.triage.source.Source;
import org.triage.source.SourceEntry;
import org.triage.store.HashStore;
import org.triage.store.RocksHashStore;

/**
 * Issue 10, item 5: faults injected at chosen moments into every part a scan calls out to: the
 * digest (update or finish throws), the content reader (open, read after the first chunk or close
 * throws an IOException, a RuntimeException or an Error such as JNA's "Invalid memory access"),
 * the hash store (a lookup throws) and the record listener (it throws on chosen records, at the
 * start and end of the item and at batch ends). Whatever fails, every entry is recorded exactly
 * once, a failed one with its error and no digest (one whose reader failed only to close: its
 * error and md5sum's digest), a good one with md5sum's digest; the scan
 * ends; every buffer goes back to the pool (the pool unmaps only then).
 *
 * <p>Faults are chosen by file name (reader, store, listener) or by the first bytes of the content
 * (digest: the digest sees only bytes). The digests go through the pipeline's package-private
 * digest factory, the only test seam; the source, the store and the listener are public interfaces.
 */
class FaultInjectionTest {
    private static final int CHUNK = 64 * 1024;
    private static final byte[] BOOM_UPDATE = "BOOM-UPDATE".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BOOM_FINISH = "BOOM-FINISH".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    static Path dir;
    static Path tree;
    static Path db;
    /** md5sum's digest of every file, by name (the tree is flat). */
    static Map<String, String> md5;

    /** An Error of our own, so that nothing mistakes it for a failed assertion. */
    static final class InjectedError extends Error {
        InjectedError(String message) { super(message); }
    }

    @BeforeAll
    static void buildTree() throws Exception {
        tree = Files.createDirectories(dir.resolve("evidence"));
        Random rnd = new Random(10);
        for (int i = 0; i < 150; i++) write("ok-" + i, rnd, 1 + rnd.nextInt(3 * CHUNK));
        for (String fault : List.of("open-io", "open-rt", "open-err", "read-io", "read-rt", "read-err", "close-rt",
                "close-err", "lookup-rt", "lookup-err", "listener-rt", "listener-err")) {
            for (int i = 0; i < 4; i++) write(fault + "-" + i, rnd, 3 * CHUNK + rnd.nextInt(CHUNK));
        }
        // Many of these: a wrong order in the hasher shows only when the recorder gets there first.
        for (int i = 0; i < 40; i++) writeMarked("digest-finish-" + i, BOOM_FINISH, rnd, 1 + rnd.nextInt(2 * CHUNK));
        for (int i = 0; i < 10; i++) writeMarked("digest-update-" + i, BOOM_UPDATE, rnd, 1 + rnd.nextInt(2 * CHUNK));
        md5 = new TreeMap<>();
        String out = new String(new ProcessBuilder("bash", "-c", "md5sum -- *").directory(tree.toFile())
                .redirectErrorStream(true).start().getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        for (String line : out.split("\n")) md5.put(line.substring(34), line.substring(0, 32));
        assertEquals(150 + 48 + 50, md5.size(), out);
        db = dir.resolve("db");
        RocksHashStore.openWritable(db).close();
    }

    private static void write(String name, Random rnd, int size) throws IOException {
        byte[] b = new byte[size];
        rnd.nextBytes(b);
        b[0] = 'x'; // never a marker by chance
        Files.write(tree.resolve(name), b);
    }

    private static void writeMarked(String name, byte[] marker, Random rnd, int size) throws IOException {
        byte[] b = new byte[marker.length + size];
        rnd.nextBytes(b);
        System.arraycopy(marker, 0, b, 0, marker.length);
        Files.write(tree.resolve(name), b);
    }

    private static boolean starts(Pointer data, int len, byte[] marker) {
        return len >= marker.length && Arrays.equals(data.getByteArray(0, marker.length), marker);
    }

    /** MD5 that fails on the marked files: in update, or later in finish; SHA-1 stays honest. */
    static final class FaultyDigest implements ChunkDigest {
        private final ChunkDigest real;
        private boolean failAtFinish;
        private boolean first = true;

        FaultyDigest(ChunkDigest real) { this.real = real; }

        static Function<Algorithm, ChunkDigest> factory() {
            return a -> a == Algorithm.MD5 ? new FaultyDigest(ChunkDigest.of(a)) : ChunkDigest.of(a);
        }

        @Override
        public Algorithm algorithm() { return real.algorithm(); }

        @Override
        public void update(Pointer data, int len) {
            if (first && starts(data, len, BOOM_UPDATE)) throw new IllegalStateException("injected: digest update failed");
            if (first && starts(data, len, BOOM_FINISH)) failAtFinish = true;
            first = false;
            real.update(data, len);
        }

        @Override
        public byte[] finish() {
            first = true;
            if (failAtFinish) {
                failAtFinish = false;
                real.reset();
                throw new IllegalStateException("injected: digest finish failed");
            }
            return real.finish();
        }

        @Override
        public void reset() {
            first = true;
            failAtFinish = false;
            real.reset();
        }
    }

    /** A real directory tree whose content readers fail on the named files. */
    static final class FaultySource implements Source {
        private final DirectorySource real;
        private final Set<String> faults;

        FaultySource(DirectorySource real, Set<String> faults) {
            this.real = real;
            this.faults = faults;
        }

        @Override
        public String name() { return real.name(); }

        @Override
        public void walk(EntryVisitor visitor) throws IOException { real.walk(visitor); }

        @Override
        public ContentReader open(SourceEntry entry) throws IOException {
            String name = entry.path().display();
            if (!faults.contains(family(name))) return real.open(entry);
            if (name.startsWith("open-io")) throw new IOException("injected: cannot open " + name);
            if (name.startsWith("open-rt")) throw new IllegalStateException("injected: open failed on " + name);
            if (name.startsWith("open-err")) throw new InjectedError("injected: Invalid memory access opening " + name);
            ContentReader in = real.open(entry);
            return new ContentReader() {
                long offset;

                @Override
                public int read(byte[] buf, int off, int len) throws IOException {
                    throw new UnsupportedOperationException("the scan reads into native memory");
                }

                @Override
                public int read(Pointer dst, int len) throws IOException {
                    if (offset >= CHUNK) {
                        if (name.startsWith("read-io")) throw new IOException("injected: I/O error at " + offset);
                        if (name.startsWith("read-rt")) throw new IllegalStateException("injected: read failed at " + offset);
                        if (name.startsWith("read-err")) throw new InjectedError("injected: Invalid memory access at " + offset);
                    }
                    int n = in.read(dst, len);
                    if (n > 0) offset += n;
                    return n;
                }

                @Override
                public void close() {
                    in.close();
                    if (name.startsWith("close-rt")) throw new IllegalStateException("injected: close failed");
                    if (name.startsWith("close-err")) throw new InjectedError("injected: close failed badly");
                }
            };
        }

        @Override
        public void close() { real.close(); }
    }

    /** The real store, except that looking up the MD5 of the named files fails. */
    static final class FaultyStore implements HashStore {
        private final HashStore real;
        private final Map<String, String> failing = new HashMap<>();

        FaultyStore(HashStore real, Set<String> faults) {
            this.real = real;
            md5.forEach((name, hex) -> {
                if (faults.contains(family(name)) && name.startsWith("lookup-")) failing.put(hex, name);
            });
        }

        @Override
        public Set<Algorithm> algorithms() { return real.algorithms(); }

        @Override
        public List<HashSetInfo> sets() { return real.sets(); }

        @Override
        public List<Match> lookup(Algorithm algorithm, byte[] digest) {
            String name = algorithm == Algorithm.MD5 ? failing.get(HexFormat.of().formatHex(digest)) : null;
            if (name != null && name.startsWith("lookup-rt")) throw new IllegalStateException("injected: store failed");
            if (name != null && name.startsWith("lookup-err")) throw new InjectedError("injected: store failed badly");
            return real.lookup(algorithm, digest);
        }

        @Override
        public void close() { real.close(); }
    }

    /** Keeps every record, then throws on the named files, at the item's start and end, and at some batch ends. */
    static final class FaultyListener implements RecordListener {
        final List<FileRecord> records = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger batches = new AtomicInteger();
        volatile SourceStats ended;
        private final Set<String> faults;

        FaultyListener(Set<String> faults) { this.faults = faults; }

        @Override
        public void onRecord(FileRecord r) {
            records.add(r);
            String name = r.path().display();
            if (!faults.contains(family(name))) return;
            if (name.startsWith("listener-rt")) throw new IllegalStateException("injected: listener failed");
            if (name.startsWith("listener-err")) throw new InjectedError("injected: listener failed badly");
        }

        @Override
        public void onBatchEnd() {
            if (!faults.contains("listener-rt")) return;
            int n = batches.incrementAndGet();
            if (n % 3 == 0) throw new IllegalStateException("injected: flush failed");
            if (n % 3 == 1) throw new InjectedError("injected: flush failed badly");
        }

        @Override
        public void onSourceStart(String source) {
            if (faults.contains("listener-err")) throw new InjectedError("injected: start failed");
        }

        @Override
        public void onSourceEnd(SourceStats stats) {
            ended = stats;
            if (faults.contains("listener-err")) throw new InjectedError("injected: end failed");
        }
    }

    private static String family(String name) {
        return name.substring(0, name.lastIndexOf('-'));
    }

    private static final Set<String> ALL = Set.of("open-io", "open-rt", "open-err", "read-io", "read-rt", "read-err",
            "close-rt", "close-err", "lookup-rt", "lookup-err", "listener-rt", "listener-err", "digest-finish", "digest-update");

    /** Every fault at once, on several shapes of pipeline. */
    @ParameterizedTest(name = "hashers={0} lookups={1} readers={2}")
    @CsvSource({"1,0,1", "2,0,1", "3,0,2", "2,1,1", "2,2,2"})
    void everyEntryIsRecordedOnceWithItsErrorWhateverFails(int hashers, int lookups, int readers) throws Exception {
        scanAndCheck(hashers, lookups, readers, ALL);
    }

    /**
     * A hasher whose digest throws: the stage used to publish its progress (in a finally) before
     * the failure was put on the file, so the recorder could write the file with no digest and no error.
     */
    @ParameterizedTest(name = "hashers={0} lookups={1}")
    @CsvSource({"1,0", "2,0", "2,1"})
    void aDigestThatThrowsLeavesItsErrorOnTheRecord(int hashers, int lookups) throws Exception {
        // Whether the recorder gets there first is up to the scheduler: five scans give it many chances.
        for (int i = 0; i < 5; i++) scanAndCheck(hashers, lookups, 1, Set.of("digest-finish", "digest-update"));
    }

    /** The recorder failing on a file (here in its inline lookup) used to clear the slot first: the file vanished. */
    @ParameterizedTest(name = "hashers={0}")
    @CsvSource({"1", "2"})
    void aRecorderFailureStillRecordsTheFileWithItsError(int hashers) throws Exception {
        scanAndCheck(hashers, 0, 1, Set.of("lookup-rt", "lookup-err"));
    }

    /** A content reader that throws an Error (as JNA does on a bad pointer) fails that file, not the reader thread. */
    @ParameterizedTest(name = "readers={0}")
    @CsvSource({"1", "2"})
    void aContentReaderThatThrowsFailsOnlyItsFile(int readers) throws Exception {
        scanAndCheck(2, 0, readers, Set.of("open-io", "open-rt", "open-err", "read-io", "read-rt", "read-err", "close-rt",
                "close-err"));
    }

    /** A listener that throws, even an Error, loses nothing: every record is still offered once. */
    @ParameterizedTest(name = "lookups={0}")
    @CsvSource({"0", "1"})
    void aListenerThatThrowsLosesNothing(int lookups) throws Exception {
        scanAndCheck(2, lookups, 1, Set.of("listener-rt", "listener-err"));
    }

    private static void scanAndCheck(int hashers, int lookups, int readers, Set<String> faults) throws Exception {
        PipelineSettings settings = PipelineSettings.defaults().withHashThreads(hashers).withReaders(readers)
                .withChunk(CHUNK, 8);
        PipelineSettings chosen = new PipelineSettings(settings.hashThreads(), lookups, settings.readers(), 64,
                settings.chunkSize(), settings.buffers(), 16, settings.lanes(), settings.stride());
        FaultyListener listener = new FaultyListener(faults);
        Function<Algorithm, ChunkDigest> digests = faults.contains("digest-finish") || faults.contains("digest-update")
                ? FaultyDigest.factory() : ChunkDigest::of;
        int mappedBefore = BufferPool.mapped();
        // The bound only turns a hang into a failure: nothing here depends on how long the scan takes.
        SourceStats stats = assertTimeoutPreemptively(Duration.ofMinutes(2), () -> {
            try (HashStore store = new FaultyStore(RocksHashStore.openReadOnly(db), faults);
                 Source source = new FaultySource(DirectorySource.open(tree.toString()), faults);
                 ScanPipeline pipeline = new ScanPipeline(chosen, List.of(Algorithm.MD5, Algorithm.SHA1), store, listener,
                         new ProgressCounters(), digests)) {
                return pipeline.scan(tree.toString(), source);
            }
        });
        assertEquals(mappedBefore, BufferPool.mapped(), "a buffer was never given back, so the pool stayed mapped");
        assertNotNull(listener.ended, "the end of the item reached the listener");
        assertNull(stats.error(), "the item itself was read: " + stats.error());

        Map<String, FileRecord> byName = new HashMap<>();
        for (FileRecord r : listener.records) {
            assertNull(byName.put(r.path().display(), r), "recorded twice: " + r.path().display());
        }
        assertEquals(md5.keySet(), byName.keySet(), "every file recorded");
        for (Map.Entry<String, String> e : md5.entrySet()) {
            String name = e.getKey();
            FileRecord r = byName.get(name);
            assertEquals(EntryType.FILE, r.type());
            boolean faulty = faults.contains(family(name)) && !name.startsWith("listener-");
            if (faulty && name.startsWith("close-")) {
                // Read to the end, then the close failed: the digests stand (a match must not be lost),
                // and the error says what went wrong, so the file still counts as not cleanly read.
                assertNotNull(r.error(), name);
                assertTrue(r.error().contains("injected"), name + ": " + r.error());
                assertEquals(e.getValue(), r.digests().hex(Algorithm.MD5), name);
            } else if (faulty) {
                assertNotNull(r.error(), name + " failed, yet its record has no error: md5 " + r.digests().hex(Algorithm.MD5));
                assertTrue(r.error().contains("injected"), name + ": " + r.error());
                assertNull(r.digests().md5(), name + " failed, yet has a digest");
                assertNull(r.digests().sha1(), name + " failed, yet has a digest");
            } else {
                assertNull(r.error(), name + ": " + r.error());
                assertEquals(e.getValue(), r.digests().hex(Algorithm.MD5), name);
                assertNotNull(r.digests().sha1(), name);
            }
        }
    }
}
