package org.triage.acquire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.triage.Oracle;
import org.triage.PdqMode;
import org.triage.ScanConfig;
import org.triage.Triage;
import org.triage.model.Algorithm;
import org.triage.model.EntryType;
import org.triage.model.FileRecord;
import org.triage.model.RecordListener;
import org.triage.model.ScanResult;
import org.triage.store.HashStore;
import org.triage.store.HashStoreAdmin;
import org.triage.store.RocksHashStore;

/**
 * Triage from the acquisition's stream ({@link StreamTriage}) against {@code triage scan} of the
 * same raw disk ({@link Triage#scan}) and against sleuthkit's fls/icat with md5sum. The disk is a
 * real GPT disk built by make-stream-disk.sh with mtools, e2fsprogs/debugfs and ntfs-3g: FAT32,
 * ext4 and NTFS, deleted files, a ZIP, pictures, and files fragmented on purpose (FAT: later
 * fragments far before the first; ext4: after it). A small sequential reader in this test plays
 * the acquisition: it reads the disk once, front to back, in blocks of a given size.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES) // a deadlock fails the test instead of hanging the build
class StreamTriageTest {
    private static final Pattern FLS = Pattern.compile("^r/r (\\* )?([0-9-]+)(?:\\(realloc\\))?:\\t(.*)$");

    @TempDir
    static Path dir;
    static Path disk;
    static Path flat;
    static Path db;

    @BeforeAll
    static void build() throws Exception {
        try (var in = StreamTriageTest.class.getResourceAsStream("make-stream-disk.sh")) {
            Files.copy(in, dir.resolve("make-stream-disk.sh"));
        }
        Oracle.run(dir, "bash", dir.resolve("make-stream-disk.sh").toString(), dir.toString());
        disk = dir.resolve("disk.img");
        flat = dir.resolve("flat.img");
        db = dir.resolve("db");
        // The store holds one file's digest as an alert, so a match must come out of both routes alike.
        String hello = md5sum("hello stream\n".getBytes(StandardCharsets.UTF_8));
        Path list = dir.resolve("alerts.txt");
        Files.writeString(list, hello + "\n");
        try (HashStoreAdmin w = RocksHashStore.openWritable(db)) {
            w.importHashList(list, "alerts", org.triage.model.SetKind.ALERT, null, false);
        }
    }

    @ParameterizedTest(name = "blocks of {0} bytes")
    @ValueSource(ints = {512, 12_345, 4 << 20})
    void recordsAreThoseOfTheScanOfTheSameDisk(int block) throws Exception {
        String before = sha1(disk);
        List<String> scanned = scan(disk, PdqMode.ON);
        Streamed s = stream(disk, block, StreamTriage.DEFAULT_WINDOW, PdqMode.ON, List.of());
        assertEquals(scanned, s.records, "records from the stream differ from the scan's");
        assertEquals(1, s.result.evidence().size());
        assertTrue(s.result.anyAlert(), "the alert in the store is found from the stream too");
        assertEquals(before, sha1(disk), "evidence unchanged");
        assertTrue(s.stats.metadataBytes() > 0, "the listing reads metadata before the stream: " + s.stats);
    }

    @Test
    void everyRegularFileMatchesIcat() throws Exception {
        Streamed s = stream(disk, 65_536, StreamTriage.DEFAULT_WINDOW, PdqMode.OFF, List.of());
        Map<String, String> oracle = icatMd5(disk);
        Map<String, String> ours = new HashMap<>();
        for (FileRecord r : s.raw) {
            if (r.type() != EntryType.FILE || !r.container().isEmpty() || r.details() == null || r.details().stream() != null
                    || r.digests().md5() == null) continue;
            ours.put(r.details().partition().offset() + ":" + r.path().display(), HexFormat.of().formatHex(r.digests().md5()));
        }
        for (Map.Entry<String, String> e : oracle.entrySet()) {
            assertEquals(e.getValue(), ours.get(e.getKey()), "md5 of " + e.getKey() + " (icat | md5sum)");
        }
        assertTrue(oracle.keySet().stream().anyMatch(k -> k.endsWith("fill/f1")), "the oracle saw the fill files");
    }

    @Test
    void aTinyWindowReadsFragmentsAgainAndStillGivesTheScansRecords() throws Exception {
        List<String> scanned = scan(disk, PdqMode.OFF);
        Streamed s = stream(disk, 4096, 64 * 1024, PdqMode.OFF, List.of());
        assertEquals(scanned, s.records);
        assertTrue(s.stats.filesReread() > 0 && s.stats.fileBytesReread() > 0,
                "fragments behind a 64 KiB window are read again: " + s.stats);
        assertEquals(Math.min(100, s.stats.filesReread()), s.stats.reread().size(), "the first 100 are named");
    }

    @Test
    void aFragmentFarBeforeTheFirstIsReadAgainFromTheSource() throws Exception {
        // FAT big2.bin: its first fragment near the partition's end, the others near its start (make-stream-disk.sh);
        // istat, the oracle, confirms it.
        String runs = new String(Oracle.run(dir, "bash", "-c", "istat -r -o 2048 \"$1\" $(fls -o 2048 \"$1\" | "
                + "awk -F'[ :\\t]+' '$NF==\"big2.bin\"{print $2}')", "bash", disk.toString()), StandardCharsets.US_ASCII);
        Matcher m = Pattern.compile("Starting address: (\\d+)").matcher(runs);
        assertTrue(m.find(), runs);
        long first = Long.parseLong(m.group(1));
        assertTrue(m.find() && Long.parseLong(m.group(1)) < first - 4096, "big2.bin is fragmented backwards: " + runs);
        List<String> scanned = scan(disk, PdqMode.OFF);
        Streamed s = stream(disk, 1 << 20, 1 << 20, PdqMode.OFF, List.of());
        assertEquals(scanned, s.records);
        assertTrue(s.stats.reread().stream().anyMatch(w -> w.contains("partition 4 (fat)") && w.endsWith("'big2.bin'")),
                "the file fragmented backwards is named among those read again: " + s.stats.reread());
    }

    @Test
    void aLargeWindowOnAnUnfragmentedDiskReadsNoFileAgain() throws Exception {
        List<String> scanned = scan(flat, PdqMode.OFF);
        Streamed s = stream(flat, 1 << 20, StreamTriage.DEFAULT_WINDOW, PdqMode.OFF, List.of());
        assertEquals(scanned, s.records);
        assertEquals(0, s.stats.fileBytesReread(), "no file content read twice: " + s.stats);
        assertEquals(0, s.stats.filesReread(), s.stats.toString());
    }

    @Test
    void aLargeWindowHoldsTheFragmentsOfAFragmentedDisk() throws Exception {
        Streamed s = stream(disk, 1 << 20, StreamTriage.DEFAULT_WINDOW, PdqMode.OFF, List.of());
        // A window larger than the disk: fragments before and after the first are all still held.
        assertEquals(0, s.stats.fileBytesReread(), "fragments held in the window: " + s.stats);
    }

    @Test
    void unreadableSectorsMarkTheFilesOverThemAndOnlyThose() throws Exception {
        // hello.txt on the FAT partition: find its sector with the oracle, then announce it unreadable.
        long fat = 2048L * 512;
        String istat = new String(Oracle.run(dir, "bash", "-c", "istat -o 2048 \"$1\" $(fls -o 2048 \"$1\" | "
                + "awk -F'[ :\\t]+' '$NF==\"hello.txt\"{print $2}')", "bash", disk.toString()), StandardCharsets.US_ASCII);
        Matcher m = Pattern.compile("Sectors:\\s+(\\d+)").matcher(istat);
        assertTrue(m.find(), istat);
        long bad = fat + Long.parseLong(m.group(1)) * 512;
        Streamed s = stream(disk, 65_536, StreamTriage.DEFAULT_WINDOW, PdqMode.OFF, List.of(new long[] {bad, 512}));
        FileRecord hello = null;
        int marked = 0;
        for (FileRecord r : s.raw) {
            if (r.error() != null && r.error().contains("could not read")) marked++;
            if (r.details() != null && r.details().partition() != null && r.details().partition().offset() == fat
                    && r.path().display().equals("hello.txt")) hello = r;
        }
        assertNotNull(hello);
        assertNotNull(hello.error(), "the file over the unreadable sector is marked");
        assertTrue(hello.error().contains("offset " + bad), hello.error());
        assertEquals(md5sum(new byte["hello stream\n".length()]), HexFormat.of().formatHex(hello.digests().md5()),
                "its digest is of the zeros the image holds there");
        assertEquals(1, marked, "only that file is marked");
    }

    @Test
    void aStoppedAcquisitionStopsTheTriageAndSaysSo() throws Exception {
        try (HashStore store = Triage.openStore(db)) {
            List<FileRecord> got = Collections.synchronizedList(new ArrayList<>());
            StreamTriage t = StreamTriage.open(disk, config(disk, PdqMode.OFF, got::add), store, 64 * 1024);
            try (FileChannel in = FileChannel.open(disk, StandardOpenOption.READ)) {
                ByteBuffer b = ByteBuffer.allocateDirect(1 << 20);
                in.read(b, 0);
                b.flip();
                t.accept(0, b.asReadOnlyBuffer());
            }
            t.finish(false);
            ScanResult r = t.result();
            assertTrue(r.interrupted(), "the result says the triage did not finish");
        }
    }

    @Test
    void aGapInTheStreamIsRefusedNamingBothOffsets() throws Exception {
        try (HashStore store = Triage.openStore(db);
             StreamTriage t = StreamTriage.open(disk, config(disk, PdqMode.OFF, r -> { }), store, 1 << 20)) {
            t.accept(0, ByteBuffer.allocate(512));
            IOException e = assertThrows(IOException.class, () -> t.accept(4096, ByteBuffer.allocate(512)));
            assertTrue(e.getMessage().contains("4096") && e.getMessage().contains("512"), e.getMessage());
            t.finish(false);
            t.result();
        }
    }

    @Test
    void aSourceThatIsNotTheConfigsItemIsRefused() throws Exception {
        try (HashStore store = Triage.openStore(db)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> StreamTriage.open(flat, config(disk, PdqMode.OFF, r -> { }), store, 1 << 20));
            assertTrue(e.getMessage().contains(flat.toString()), e.getMessage());
        }
    }

    // ---- the two routes and the oracle

    private record Streamed(List<String> records, List<FileRecord> raw, ScanResult result, StreamTriage.Stats stats) {
    }

    /** Plays the acquisition: reads {@code image} once, front to back, in blocks of {@code block} bytes. */
    private static Streamed stream(Path image, int block, long window, PdqMode pdq, List<long[]> unreadable)
            throws Exception {
        List<FileRecord> got = Collections.synchronizedList(new ArrayList<>());
        try (HashStore store = Triage.openStore(db);
             StreamTriage t = StreamTriage.open(image, config(image, pdq, got::add), store, window);
             FileChannel in = FileChannel.open(image, StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocateDirect(block);
            long size = in.size();
            for (long at = 0; at < size; ) {
                buf.clear();
                buf.limit((int) Math.min(block, size - at));
                while (buf.hasRemaining() && in.read(buf, at + buf.position()) > 0) {
                    // read the whole block
                }
                buf.flip();
                for (long[] bad : unreadable) {
                    if (bad[0] < at + buf.limit() && at < bad[0] + bad[1]) {
                        long from = Math.max(at, bad[0]);
                        long to = Math.min(at + buf.limit(), bad[0] + bad[1]);
                        t.unreadable(from, to - from); // announced, then passed as zeros, as the contract says
                        for (long i = from; i < to; i++) buf.put((int) (i - at), (byte) 0);
                    }
                }
                t.accept(at, buf.asReadOnlyBuffer());
                at += buf.limit();
            }
            t.finish(true);
            ScanResult r = t.result();
            return new Streamed(normalise(got), List.copyOf(got), r, t.stats());
        }
    }

    private static List<String> scan(Path image, PdqMode pdq) throws Exception {
        List<FileRecord> got = Collections.synchronizedList(new ArrayList<>());
        try (HashStore store = Triage.openStore(db)) {
            Triage.scan(config(image, pdq, got::add), store);
        }
        return normalise(got);
    }

    private static ScanConfig config(Path image, PdqMode pdq, RecordListener listener) {
        return ScanConfig.builder().source(image.toString()).pdq(pdq).listener(listener)
                .algorithms(java.util.EnumSet.of(Algorithm.MD5, Algorithm.SHA1, Algorithm.SHA256)).build();
    }

    /**
     * A picture's PDQ without {@code reused}: which copy of a content is decoded first (the others
     * reuse it) follows the read order, and a scan reads pictures first where the stream keeps disk
     * order. The listing does not carry it either.
     */
    private static String pdq(org.triage.model.PictureHash p) {
        return p == null ? "null" : p.hash() + "/" + p.quality() + "/" + p.error() + "/" + p.nearMatches();
    }

    /** Records as comparable lines (digests in hex), sorted: the order of delivery may differ. */
    private static List<String> normalise(List<FileRecord> records) {
        List<String> out = new ArrayList<>();
        HexFormat hex = HexFormat.of();
        for (FileRecord r : records) {
            String d = r.digests() == null ? "-" : (r.digests().md5() == null ? "-" : hex.formatHex(r.digests().md5())) + ","
                    + (r.digests().sha1() == null ? "-" : hex.formatHex(r.digests().sha1())) + ","
                    + (r.digests().sha256() == null ? "-" : hex.formatHex(r.digests().sha256()));
            out.add(String.join("|", r.source(), r.path().display(), String.valueOf(r.type()), Long.toString(r.size()), d,
                    String.valueOf(r.matches()), String.valueOf(r.error()), String.valueOf(r.hardLinkOf()),
                    String.valueOf(r.contentType()), Boolean.toString(r.extMismatch()), String.valueOf(r.details()),
                    String.valueOf(r.changedDuringRead()), String.valueOf(r.container()), String.valueOf(r.note()),
                    pdq(r.pdq())));
        }
        Collections.sort(out);
        return out;
    }

    /** partition offset + ":" + path of every regular file (default stream) that icat reads, to its md5sum. */
    private static Map<String, String> icatMd5(Path image) throws Exception {
        Map<String, String> out = new HashMap<>();
        for (long sector : new long[] {2048, 73728}) {
            String fls = new String(Oracle.run(dir, "fls", "-r", "-p", "-o", Long.toString(sector), image.toString()),
                    StandardCharsets.UTF_8);
            for (String line : fls.split("\n")) {
                Matcher m = FLS.matcher(line);
                if (!m.matches() || m.group(1) != null) continue; // allocated regular files only
                String sums = new String(Oracle.run(dir, "bash", "-c", "icat -o \"$1\" \"$2\" \"$3\" | md5sum", "bash",
                        Long.toString(sector), image.toString(), m.group(2)), StandardCharsets.US_ASCII);
                out.put(sector * 512 + ":" + m.group(3), sums.split(" ")[0]);
            }
        }
        return out;
    }

    private static String md5sum(byte[] b) throws Exception {
        return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5").digest(b));
    }

    private static String sha1(Path f) throws Exception {
        return new String(Oracle.run(dir, "sha1sum", f.toString()), StandardCharsets.US_ASCII).split(" ")[0];
    }
}
