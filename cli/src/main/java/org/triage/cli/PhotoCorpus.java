package org.triage.cli;

import java.awt.GradientPaint;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * The bench's photo slice for PDQ (issue 12): seeded, generated pictures shaped like a phone's
 * photos (gradients, shapes, sensor-like noise; nothing else), from 0.3 to 12 megapixels, log-uniform
 * so small and large both weigh. 85% JPEG, 10% PNG, 5% HEIC, each format in its own folder so that
 * the JPEG part can be timed alone, and a manifest beside the folder ({@code photos.tsv}: path,
 * format, width, height) for the decode-only limit.
 *
 * <p>Why crops of a few bases: drawing and encoding every picture in Java, and HEIC through x265 at
 * its default preset, took over 30 minutes for 2,000 photos on 2 cores. Here {@value #BASES} scenes
 * are drawn and JPEG-encoded once at each of three sizes (4096x3072, 2048x1536, 1024x768, and each
 * turned portrait with a lossless {@code jpegtran -rotate 90}); every photo is then a lossless
 * {@code jpegtran -crop} of the smallest base that holds it, at an offset on the 16-pixel MCU grid
 * (so the crop is exact and keeps the base's coding: a real photo-like JPEG, not a re-encode). No
 * two photos take the same region of the same base, so every photo is a distinct content (distinct
 * digests: the scan decodes each once). A PNG or HEIC photo is such a crop converted
 * ({@code convert -quality 15}: zlib level 1 with adaptive filters; {@code heif-enc} with x265's
 * ultrafast preset), its crop not kept among the JPEGs.
 */
final class PhotoCorpus {
    static final String NAME = "photos";
    static final String[] FORMATS = {"jpeg", "png", "heic"};
    private static final double MIN_MP = 0.3;
    private static final double MAX_MP = 12;
    /** Scenes per base size. */
    private static final int BASES = 4;
    /** Base sizes, landscape, largest first: each side a multiple of 16, so a rotation is exact. */
    private static final int[][] BASE_SIZES = {{4096, 3072}, {2048, 1536}, {1024, 768}};
    /** JPEG quality of each scene, as phones and apps vary it. */
    private static final float[] QUALITIES = {0.85f, 0.90f, 0.95f, 0.88f};
    /** The MCU of a 4:2:0 JPEG: a crop whose corner is on this grid is exact. */
    private static final int MCU = 16;
    private static final String RECIPE = "crops-v2";

    /** One generated picture. */
    record Photo(Path path, String format, int width, int height) {
    }

    /** One photo to make: a region of a base, the format it is written in. */
    private record Plan(int n, String format, int level, int base, boolean portrait, int width, int height, int x, int y) {
    }

    private PhotoCorpus() {
    }

    /** The slice's folder, generated (in parallel, one task per core) unless it is there for this seed and count. */
    static Path ensure(Path root, int count, long seed, BenchCorpus.PrintWriterLike log) throws IOException, InterruptedException {
        Path dir = root.resolve(NAME);
        Path marker = root.resolve("." + NAME + ".complete");
        String stamp = String.format(Locale.ROOT, "seed=%d photos=%d mp=%.1f-%.1f %s bases=%d jpeg-q85-95 png-q15 heif-enc-q60-ultrafast%n",
                seed, count, MIN_MP, MAX_MP, RECIPE, BASES);
        if (Files.exists(marker) && Files.readString(marker).equals(stamp)) return dir;
        log.println("bench: generating the photo slice (" + count + " pictures of " + MIN_MP + "-" + MAX_MP
                + " megapixels: JPEG, PNG, HEIC) in " + dir);
        long start = System.nanoTime();
        BenchCorpus.deleteTree(dir);
        Files.deleteIfExists(marker);
        for (String f : FORMATS) Files.createDirectories(dir.resolve(f));
        Path bases = root.resolve("." + NAME + "-bases");
        BenchCorpus.deleteTree(bases);
        Files.createDirectories(bases);
        int cores = Runtime.getRuntime().availableProcessors();
        ExecutorService pool = Executors.newFixedThreadPool(cores);
        try {
            List<Plan> plans = plan(count, seed);
            // Only the bases some photo is cut from (a small slice needs few), the largest first so that
            // the pool's threads finish together.
            Set<List<Integer>> used = new java.util.TreeSet<>(java.util.Comparator.comparing((List<Integer> k) -> k.get(0))
                    .thenComparing(k -> k.get(1)));
            for (Plan p : plans) used.add(List.of(p.level(), p.base()));
            List<Callable<Void>> drawing = new ArrayList<>();
            for (List<Integer> k : used) {
                int level = k.get(0);
                int b = k.get(1);
                drawing.add(() -> {
                    makeBase(bases, level, b, new SplittableRandom(seed * 7_919L + level * 101L + b));
                    return null;
                });
            }
            all(pool, drawing);
            List<Future<Photo>> made = new ArrayList<>();
            for (Plan p : plans) made.add(pool.submit(() -> make(dir, bases, p)));
            StringBuilder manifest = new StringBuilder("# path\tformat\twidth\theight\n");
            for (Future<Photo> f : made) {
                Photo p = f.get();
                manifest.append(dir.relativize(p.path())).append('\t').append(p.format()).append('\t').append(p.width())
                        .append('\t').append(p.height()).append('\n');
            }
            Files.writeString(manifestFile(dir), manifest);
        } catch (ExecutionException e) {
            throw new IOException("generating the photo slice failed: " + e.getCause().getMessage(), e.getCause());
        } finally {
            pool.shutdownNow();
            BenchCorpus.deleteTree(bases);
        }
        Files.writeString(marker, stamp);
        log.println(String.format(Locale.ROOT, "bench: photo slice generated in %.1f s", (System.nanoTime() - start) / 1e9));
        return dir;
    }

    /** The manifest's pictures of one format. */
    static List<Photo> manifest(Path dir, String format) throws IOException {
        List<Photo> out = new ArrayList<>();
        for (String line : Files.readAllLines(manifestFile(dir))) {
            if (line.startsWith("#") || line.isBlank()) continue;
            String[] f = line.split("\t");
            if (f[1].equals(format)) out.add(new Photo(dir.resolve(f[0]), f[1], Integer.parseInt(f[2]), Integer.parseInt(f[3])));
        }
        return out;
    }

    /** Beside the slice's folder, not in it: a scan of the folder holds the pictures alone. */
    private static Path manifestFile(Path dir) {
        return dir.resolveSibling(NAME + ".tsv");
    }

    /**
     * Every photo's size, format and region, decided in order from the seed so the slice is the same
     * on every machine; a region already taken is drawn again (a distinct region is a distinct content).
     */
    private static List<Plan> plan(int count, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Set<List<Integer>> taken = new HashSet<>();
        List<Plan> plans = new ArrayList<>(count);
        for (int n = 0; n < count; n++) {
            double mp = Math.exp(Math.log(MIN_MP) + rnd.nextDouble() * (Math.log(MAX_MP) - Math.log(MIN_MP)));
            boolean portrait = rnd.nextBoolean(); // as a phone takes them
            int longSide = (int) Math.round(Math.sqrt(mp * 1e6 * 4 / 3));
            int shortSide = (int) Math.round(mp * 1e6 / longSide);
            int pick = rnd.nextInt(20);
            String format = pick < 17 ? "jpeg" : pick < 19 ? "png" : "heic";
            int level = BASE_SIZES.length - 1;
            while (BASE_SIZES[level][0] < longSide || BASE_SIZES[level][1] < shortSide) level--;
            int baseLong = BASE_SIZES[level][0];
            int baseShort = BASE_SIZES[level][1];
            for (int attempt = 0; ; attempt++) {
                int base = rnd.nextInt(BASES);
                int along = MCU * rnd.nextInt((baseLong - longSide) / MCU + 1);
                int across = MCU * rnd.nextInt((baseShort - shortSide) / MCU + 1);
                if (taken.add(List.of(level, base, portrait ? 1 : 0, longSide, shortSide, along, across))) {
                    plans.add(portrait ? new Plan(n, format, level, base, true, shortSide, longSide, across, along)
                            : new Plan(n, format, level, base, false, longSide, shortSide, along, across));
                    break;
                }
                if (attempt > 1_000) throw new IllegalStateException("no free region left for photo " + n + " of " + longSide + "x" + shortSide);
            }
        }
        return plans;
    }

    private static Photo make(Path dir, Path bases, Plan p) throws IOException, InterruptedException {
        String name = String.format(Locale.ROOT, "IMG_%05d", p.n());
        Path base = baseFile(bases, p.level(), p.base(), p.portrait());
        String crop = p.width() + "x" + p.height() + "+" + p.x() + "+" + p.y();
        Path out;
        switch (p.format()) {
            case "jpeg" -> {
                out = dir.resolve("jpeg").resolve(name + ".jpg");
                run("jpegtran", "-copy", "none", "-crop", crop, "-outfile", out.toString(), base.toString());
            }
            case "png" -> {
                out = dir.resolve("png").resolve(name + ".png");
                Path tmp = cropToTemp(bases, name, crop, base);
                try {
                    run("convert", tmp.toString(), "-quality", "15", out.toString());
                } finally {
                    Files.deleteIfExists(tmp);
                }
            }
            default -> {
                out = dir.resolve("heic").resolve(name + ".heic");
                Path tmp = cropToTemp(bases, name, crop, base);
                try {
                    run("heif-enc", "-q", "60", "-p", "preset=ultrafast", "-o", out.toString(), tmp.toString());
                } finally {
                    Files.deleteIfExists(tmp);
                }
            }
        }
        return new Photo(out, p.format(), p.width(), p.height());
    }

    private static Path cropToTemp(Path bases, String name, String crop, Path base) throws IOException, InterruptedException {
        Path tmp = bases.resolve(name + ".crop.jpg");
        run("jpegtran", "-copy", "none", "-crop", crop, "-outfile", tmp.toString(), base.toString());
        return tmp;
    }

    private static Path baseFile(Path bases, int level, int base, boolean portrait) {
        return bases.resolve(String.format(Locale.ROOT, "base-%d-%d-%s.jpg", level, base, portrait ? "portrait" : "landscape"));
    }

    /** One scene at one size, JPEG-encoded, and its portrait twin (a lossless rotation). */
    private static void makeBase(Path bases, int level, int base, SplittableRandom rnd) throws IOException, InterruptedException {
        Path landscape = baseFile(bases, level, base, false);
        writeJpeg(draw(BASE_SIZES[level][0], BASE_SIZES[level][1], rnd), landscape, QUALITIES[base % QUALITIES.length]);
        run("jpegtran", "-copy", "none", "-rotate", "90", "-perfect", "-outfile", baseFile(bases, level, base, true).toString(),
                landscape.toString());
    }

    private static void all(ExecutorService pool, List<Callable<Void>> tasks) throws InterruptedException, ExecutionException {
        for (Future<Void> f : pool.invokeAll(tasks)) f.get();
    }

    private static void run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (p.waitFor() != 0) throw new IOException(String.join(" ", cmd) + " failed (exit " + p.exitValue() + ")");
    }

    /**
     * A gradient sky, a few dozen soft shapes, and noise like a sensor's (on each channel apart, as
     * a Bayer sensor's is), so that JPEG spends on it about the bits a phone's photo takes.
     */
    private static BufferedImage draw(int w, int h, SplittableRandom rnd) {
        BufferedImage img = GradientPicture.draw(w, h, rnd, g -> {
            int shapes = 60 + rnd.nextInt(60);
            for (int s = 0; s < shapes; s++) {
                int sw = 8 + rnd.nextInt(Math.max(1, w / 4));
                int sh = 8 + rnd.nextInt(Math.max(1, h / 4));
                int x = rnd.nextInt(w);
                int y = rnd.nextInt(h);
                g.setPaint(new GradientPaint(x, y, GradientPicture.color(rnd), x + sw, y + sh, GradientPicture.color(rnd)));
                if (rnd.nextBoolean()) g.fillOval(x, y, sw, sh); else g.fillRect(x, y, sw, sh);
            }
        });
        int[] px = ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < px.length; i++) {
            int v = px[i];
            int luma = rnd.nextInt(13) - 6;
            px[i] = clamp(((v >> 16) & 0xff) + luma + rnd.nextInt(5) - 2) << 16
                    | clamp(((v >> 8) & 0xff) + luma + rnd.nextInt(5) - 2) << 8
                    | clamp((v & 0xff) + luma + rnd.nextInt(5) - 2);
        }
        return img;
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    private static void writeJpeg(BufferedImage img, Path out, float quality) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(out.toFile())) {
            writer.setOutput(ios);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            writer.write(null, new IIOImage(img, null, null), param);
        } finally {
            writer.dispose();
        }
    }
}
