package org.triage.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The benchmark corpus: three slices of seeded random files, generated once and reused (a marker
 * file records the seed and scale they were made with), and the small slice zipped.
 *
 * <ul>
 *   <li>small: 50,000 files of 4–64 KiB (many files: per-file overhead dominates)</li>
 *   <li>medium: 2,000 files of 100 KiB–3 MiB</li>
 *   <li>large: eight files of 256 MB (hashing dominates)</li>
 *   <li>archive: the small slice in one ZIP, made by {@code zip -q -r -6} (deflate), alone in its
 *       folder: every member is expanded in the scan's stream</li>
 * </ul>
 * Random bytes, so nothing compresses or deduplicates; the same seed gives the same bytes. So
 * {@code zip} stores about half the members as they are (deflate would make them larger) and
 * deflates the rest into stored blocks: the archive slice measures what expanding a member costs
 * beyond hashing it, not zlib's inflate speed on compressible data.
 */
final class BenchCorpus {
    record Slice(String name, int files, long minSize, long maxSize) {
        Slice scaled(double scale) {
            return new Slice(name, Math.max(1, (int) Math.round(files * scale)), minSize, maxSize);
        }
    }

    static final List<Slice> SLICES = List.of(
            new Slice("small", 50_000, 4 << 10, 64 << 10),
            new Slice("medium", 2_000, 100 << 10, 3 << 20),
            new Slice("large", 8, 256_000_000L, 256_000_000L),
            new Slice("archive", 50_000, 4 << 10, 64 << 10));

    /** The archive slice's name: its members are a small slice of the same size. */
    static final String ARCHIVE = "archive";

    private BenchCorpus() {
    }

    /** Makes (or reuses) the slice's folder under {@code root}; returns it. */
    static Path ensure(Path root, Slice slice, long seed, PrintWriterLike log) throws IOException {
        Path dir = root.resolve(slice.name());
        Path marker = root.resolve("." + slice.name() + ".complete");
        String stamp = String.format(Locale.ROOT, "seed=%d files=%d min=%d max=%d%n", seed, slice.files(),
                slice.minSize(), slice.maxSize());
        if (Files.exists(marker) && Files.readString(marker).equals(stamp)) return dir;
        log.println("bench: generating the " + slice.name() + " slice (" + slice.files() + " files) in " + dir);
        deleteTree(dir);
        Files.deleteIfExists(marker);
        SplittableRandom rnd = new SplittableRandom(seed ^ slice.name().hashCode());
        byte[] buf = new byte[1 << 20];
        for (int i = 0; i < slice.files(); i++) {
            long size = slice.minSize() == slice.maxSize() ? slice.minSize()
                    : slice.minSize() + rnd.nextLong(slice.maxSize() - slice.minSize() + 1);
            // 100 files a folder, as cameras and phones lay them out
            Path f = dir.resolve(String.format(Locale.ROOT, "d%03d/f%06d.bin", i / 100, i));
            Files.createDirectories(f.getParent());
            try (OutputStream out = Files.newOutputStream(f)) {
                long left = size;
                while (left > 0) {
                    int n = (int) Math.min(buf.length, left);
                    fill(rnd, buf, n);
                    out.write(buf, 0, n);
                    left -= n;
                }
            }
        }
        Files.writeString(marker, stamp, StandardCharsets.US_ASCII);
        return dir;
    }

    /**
     * The small slice of {@code archive}'s size, and a folder {@code root/archive} holding it zipped
     * ({@code small.zip}, made once by {@code zip -q -r -6}, under a temporary name then renamed);
     * returns {unpacked tree, folder with the zip}.
     */
    static Path[] ensureArchive(Path root, Slice archive, long seed, PrintWriterLike log) throws IOException, InterruptedException {
        Slice small = new Slice("small", archive.files(), archive.minSize(), archive.maxSize());
        Path tree = ensure(root, small, seed, log);
        Path dir = root.resolve(ARCHIVE);
        Path zip = dir.resolve("small.zip");
        Path marker = root.resolve("." + ARCHIVE + ".complete");
        String stamp = Files.readString(root.resolve(".small.complete")) + "zip -q -r -6\n";
        if (Files.exists(marker) && Files.readString(marker).equals(stamp) && Files.isRegularFile(zip)) return new Path[] {tree, dir};
        log.println("bench: zipping the small slice (" + small.files() + " files, zip -q -r -6) into " + zip);
        deleteTree(dir);
        Files.deleteIfExists(marker);
        Files.createDirectories(dir);
        // zip adds to an existing archive, so it writes a fresh temporary name outside the folder
        // (which must hold the zip alone), then the name is moved in.
        Path partial = root.resolve(".small.zip.partial.zip");
        Files.deleteIfExists(partial);
        Process p = new ProcessBuilder("zip", "-q", "-r", "-6", partial.toString(), ".").directory(tree.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        if (p.waitFor() != 0) throw new IOException("zip -q -r -6 " + partial + " . (in " + tree + ") exited " + p.exitValue());
        Files.move(partial, zip, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        Files.writeString(marker, stamp, StandardCharsets.US_ASCII);
        return new Path[] {tree, dir};
    }

    private static void fill(SplittableRandom rnd, byte[] b, int n) {
        int i = 0;
        for (; i + 8 <= n; i += 8) {
            long v = rnd.nextLong();
            b[i] = (byte) v;
            b[i + 1] = (byte) (v >>> 8);
            b[i + 2] = (byte) (v >>> 16);
            b[i + 3] = (byte) (v >>> 24);
            b[i + 4] = (byte) (v >>> 32);
            b[i + 5] = (byte) (v >>> 40);
            b[i + 6] = (byte) (v >>> 48);
            b[i + 7] = (byte) (v >>> 56);
        }
        for (; i < n; i++) b[i] = (byte) rnd.nextInt();
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    /** Where progress lines go. */
    interface PrintWriterLike {
        void println(String s);
    }
}
