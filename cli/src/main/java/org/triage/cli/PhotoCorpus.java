package org.triage.cli;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
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
 * so small and large both weigh. Seven in ten are JPEG (quality 85), the rest PNG and HEIC
 * ({@code heif-enc} from a PNG). Each format in its own folder, so the JPEG part can be timed alone,
 * and a manifest beside the folder ({@code photos.tsv}: path, format, width, height) for the
 * decode-only limit.
 */
final class PhotoCorpus {
    static final String NAME = "photos";
    static final String[] FORMATS = {"jpeg", "png", "heic"};
    private static final double MIN_MP = 0.3;
    private static final double MAX_MP = 12;

    /** One generated picture. */
    record Photo(Path path, String format, int width, int height) {
    }

    private PhotoCorpus() {
    }

    /** The slice's folder, generated (in parallel, one task per core) unless it is there for this seed and count. */
    static Path ensure(Path root, int count, long seed, BenchCorpus.PrintWriterLike log) throws IOException, InterruptedException {
        Path dir = root.resolve(NAME);
        Path marker = root.resolve("." + NAME + ".complete");
        String stamp = String.format(Locale.ROOT, "seed=%d photos=%d mp=%.1f-%.1f jpeg-q85 heif-enc-q60%n", seed, count, MIN_MP, MAX_MP);
        if (Files.exists(marker) && Files.readString(marker).equals(stamp)) return dir;
        log.println("bench: generating the photo slice (" + count + " pictures of " + MIN_MP + "-" + MAX_MP
                + " megapixels: JPEG, PNG, HEIC) in " + dir + "; this takes minutes once");
        BenchCorpus.deleteTree(dir);
        Files.deleteIfExists(marker);
        for (String f : FORMATS) Files.createDirectories(dir.resolve(f));
        int cores = Runtime.getRuntime().availableProcessors();
        ExecutorService pool = Executors.newFixedThreadPool(cores);
        List<Future<Photo>> made = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                int n = i;
                made.add(pool.submit(() -> make(dir, n, new SplittableRandom(seed * 1_000_003L + n))));
            }
            StringBuilder manifest = new StringBuilder("# path\tformat\twidth\theight\n");
            for (Future<Photo> f : made) {
                Photo p = f.get();
                manifest.append(dir.relativize(p.path())).append('\t').append(p.format()).append('\t').append(p.width())
                        .append('\t').append(p.height()).append('\n');
            }
            Files.writeString(manifestFile(dir), manifest);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException("generating the photo slice failed: " + e.getCause().getMessage(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        Files.writeString(marker, stamp);
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

    private static Photo make(Path dir, int n, SplittableRandom rnd) throws IOException, InterruptedException {
        double mp = Math.exp(Math.log(MIN_MP) + rnd.nextDouble() * (Math.log(MAX_MP) - Math.log(MIN_MP)));
        double aspect = rnd.nextBoolean() ? 4.0 / 3 : 3.0 / 4; // landscape or portrait, as a phone takes them
        int width = (int) Math.round(Math.sqrt(mp * 1e6 * aspect));
        int height = (int) Math.round(mp * 1e6 / width);
        int pick = rnd.nextInt(20);
        String format = pick < 14 ? "jpeg" : pick < 17 ? "png" : "heic";
        BufferedImage img = draw(width, height, rnd);
        String name = String.format(Locale.ROOT, "IMG_%05d", n);
        Path out;
        switch (format) {
            case "jpeg" -> {
                out = dir.resolve("jpeg").resolve(name + ".jpg");
                writeJpeg(img, out, 0.85f);
            }
            case "png" -> {
                out = dir.resolve("png").resolve(name + ".png");
                ImageIO.write(img, "png", out.toFile());
            }
            default -> {
                out = dir.resolve("heic").resolve(name + ".heic");
                Path png = Files.createTempFile(dir, name, ".png");
                try {
                    ImageIO.write(img, "png", png.toFile());
                    Process p = new ProcessBuilder("heif-enc", "-q", "60", "-o", out.toString(), png.toString())
                            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                    if (p.waitFor() != 0) throw new IOException("heif-enc failed on " + png + " (exit " + p.exitValue() + ")");
                } finally {
                    Files.deleteIfExists(png);
                }
            }
        }
        return new Photo(out, format, width, height);
    }

    /** A gradient sky, a few dozen soft shapes, and noise like a sensor's, so JPEG compresses it as it would a photo. */
    private static BufferedImage draw(int w, int h, SplittableRandom rnd) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setPaint(new GradientPaint(0, 0, color(rnd), w, h, color(rnd)));
            g.fillRect(0, 0, w, h);
            int shapes = 20 + rnd.nextInt(40);
            for (int s = 0; s < shapes; s++) {
                int sw = 8 + rnd.nextInt(Math.max(1, w / 3));
                int sh = 8 + rnd.nextInt(Math.max(1, h / 3));
                int x = rnd.nextInt(w);
                int y = rnd.nextInt(h);
                g.setPaint(new GradientPaint(x, y, color(rnd), x + sw, y + sh, color(rnd)));
                if (rnd.nextBoolean()) g.fillOval(x, y, sw, sh); else g.fillRect(x, y, sw, sh);
            }
        } finally {
            g.dispose();
        }
        int[] px = ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < px.length; i++) {
            int v = px[i];
            int noise = rnd.nextInt(9) - 4;
            px[i] = clamp(((v >> 16) & 0xff) + noise) << 16 | clamp(((v >> 8) & 0xff) + noise) << 8 | clamp((v & 0xff) + noise);
        }
        return img;
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    private static Color color(SplittableRandom rnd) {
        return new Color(rnd.nextInt(256), rnd.nextInt(256), rnd.nextInt(256));
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
