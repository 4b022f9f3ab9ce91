package org.triage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.triage.model.Algorithm;
import org.triage.model.ContentChange;
import org.triage.model.Digests;
import org.triage.model.FileRecord;
import org.triage.model.RawPath;
import org.triage.model.RecordListener;
import org.triage.model.ScanResult;
import org.triage.model.SetKind;
import org.triage.pipeline.PipelineSettings;
import org.triage.store.HashStore;
import org.triage.store.HashStoreAdmin;
import org.triage.store.RocksHashStore;

/**
 * Live evidence: a file that changes while the scan reads it, and progress counted while a big file
 * is read. Both are made deterministic by the ring's back-pressure, not by a clock: the record
 * listener is called on the recording thread, and while it holds that thread no pooled buffer
 * comes back, so the reader stops within one pool's worth of the file it is reading. A listener
 * that acts on the small file's record therefore acts while the big file is open and mostly unread.
 */
class LiveEvidenceTest {
    private static final int CHUNK = 64 << 10;
    private static final long BIG = 64L << 20;
    /** Small pool and stride: the reader is at most a few MiB into the big file when it blocks. */
    private static final PipelineSettings SETTINGS = PipelineSettings.defaults().withChunk(CHUNK, 16)
            .withLanes(2, 4 * CHUNK);

    @TempDir
    Path tmp;
    Path evidence;
    Path db;

    @BeforeEach
    void store() throws Exception {
        evidence = Files.createDirectories(tmp.resolve("evidence"));
        db = tmp.resolve("db");
        Path list = Files.writeString(tmp.resolve("list.txt"), "0123456789abcdef0123456789abcdef\n");
        try (HashStoreAdmin w = RocksHashStore.openWritable(db)) {
            w.importHashList(list, "x", SetKind.ALERT, null, false);
        }
    }

    private Path sparse(String name, long size) throws IOException {
        Path p = evidence.resolve(name);
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(size);
        }
        return p;
    }

    /** {@code stat}'s size and mtime (nanoseconds), the independent oracle for the recorded states. */
    private static String[] stat(Path p) throws Exception {
        return new String(Oracle.run(p.getParent(), "stat", "-c", "%s %.9Y", "--", p.getFileName().toString()),
                StandardCharsets.US_ASCII).trim().split(" ");
    }

    private static Instant instant(String secondsDotNanos) {
        String[] s = secondsDotNanos.split("\\.");
        return Instant.ofEpochSecond(Long.parseLong(s[0]), Long.parseLong(s[1]));
    }

    private ScanResult scan(RecordListener listener, AtomicReference<Scan> running) throws Exception {
        try (HashStore store = Triage.openStore(db)) {
            ScanConfig cfg = ScanConfig.builder().source(evidence.toString()).settings(SETTINGS)
                    .algorithms(EnumSet.of(Algorithm.MD5)).listener(listener).build();
            try (Scan scan = Triage.newScan(cfg, store)) {
                running.set(scan);
                return scan.run();
            }
        }
    }

    /**
     * Item 8: the big file is truncated to half, or has 1 MiB appended, while the reader is inside
     * it. It must come out unreadable, with no digest, and with both states as stat saw them.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"truncated", "appended"})
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void aFileThatChangesWhileItIsReadIsUnreadableWithBothStates(String how) throws Exception {
        Path small = Files.writeString(evidence.resolve("a"), "a");
        Path big = sparse("big", BIG);
        String[] before = stat(big);
        String smallMd5 = new String(Oracle.run(evidence, "md5sum", "a"), StandardCharsets.US_ASCII).split(" ")[0];
        Map<RawPath, FileRecord> records = new java.util.concurrent.ConcurrentHashMap<>();
        AtomicReference<Scan> running = new AtomicReference<>();
        RecordListener changeBigOnSmall = new RecordListener() {
            @Override
            public void onRecord(FileRecord r) {
                records.put(r.path(), r);
                if (!r.path().equals(RawPath.of("a"))) return;
                // "a" may be walked first and recorded before big is even opened (under load it is):
                // wait, on the count and not on a clock, until the reader has read into big.
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (running.get().progress().bytes() <= 1 && System.nanoTime() < deadline) {
                    java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
                }
                try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
                    f.setLength(how.equals("truncated") ? BIG / 2 : BIG + (1 << 20));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
        ScanResult result = scan(changeBigOnSmall, running);
        String[] after = stat(big);

        FileRecord b = records.get(RawPath.of("big"));
        assertNotNull(b, records.toString());
        assertNotNull(b.error(), "a changed file is unreadable: " + b);
        assertTrue(b.error().contains("changed while it was read"), b.error());
        assertEquals(Digests.NONE, b.digests(), "no digest of a state that never existed");
        ContentChange c = b.changedDuringRead();
        assertNotNull(c, b.toString());
        assertEquals(Long.parseLong(before[0]), c.sizeBefore());
        assertEquals(instant(before[1]), c.mtimeBefore());
        assertEquals(Long.parseLong(after[0]), c.sizeAfter());
        assertEquals(instant(after[1]), c.mtimeAfter());
        assertEquals(1, result.evidence().get(0).unreadable(), result.toString());
        // The file that did not change is recorded as usual, its digest md5sum's.
        FileRecord a = records.get(RawPath.of("a"));
        assertNull(a.error());
        assertNull(a.changedDuringRead());
        assertEquals(smallMd5, a.digests().hex(Algorithm.MD5));
        assertEquals(smallMd5, new String(Oracle.run(evidence, "md5sum", "a"), StandardCharsets.US_ASCII).split(" ")[0],
                "evidence unchanged: " + small);
    }

    /** A file that does not change is not flagged, however long it is (the check has no false alarm). */
    @Test
    void anUnchangedBigFileIsNotFlagged() throws Exception {
        Files.writeString(evidence.resolve("a"), "a");
        sparse("big", BIG);
        Map<RawPath, FileRecord> records = new java.util.concurrent.ConcurrentHashMap<>();
        scan(r -> records.put(r.path(), r), new AtomicReference<>());
        FileRecord b = records.get(RawPath.of("big"));
        assertNull(b.error());
        assertNull(b.changedDuringRead());
        assertEquals(BIG, b.size());
        String md5 = new String(Oracle.run(evidence, "md5sum", "big"), StandardCharsets.US_ASCII).split(" ")[0];
        assertEquals(md5, b.digests().hex(Algorithm.MD5));
    }

    /**
     * Item 11: progress counts bytes as they are read, not when a file completes. While the
     * listener holds the empty file's record, the big file cannot complete (no buffer comes back),
     * yet the reader has read part of it: the count must show that.
     */
    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void progressCountsTheBytesOfAFileStillBeingRead() throws Exception {
        Files.write(evidence.resolve("a"), new byte[0]);
        sparse("big", BIG);
        AtomicReference<Scan> running = new AtomicReference<>();
        AtomicLong seen = new AtomicLong(-1);
        AtomicLong bigRecorded = new AtomicLong();
        AtomicLong bigRecordedFirst = new AtomicLong(-1);
        RecordListener watch = new RecordListener() {
            @Override
            public void onRecord(FileRecord r) {
                if (r.path().equals(RawPath.of("big"))) bigRecorded.incrementAndGet();
                if (!r.path().equals(RawPath.of("a"))) return;
                // Waits on the count, not on a clock: the reader is free to read up to a pool's worth.
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                long bytes;
                while ((bytes = running.get().progress().bytes()) == 0 && System.nanoTime() < deadline) {
                    java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
                }
                seen.set(bytes);
                bigRecordedFirst.set(bigRecorded.get());
            }
        };
        scan(watch, running);
        assertTrue(seen.get() > 0, "progress showed no byte of the file being read: " + seen.get());
        assertEquals(0, bigRecordedFirst.get(), "the big file was not recorded yet");
        assertTrue(seen.get() < BIG, "the big file was not complete yet: " + seen.get());
        assertEquals(BIG, running.get().progress().bytes(), "every byte counted once at the end");
    }
}
