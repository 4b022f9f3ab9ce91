package org.triage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.triage.model.EvidenceSummary;
import org.triage.model.FileRecord;
import org.triage.model.RawPath;
import org.triage.model.RecordListener;
import org.triage.model.SourceStats;
import org.triage.report.AllFilesWriter;
import org.triage.store.HashStore;
import org.triage.store.HashStoreAdmin;
import org.triage.store.RocksHashStore;

/**
 * Nothing is counted twice: every entry of an item is one line of its all-files listing, also with
 * pictures whose PDQ comes late (a queue of one picture, so most are read again after the crypto
 * pass), copies of one content, hard links between a camera folder and elsewhere, pictures by name
 * in upper case, several readers, and a scan stopped while pictures still wait.
 *
 * <p>The bug this guards: the record stage handed an item back to the scan thread (which then writes
 * the listing's end line, {@link RecordListener#onEvidenceDone}) and only after that flushed the
 * listing once more at the end of its batch. The two threads then wrote the same pending lines, and
 * the last pictures' lines (recorded in the item's last batch, once their PDQ was in) appeared twice.
 * {@link HandOver} makes the window wide, as a listing's fsync on a loaded disk does in {@code case
 * run}: a flush by the record stage after the hand-over waits until the end line is on disk.
 *
 * <p>Oracles: find(1) for the entries, md5sum for the digests.
 */
class RecordedOnceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PICTURES = 24;

    @TempDir
    static Path shared;
    static Path tree;
    static Path db;
    static long largestPicture;

    @BeforeAll
    static void build() throws Exception {
        tree = Files.createDirectories(shared.resolve("evidence"));
        Random rnd = new Random(7);
        Path camera = Files.createDirectories(tree.resolve("DCIM/100CANON"));
        Path misc = Files.createDirectories(tree.resolve("docs/misc"));
        List<Path> made = new ArrayList<>();
        for (int i = 0; i < PICTURES; i++) {
            String ext = switch (i % 3) {
                case 0 -> "JPG";
                case 1 -> "jpg";
                default -> "png";
            };
            Path p = camera.resolve(String.format("IMG_%04d.%s", i, ext));
            picture(rnd, p, 200 + 10 * i, 160);
            made.add(p);
            largestPicture = Math.max(largestPicture, Files.size(p));
        }
        // Same content elsewhere, under names the picture-first walk leaves to its second pass.
        for (int i = 0; i < 8; i++) Files.copy(made.get(i), misc.resolve("copy" + i + ".bin"));
        // Hard links: the first path in the camera folder (first pass), the other outside (second pass).
        for (int i = 8; i < 12; i++) Files.createLink(misc.resolve("link" + i + ".dat"), made.get(i));
        // Copies in the camera folder itself, with an extension in upper case.
        for (int i = 12; i < 16; i++) Files.copy(made.get(i), camera.resolve("dup" + i + ".JPEG"));
        Files.createSymbolicLink(misc.resolve("latest.jpg"), Path.of("../../DCIM/100CANON/IMG_0001.jpg"));
        for (int i = 0; i < 20; i++) {
            byte[] b = new byte[1000 + rnd.nextInt(20_000)];
            rnd.nextBytes(b);
            Files.write(misc.resolve("f" + i + ".bin"), b);
        }
        db = shared.resolve("store");
        try (HashStoreAdmin w = RocksHashStore.openWritable(db)) {
            // an empty store: PDQ is asked for with pdq ON
        }
    }

    /** A picture of its own (seeded pattern), written by the JDK's ImageIO. */
    private static void picture(Random rnd, Path to, int w, int h) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int seed = rnd.nextInt();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int v = (x * 7 + y * 3 + seed) & 0xff;
                img.setRGB(x, y, (v << 16) | (((x ^ y ^ seed) & 0xff) << 8) | ((y * 5) & 0xff));
            }
        }
        String name = to.getFileName().toString();
        assertTrue(ImageIO.write(img, name.endsWith(".png") ? "png" : "jpg", to.toFile()), name);
    }

    @Test
    void everyEntryIsListedOnceAndFindAgrees() throws Exception {
        Map<RawPath, String> md5sum = Oracle.digests(tree, "md5sum");
        TreeSet<String> found = find("! -type d");
        assertEquals(find("-type f").size(), md5sum.size(), "find -type f and md5sum agree");
        for (int run = 0; run < 4; run++) {
            Listing l = scan("run" + run, null);
            assertEquals(List.of(), l.late(), "run " + run + ": record-stage calls after the item was handed back");
            assertEquals(List.of(), l.twice(), "run " + run + ": entries listed more than once");
            assertEquals(found, new TreeSet<>(l.lines().keySet()), "run " + run + ": the listing's paths against find");
            long files = l.lines().values().stream().filter(e -> !"symlink".equals(e.get("type").asText())).count();
            assertEquals(md5sum.size(), files, "run " + run + ": file records against find -type f | wc -l");
            for (Map.Entry<RawPath, String> e : md5sum.entrySet()) {
                JsonNode entry = l.lines().get(e.getKey().display());
                assertEquals(e.getValue(), entry.get("md5").asText(), "run " + run + ": md5 of " + e.getKey().display());
            }
            for (JsonNode e : l.lines().values()) {
                if (e.get("path").asText().startsWith("DCIM/")) {
                    assertTrue(e.hasNonNull("pdq"), "run " + run + ": " + e.get("path").asText() + " has no PDQ: " + e);
                }
            }
            assertEquals(1, l.endLines(), "run " + run + ": the item's end line");
        }
    }

    /**
     * Stopped while pictures wait to be read again: their records go out with the item's end
     * marker, in the item's last batch (the case that lost its race most often).
     */
    @Test
    void aScanStoppedWhilePicturesWaitListsThemOnce() throws Exception {
        Map<RawPath, String> md5sum = Oracle.digests(tree, "md5sum");
        AtomicReference<Scan> running = new AtomicReference<>();
        // The first file that is not a picture comes after every picture of the camera folder (picture-first).
        RecordListener stopper = r -> {
            if (r.pdq() == null && !r.path().display().startsWith("DCIM/")) running.get().stop();
        };
        Listing l = scan("stopped", new Object[] {running, stopper});
        assertEquals(List.of(), l.late(), "record-stage calls after the item was handed back");
        assertEquals(List.of(), l.twice(), "entries listed more than once");
        long stoppedFirst = l.lines().values().stream()
                .filter(e -> e.path("pdq_error").asText("").contains("the scan was stopped first")).count();
        assertTrue(stoppedFirst > 0, "no picture was still waiting at the stop: the test did not test the case");
        for (JsonNode e : l.lines().values()) {
            RawPath p = RawPath.of(e.get("path").asText().getBytes(StandardCharsets.UTF_8));
            if (e.hasNonNull("md5")) assertEquals(md5sum.get(p), e.get("md5").asText(), "md5 of " + p.display());
        }
        assertEquals(1, l.endLines(), "the item's end line");
    }

    /** A listing read back: entries by path, the paths seen more than once, the end lines, and what the witness saw. */
    record Listing(Map<String, JsonNode> lines, List<String> twice, int endLines, List<String> late) { }

    /** Scans the tree with a queue of one picture, writing a listing; {@code stop}: {scan holder, listener}. */
    @SuppressWarnings("unchecked")
    private static Listing scan(String name, Object[] stop) throws Exception {
        Path file = shared.resolve(name + ".jsonl");
        HandOver witness = new HandOver(Thread.currentThread());
        try (AllFilesWriter writer = new AllFilesWriter(witness.disk(Files.newOutputStream(file)), file.toString())) {
            List<RecordListener> listeners = new ArrayList<>(List.of(witness, writer));
            if (stop != null) listeners.add((RecordListener) stop[1]);
            ScanConfig cfg = ScanConfig.builder().source(tree.toString()).pdq(PdqMode.ON)
                    .pdqLimits(largestPicture, largestPicture).readers(3).hashThreads(2).prewalk(true)
                    .listener(RecordListener.all(listeners)).build();
            try (HashStore store = Triage.openStore(db); Scan scan = Triage.newScan(cfg, store)) {
                if (stop != null) ((AtomicReference<Scan>) stop[0]).set(scan);
                scan.run();
            }
        }
        Map<String, JsonNode> lines = new TreeMap<>();
        List<String> twice = new ArrayList<>();
        int ends = 0;
        for (String line : Files.readAllLines(file)) {
            JsonNode n = JSON.readTree(line);
            if (n.has("evidence_done")) ends++;
            if (!n.has("path")) continue;
            String key = n.get("path").asText();
            assertEquals("[]", n.get("container").toString(), key + " is no container's member");
            if (lines.put(key, n) != null) twice.add(key);
        }
        return new Listing(lines, twice, ends, witness.late());
    }

    /** {@code find . <predicates>} in the tree, paths without the leading "./". */
    private static TreeSet<String> find(String predicates) throws Exception {
        byte[] out = Oracle.run(tree, "bash", "-c", "find . -mindepth 1 " + predicates + " -printf '%P\\n'");
        TreeSet<String> s = new TreeSet<>();
        for (String line : new String(out, StandardCharsets.UTF_8).split("\n")) if (!line.isEmpty()) s.add(line);
        return s;
    }

    /**
     * Watches the hand-over of an item from the record stage to the scan thread ({@link
     * RecordListener#onSourceEnd} is the record stage's last call for the item) and notes every
     * record-stage call after it. Its {@link #disk} is the listing's file as a slow disk: a flush by
     * the record stage after the hand-over completes only once the scan thread has flushed the
     * item's end line, so a late flush overlaps the end line every time instead of once in a while.
     */
    private static final class HandOver implements RecordListener {
        private final Thread scanThread;
        private volatile boolean handedBack;
        private final CountDownLatch endLineWritten = new CountDownLatch(1);
        private final List<String> late = Collections.synchronizedList(new ArrayList<>());

        HandOver(Thread scanThread) {
            this.scanThread = scanThread;
        }

        List<String> late() {
            return List.copyOf(late);
        }

        private void call(String what) {
            if (handedBack) late.add(what + " on " + Thread.currentThread().getName());
        }

        @Override
        public void onRecord(FileRecord r) {
            call("onRecord(" + r.path().display() + ")");
        }

        @Override
        public void onBatchEnd() {
            call("onBatchEnd");
        }

        @Override
        public void onSourceStart(String source) {
            handedBack = false;
        }

        @Override
        public void onSourceEnd(SourceStats stats) {
            call("onSourceEnd");
            handedBack = true;
        }

        @Override
        public void onEvidenceDone(EvidenceSummary summary) {
            if (Thread.currentThread() != scanThread) late.add("onEvidenceDone on " + Thread.currentThread().getName());
        }

        OutputStream disk(OutputStream file) {
            return new FilterOutputStream(file) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                }

                @Override
                public void flush() throws IOException {
                    out.flush();
                    if (!handedBack) return;
                    if (Thread.currentThread() == scanThread) {
                        endLineWritten.countDown();
                        return;
                    }
                    late.add("a listing flush on " + Thread.currentThread().getName());
                    try {
                        // Bounded only so that a broken hand-over cannot hang the build; it ends when the end line is out.
                        if (!endLineWritten.await(30, TimeUnit.SECONDS)) late.add("no end line within 30 s of that flush");
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            };
        }
    }
}
