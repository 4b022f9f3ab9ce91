package org.triage.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.SortedSet;
import java.util.TreeSet;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.triage.Triage;
import org.triage.model.PictureHash;

/**
 * The demo's known pictures for PDQ: large generated originals kept outside the evidence (as a lab
 * keeps its reference pictures), and in the evidence the copies that sharing makes of such pictures
 * (re-saved as JPEG at quality 70, halved in size, cropped by one pixel). None of the copies has an
 * original's bytes, so no digest finds them; their PDQ hashes lie within a few bits of the originals'.
 *
 * <p>The originals are 400-800 pixels a side and busy: the demo's small pictures (under 250 pixels)
 * would hash at a PDQ quality under 50, whose near matches never raise priority.
 */
final class DemoNearCopies {
    /** Known originals; each gives three copies. */
    static final int ORIGINALS = 3;

    /**
     * @param pdqList     the originals' PDQ hashes, ThreatExchange's text form {@code hash,quality,category}
     * @param md5Lines    the originals' MD5s as alert-list lines {@code md5,category} (a lab knows them by digest too)
     * @param copyPaths   the planted copies, relative to the evidence folder, '/'-separated
     */
    record Planted(Path pdqList, List<String> md5Lines, SortedSet<String> copyPaths) {
    }

    private DemoNearCopies() {
    }

    static Planted generate(Path root, Path evidence, long seed, String[] categories) throws IOException {
        // A Random of its own, so that the rest of the demo corpus stays what the seed made it before.
        Random rnd = new Random(seed ^ 0x5EED_9D9L);
        Path known = Files.createDirectories(root.resolve("known-pictures"));
        StringBuilder pdq = new StringBuilder("# demo PDQ set: the known originals (generated pictures), hash,quality,category\n");
        List<String> md5Lines = new ArrayList<>();
        SortedSet<String> copies = new TreeSet<>();
        int wa = 1;
        for (int i = 0; i < ORIGINALS; i++) {
            String category = categories[rnd.nextInt(categories.length)];
            BufferedImage img = busyPicture(rnd, 400 + rnd.nextInt(401), 400 + rnd.nextInt(401));
            Path original = known.resolve("known-" + i + ".png");
            if (!ImageIO.write(img, "png", original.toFile())) throw new IOException("no ImageIO writer for png");
            PictureHash h = Triage.pdqOf(original);
            if (h.hash() == null || !h.raisingQuality()) {
                throw new IllegalStateException(original + ": the demo's known picture has PDQ " + h + "; it must decode at quality >= "
                        + PictureHash.RAISING_QUALITY);
            }
            pdq.append(h.hash().hex()).append(',').append(h.quality()).append(',').append(category).append('\n');
            md5Lines.add(DemoCorpus.hex("MD5", Files.readAllBytes(original)) + ',' + category);

            String q70 = String.format("Pictures/WhatsApp/IMG-20261125-WA%04d.jpg", wa++);
            writeJpeg(img, 0.70f, evidence.resolve(q70));
            String half = String.format("Pictures/WhatsApp/IMG-20261125-WA%04d.jpg", wa++);
            writeJpeg(scaled(img, img.getWidth() / 2, img.getHeight() / 2), 0.85f, evidence.resolve(half));
            String crop = "Downloads/screenshot-" + i + ".png";
            write(img.getSubimage(1, 1, img.getWidth() - 1, img.getHeight() - 1), "png", evidence.resolve(crop));
            copies.addAll(List.of(q70, half, crop));
        }
        Path list = root.resolve("hashsets").resolve("demo-pdq.txt");
        Files.createDirectories(list.getParent());
        Files.writeString(list, pdq);
        return new Planted(list, md5Lines, copies);
    }

    /** Gradient, then many soft shapes and strokes: enough edges at every scale for a PDQ quality of 100. */
    private static BufferedImage busyPicture(Random rnd, int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setPaint(new GradientPaint(0, 0, color(rnd, 255), w, h, color(rnd, 255)));
            g.fillRect(0, 0, w, h);
            for (int s = 0; s < 60; s++) {
                g.setColor(color(rnd, 120 + rnd.nextInt(136)));
                int x = rnd.nextInt(w) - w / 8;
                int y = rnd.nextInt(h) - h / 8;
                int sw = 8 + rnd.nextInt(w / 3);
                int sh = 8 + rnd.nextInt(h / 3);
                switch (rnd.nextInt(3)) {
                    case 0 -> g.fillOval(x, y, sw, sh);
                    case 1 -> g.fillRect(x, y, sw, sh);
                    default -> {
                        g.setStroke(new BasicStroke(2 + rnd.nextInt(10)));
                        g.drawLine(x, y, rnd.nextInt(w), rnd.nextInt(h));
                    }
                }
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    private static Color color(Random rnd, int alpha) {
        return new Color(rnd.nextInt(256), rnd.nextInt(256), rnd.nextInt(256), alpha);
    }

    /** Resampled as a phone's gallery or a messenger does (bilinear). */
    private static BufferedImage scaled(BufferedImage img, int w, int h) {
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(img, 0, 0, w, h, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    private static void writeJpeg(BufferedImage img, float quality, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
        if (!writers.hasNext()) throw new IOException("no ImageIO writer for jpeg");
        ImageWriter writer = writers.next();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(target.toFile())) {
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            writer.setOutput(out);
            writer.write(null, new IIOImage(img, null, null), param);
        } finally {
            writer.dispose();
        }
    }

    private static void write(BufferedImage img, String format, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        if (!ImageIO.write(img, format, target.toFile())) throw new IOException("no ImageIO writer for " + format);
    }
}
