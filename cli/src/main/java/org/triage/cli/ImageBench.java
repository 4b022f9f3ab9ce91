package org.triage.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.triage.ScanConfig;
import org.triage.ReadOrder;
import org.triage.Triage;
import org.triage.model.Algorithm;
import org.triage.model.ScanResult;
import org.triage.store.HashStore;
import org.triage.store.RocksHashStore;

/**
 * The disk-image speed harness ({@code triage bench --image [DIR]}). In one run, on this machine:
 * <ol>
 * <li>builds a raw ext4 image of about 2 GiB with a few thousand files of mixed sizes
 *     ({@code mke2fs -d}, no mounting);</li>
 * <li>measures {@code cat image > /dev/null} (sequential read), {@code openssl speed -bytes 16384 md5}
 *     (single-thread MD5), {@code triage scan} with MD5 only (in this process, after a warm-up scan; the
 *     median of three), and sleuthkit's route as people script it
 *     ({@code fls -r} then {@code icat | md5sum} per file), warm page cache; cold too when the page
 *     cache can be dropped (root, /proc/sys/vm/drop_caches writable);</li>
 * <li>builds two FAT32 images with mtools, one where directory order jumps across the disk and one
 *     with fragmented files, and compares directory order with disk order on each: summed seek
 *     distance over every run read, and read rate.</li>
 * </ol>
 * The ceiling is min(sequential read rate, single-thread MD5 rate x cores). Needs e2fsprogs,
 * sleuthkit, mtools, dosfstools and openssl. Everything goes under the work directory, which is
 * left in place (the images are large: about 2.5 GiB).
 */
public final class ImageBench {
    private static final long MIB = 1 << 20;

    private ImageBench() {
    }

    /**
     * Runs the whole harness.
     *
     * @param work a directory for the images (created; about 2.5 GiB free needed)
     * @param out  where the results go
     * @param json one JSON object instead of text lines
     */
    public static void run(Path work, PrintWriter out, boolean json) throws Exception {
        Files.createDirectories(work);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("load_before", sh(work, "uptime").trim());
        r.put("cores", Runtime.getRuntime().availableProcessors());
        Path image = work.resolve("bench-ext4.img");
        if (!Files.exists(image)) buildExt4(work, image);
        r.put("image_bytes", Files.size(image));

        double md5Rate = opensslMd5();
        r.put("md5_single_thread_MBps", md5Rate);
        time(work, "cat " + q(image) + " > /dev/null"); // warm the cache
        double catSec = time(work, "cat " + q(image) + " > /dev/null");
        double readRate = Files.size(image) / catSec / 1e6;
        r.put("cat_warm_MBps", readRate);
        double ceiling = Math.min(readRate, md5Rate * Runtime.getRuntime().availableProcessors());
        r.put("ceiling_warm_MBps", ceiling);

        Path db = work.resolve("empty-store");
        if (!Files.exists(db)) RocksHashStore.openWritable(db).close();
        scan(image, db, 1); // warm up the JVM and the cache
        double[] scan = medianScan(image, db, 1);
        r.put("triage_scan_bytes", (long) scan[0]);
        r.put("triage_scan_warm_MBps", scan[0] / scan[1] / 1e6);
        r.put("triage_scan_share_of_ceiling", scan[0] / scan[1] / 1e6 / ceiling);
        double[] scan2 = medianScan(image, db, 2);
        r.put("triage_scan_2_readers_warm_MBps", scan2[0] / scan2[1] / 1e6);
        r.put("triage_scan_2_readers_share_of_ceiling", scan2[0] / scan2[1] / 1e6 / ceiling);

        double[] icat = flsIcat(work, image);
        r.put("fls_icat_files", (long) icat[2]);
        r.put("fls_icat_MBps", icat[0] / icat[1] / 1e6);

        if (dropCaches()) {
            double coldCat = time(work, "cat " + q(image) + " > /dev/null");
            r.put("cat_cold_MBps", Files.size(image) / coldCat / 1e6);
            dropCaches();
            double[] cold = scan(image, db, 1);
            r.put("triage_scan_cold_MBps", cold[0] / cold[1] / 1e6);
        } else {
            r.put("cold", "page cache cannot be dropped here (needs root and a writable /proc/sys/vm/drop_caches)");
        }

        // Two layouts: "interleaved" (new files take deleted files' directory slots, so directory
        // order jumps across the disk; files mostly whole) and "fragmented" (files split into holes).
        for (boolean fill : new boolean[] {false, true}) {
            String layout = fill ? "fragmented" : "interleaved";
            Path fat = work.resolve("bench-" + layout + "-fat.img");
            buildFat(work, fat, fill);
            for (boolean diskOrder : new boolean[] {false, true}) {
                String k = layout + "_" + (diskOrder ? "disk_order" : "directory_order");
                boolean cold = dropCaches();
                double[] m = order(fat, diskOrder);
                r.put(k + "_seek_MiB", m[0] / MIB);
                r.put(k + "_runs", (long) m[2]);
                r.put(k + "_files", (long) m[3]);
                r.put(k + "_read_MBps" + (cold ? "_cold" : "_warm"), m[1]);
            }
        }
        r.put("load_after", sh(work, "uptime").trim());
        print(out, r, json);
    }

    /** The corpus: a few thousand files, most small, some medium, a few large; about 2 GiB in all. */
    private static void buildExt4(Path work, Path image) throws IOException, InterruptedException {
        Path corpus = work.resolve("corpus");
        Files.createDirectories(corpus);
        SplittableRandom rnd = new SplittableRandom(5);
        byte[] pool = new byte[(int) (16 * MIB)];
        rnd.nextBytes(pool);
        long total = 0;
        int files = 0;
        long target = 2000 * MIB;
        while (total < target) {
            int kind = rnd.nextInt(100);
            long size = kind < 84 ? 1 + rnd.nextInt(64 << 10)
                    : kind < 99 ? (64 << 10) + rnd.nextInt((int) (2 * MIB))
                    : 16 * MIB + rnd.nextInt((int) (48 * MIB));
            size = Math.min(size, target - total + 1);
            Path dir = Files.createDirectories(corpus.resolve("d" + (files % 50)));
            try (FileChannel ch = FileChannel.open(dir.resolve("f" + files + ".bin"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                long left = size;
                ByteBuffer unique = ByteBuffer.allocate(8).putLong(0, files);
                ch.write(unique);
                left -= Math.min(8, left);
                while (left > 0) {
                    int off = rnd.nextInt(pool.length / 2);
                    int n = (int) Math.min(left, pool.length - off);
                    ch.write(ByteBuffer.wrap(pool, off, n));
                    left -= n;
                }
            }
            total += size;
            files++;
        }
        long imageMiB = total / MIB * 115 / 100 + 64;
        sh(work, "mke2fs -q -t ext4 -d " + q(corpus) + " " + q(image) + " " + imageMiB + "M");
        sh(work, "rm -rf " + q(corpus));
    }

    /**
     * A 200 MB FAT32 image. Interleaved ({@code fill} false): 600 files of 64 KiB, every other one
     * deleted, then 30 files of 3 MB, which take the deleted files' directory slots but are written
     * after the small files. Fragmented ({@code fill} true): filled almost full with 1,200 files of
     * 160 KiB in a subdirectory, every other one deleted, then the 3 MB files, which mtools (once
     * its free-cluster hint wraps around) writes into the holes.
     */
    private static void buildFat(Path work, Path image, boolean fill) throws IOException, InterruptedException {
        Path src = Files.createDirectories(work.resolve("frag-src"));
        SplittableRandom rnd = new SplittableRandom(9);
        byte[] small = new byte[fill ? 160 << 10 : 64 << 10];
        byte[] large = new byte[3_000_000];
        String dir = fill ? "::/fill/" : "::/";
        StringBuilder smallList = new StringBuilder();
        StringBuilder gone = new StringBuilder();
        for (int i = 0; i < (fill ? 1200 : 600); i++) {
            rnd.nextBytes(small);
            Files.write(src.resolve("s" + i), small);
            smallList.append(' ').append(q(src.resolve("s" + i)));
            if (i % 2 == 0) gone.append(' ').append(dir).append('s').append(i);
        }
        StringBuilder largeList = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            rnd.nextBytes(large);
            Files.write(src.resolve("L" + i), large);
            largeList.append(' ').append(q(src.resolve("L" + i)));
        }
        Files.deleteIfExists(image);
        sh(work, "export PATH=$PATH:/usr/sbin:/sbin MTOOLS_SKIP_CHECK=1; mkfs.vfat -F 32 -C " + q(image) + " 200000 >/dev/null"
                + (fill ? " && mmd -i " + q(image) + " ::/fill" : "")
                + " && mcopy -i " + q(image) + smallList + " " + dir
                + " && mdel -i " + q(image) + gone
                + " && mcopy -i " + q(image) + largeList + " ::/");
        sh(work, "rm -rf " + q(src));
    }

    /** Summed seek distance (bytes), read rate (MB/s), run count and files, reading every live file in the source's order. */
    private static double[] order(Path image, boolean diskOrder) throws IOException {
        ReadOrder m = Triage.measureReadOrder(image, diskOrder);
        return new double[] {m.seekBytes(), m.megabytesPerSecond(), m.runs(), m.files()};
    }

    /** {@link #scan} three times: the run with the median time. */
    private static double[] medianScan(Path image, Path db, int readers) throws Exception {
        List<double[]> runs = new ArrayList<>();
        for (int i = 0; i < 3; i++) runs.add(scan(image, db, readers));
        runs.sort(java.util.Comparator.comparingDouble(r -> r[1]));
        return runs.get(1);
    }

    /** Bytes hashed and seconds for an MD5-only scan through the whole pipeline. */
    private static double[] scan(Path image, Path db, int readers) throws Exception {
        try (HashStore store = Triage.openStore(db)) {
            ScanConfig cfg = ScanConfig.builder().source(image.toString()).algorithms(EnumSet.of(Algorithm.MD5))
                    .readers(readers).build();
            long t0 = System.nanoTime();
            ScanResult result = Triage.scan(cfg, store);
            double sec = (System.nanoTime() - t0) / 1e9;
            return new double[] {result.evidence().get(0).bytes(), sec};
        }
    }

    /** sleuthkit's route: fls -r -F, then one icat | md5sum per regular file. Bytes, seconds, files. */
    private static double[] flsIcat(Path work, Path image) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        String fls = sh(work, "fls -r -F " + q(image));
        List<String> inodes = new ArrayList<>();
        for (String line : fls.split("\n")) {
            if (!line.startsWith("r/r ") || line.startsWith("r/r * ")) continue;
            inodes.add(line.substring(4, line.indexOf(':')));
        }
        Path list = work.resolve("inodes.txt");
        Files.write(list, inodes);
        sh(work, "while read -r i; do icat " + q(image) + " \"$i\" | md5sum; done < " + q(list) + " > /dev/null");
        double sec = (System.nanoTime() - t0) / 1e9;
        String size = sh(work, "while read -r i; do istat " + q(image) + " \"$i\" | sed -n 's/^size: //p'; done < "
                + q(list) + " | awk '{s+=$1} END {print s}'").trim();
        return new double[] {Double.parseDouble(size), sec, inodes.size()};
    }

    /** openssl's single-thread MD5 rate on 16 KiB blocks, in MB/s. */
    private static double opensslMd5() throws IOException {
        double rate = BenchCommand.opensslRate("md5");
        if (rate == 0) throw new IOException("openssl speed gave no md5 rate (is openssl installed?)");
        return rate;
    }

    private static boolean dropCaches() {
        try {
            sh(Path.of("."), "sync");
            Files.writeString(Path.of("/proc/sys/vm/drop_caches"), "3\n");
            return true;
        } catch (IOException | InterruptedException | RuntimeException e) {
            return false;
        }
    }

    private static double time(Path work, String cmd) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        sh(work, cmd);
        return (System.nanoTime() - t0) / 1e9;
    }

    private static String sh(Path dir, String cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("bash", "-c", cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        byte[] out;
        try (var in = p.getInputStream()) {
            out = in.readAllBytes();
        }
        if (!p.waitFor(1, TimeUnit.HOURS) || p.exitValue() != 0) {
            throw new IOException(cmd + " failed: " + new String(out, StandardCharsets.UTF_8));
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    private static String q(Path p) {
        return "'" + p.toAbsolutePath().toString().replace("'", "'\\''") + "'";
    }

    private static void print(PrintWriter out, Map<String, Object> r, boolean json) {
        if (json) {
            StringBuilder sb = new StringBuilder("{");
            for (Map.Entry<String, Object> e : r.entrySet()) {
                if (sb.length() > 1) sb.append(", ");
                sb.append('"').append(e.getKey()).append("\": ");
                Object v = e.getValue();
                if (v instanceof String s) sb.append('"').append(s.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
                else sb.append(format(v));
            }
            out.println(sb.append('}'));
        } else {
            for (Map.Entry<String, Object> e : r.entrySet()) out.printf(Locale.ROOT, "%-32s %s%n", e.getKey(), format(e.getValue()));
        }
        out.flush();
    }

    private static String format(Object v) {
        return v instanceof Double d ? String.format(Locale.ROOT, "%.3f", d) : String.valueOf(v);
    }
}
