package org.triage.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.triage.Scan;
import org.triage.ScanConfig;
import org.triage.Triage;
import org.triage.model.EvidenceSummary;
import org.triage.model.FileRecord;
import org.triage.model.RecordListener;
import org.triage.model.ScanResult;
import org.triage.model.SetKind;
import org.triage.store.HashStore;
import org.triage.store.HashStoreAdmin;
import org.triage.store.RocksHashStore;

/**
 * {@code triage bench --first-hit [DIR]}: issue 13's figure for an answer in seconds. Builds (once;
 * reused when present) a raw ext4 image of 4 GiB holding 100,000 files ({@code mke2fs -d} from a
 * generated tree, which is then deleted; its sizes are kept in {@code manifest.tsv}): 97,000
 * documents of 1-75 KB and 3,000 pictures ({@code .jpg}) of 20-60 KB spread over 200 folders, 20 of
 * the pictures known (a RocksDB store beside the image), chosen in disk order over its last four
 * fifths, so none early on the disk. Then, warm page cache, in this process, default pipeline, MD5+SHA-1+SHA-256:
 * a {@code --first-hit} scan with pictures first and one with the order off (bytes read and seconds
 * when the first alert was recorded, and when the item stopped), and a full scan each way (seconds:
 * what picture-first costs a full scan). Needs e2fsprogs; about 8 GiB free while it builds, 4 GiB after.
 */
final class FirstHitBench {
    static final int FILES = 100_000;
    static final int PICTURES = 3_000;
    static final int KNOWN = 20;
    static final int FOLDERS = 200;

    private FirstHitBench() {
    }

    static void run(Path work, PrintWriter out, PrintWriter err, boolean json) throws Exception {
        Files.createDirectories(work);
        Path image = work.resolve("disk.img");
        Path db = work.resolve("db");
        if (!Files.isRegularFile(image) || !Files.isDirectory(db)) build(work, err);
        long total = 0;
        for (String line : Files.readAllLines(work.resolve("manifest.tsv"))) total += Long.parseLong(line.split("\t")[1]);
        warm(image);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("image_bytes", Files.size(image));
        r.put("file_bytes", total);
        r.put("cores", Runtime.getRuntime().availableProcessors());
        try (HashStore store = Triage.openStore(db)) {
            r.put("first_hit_pictures_first", measure(image, store, true, 1));
            r.put("first_hit_order_off", measure(image, store, false, 1));
            r.put("full_pictures_first", measure(image, store, true, 0));
            r.put("full_order_off", measure(image, store, false, 0));
        }
        if (json) {
            out.println(new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(r));
            return;
        }
        out.printf(Locale.ROOT, "first-hit bench: %s, %,d files, %,d content bytes, %d cores%n", image, FILES, total,
                r.get("cores"));
        for (String k : List.of("first_hit_pictures_first", "first_hit_order_off", "full_pictures_first", "full_order_off")) {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) r.get(k);
            out.printf(Locale.ROOT, "%-26s first alert after %6.2f s, %,15d bytes read (%5.2f%% of the files' bytes);"
                            + " ended after %6.2f s, %,15d bytes read (%5.2f%%)%n", k, m.get("first_alert_s"), m.get("first_alert_bytes"),
                    100.0 * (long) m.get("first_alert_bytes") / total, m.get("end_s"), m.get("end_bytes"),
                    100.0 * (long) m.get("end_bytes") / total);
        }
        out.flush();
    }

    /** One scan: when the first alert was recorded (seconds, bytes read then) and when the scan ended. */
    private static Map<String, Object> measure(Path image, HashStore store, boolean picturesFirst, int stopAfter) throws Exception {
        AtomicLong firstNanos = new AtomicLong(-1);
        AtomicLong firstBytes = new AtomicLong(-1);
        Scan[] holder = new Scan[1];
        RecordListener l = (FileRecord rec) -> {
            if (rec.hasAlert() && firstNanos.get() < 0) {
                firstNanos.set(System.nanoTime());
                firstBytes.set(holder[0].progress().bytes());
            }
        };
        ScanConfig cfg = ScanConfig.builder().source(image.toString()).picturesFirst(picturesFirst).stopAfter(stopAfter)
                .listener(l).build();
        long start;
        ScanResult result;
        try (Scan scan = Triage.newScan(cfg, store)) {
            holder[0] = scan;
            start = System.nanoTime();
            result = scan.run();
        }
        long end = System.nanoTime();
        EvidenceSummary s = result.evidence().get(0);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("first_alert_s", firstNanos.get() < 0 ? -1.0 : round((firstNanos.get() - start) / 1e9));
        m.put("first_alert_bytes", firstBytes.get());
        m.put("end_s", round((end - start) / 1e9));
        m.put("end_bytes", s.bytes());
        m.put("alert_files", s.alertFiles());
        m.put("reason", s.reason());
        return m;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    private static void warm(Path f) throws IOException {
        ByteBuffer buf = ByteBuffer.allocateDirect(8 << 20);
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            while (ch.read(buf) > 0) buf.clear();
        }
    }

    /** The generated tree, the image made from it, the manifest of sizes and the store of the known pictures. */
    private static void build(Path work, PrintWriter err) throws Exception {
        Path tree = work.resolve("tree");
        err.println("triage bench --first-hit: generating " + String.format(Locale.ROOT, "%,d", FILES) + " files in " + tree);
        err.flush();
        SplittableRandom rnd = new SplittableRandom(13);
        byte[] buf = new byte[80_000];
        StringBuilder manifest = new StringBuilder();
        // Pictures every (FILES / PICTURES)-th file, spread over the folders.
        int stride = FILES / PICTURES;
        int picture = 0;
        for (int i = 0; i < FILES; i++) {
            int folder = i % FOLDERS;
            boolean isPicture = i % stride == 0 && picture < PICTURES;
            String name;
            int size;
            if (isPicture) {
                name = String.format(Locale.ROOT, "u%03d/IMG_%05d.jpg", folder, picture);
                size = 20_000 + rnd.nextInt(40_000);
            } else {
                name = String.format(Locale.ROOT, "u%03d/doc%06d.%s", folder, i, new String[] {"bin", "pdf", "docx", "txt", "dat"}[i % 5]);
                size = 1_000 + rnd.nextInt(74_000); // 3.7 GB in all: fits the 4 GiB image with ext4's overhead
            }
            for (int b = 0; b < size; b += 8) {
                long v = rnd.nextLong();
                for (int k = 0; k < 8 && b + k < size; k++) buf[b + k] = (byte) (v >>> (8 * k));
            }
            if (isPicture) {
                buf[0] = (byte) 0xFF;
                buf[1] = (byte) 0xD8;
                buf[2] = (byte) 0xFF;
                buf[3] = (byte) 0xE0;
                picture++;
            }
            Path p = tree.resolve(name);
            Files.createDirectories(p.getParent());
            Files.write(p, java.util.Arrays.copyOf(buf, size));
            manifest.append(name).append('\t').append(size).append('\n');
        }
        Files.writeString(work.resolve("manifest.tsv"), manifest);
        err.println("triage bench --first-hit: mke2fs -d into a 4 GiB image");
        err.flush();
        Process p = new ProcessBuilder("bash", "-c", "export PATH=$PATH:/usr/sbin:/sbin; rm -f disk.img;"
                + " mke2fs -q -t ext4 -b 4096 -N 131072 -d tree disk.img 4G && rm -rf tree")
                .directory(work.toFile()).inheritIO().start();
        if (p.waitFor() != 0) throw new IOException("mke2fs -d failed in " + work);
        // Which pictures are known is chosen in disk order, read off a scan of the image in that order
        // (mke2fs -d places files in the order it reads the tree's directories, which is hash order):
        // 20 spread evenly over the last four fifths of the pictures, so that none lies early on the disk.
        Path placeholder = work.resolve("placeholder.md5");
        Files.writeString(placeholder, "00000000000000000000000000000000\n");
        Path db = work.resolve("db");
        try (HashStoreAdmin w = RocksHashStore.openWritable(db)) {
            w.importHashList(placeholder, "placeholder", SetKind.KNOWN_GOOD, null, false);
        }
        List<String> picturesInDiskOrder = new ArrayList<>();
        RecordListener l = (FileRecord rec) -> {
            if (rec.path().display().endsWith(".jpg") && rec.digests().hex(org.triage.model.Algorithm.MD5) != null) {
                synchronized (picturesInDiskOrder) {
                    picturesInDiskOrder.add(rec.digests().hex(org.triage.model.Algorithm.MD5));
                }
            }
        };
        try (HashStore store = Triage.openStore(db)) {
            Triage.scan(ScanConfig.builder().source(work.resolve("disk.img").toString()).picturesFirst(false)
                    .algorithms(java.util.EnumSet.of(org.triage.model.Algorithm.MD5)).listener(l).build(), store);
        }
        List<String> known = new ArrayList<>();
        int from = picturesInDiskOrder.size() / 5;
        int step = (picturesInDiskOrder.size() - from) / KNOWN;
        for (int k = 0; k < KNOWN; k++) known.add(picturesInDiskOrder.get(from + k * step + step / 2));
        Path list = work.resolve("known.md5");
        Files.write(list, known);
        try (HashStoreAdmin w = RocksHashStore.openWritable(db)) {
            w.importHashList(list, "known-pictures", SetKind.ALERT, "A", false);
        }
    }
}
