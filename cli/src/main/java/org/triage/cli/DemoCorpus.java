package org.triage.cli;

import java.awt.BasicStroke;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.SortedSet;
import java.util.TreeSet;
import javax.imageio.ImageIO;

/**
 * A synthetic evidence folder for the demo and for tests: generated pictures that really decode
 * (PNG, JPEG, GIF: abstract shapes and gradients, nothing else), some under misleading
 * extensions, ordinary documents, and "system" files. Hash lists are made from a subset, so the
 * scan has something to find. Seeded: the same seed gives the same bytes. No real material is
 * used or needed.
 */
final class DemoCorpus {
    static final String ALERT_SET = "demo-alert";
    static final String KNOWN_GOOD_SET = "demo-known-good";
    static final String PDQ_SET = "demo-pdq";
    private static final String[] CATEGORIES = {"A", "B", "C"};
    private static final HexFormat HEX = HexFormat.of();

    /**
     * What was planted: paths relative to the evidence folder, '/'-separated. {@code alertPaths} are
     * found by digest; {@code nearCopyPaths} (re-encoded copies of known pictures) by PDQ alone.
     */
    record Planted(Path evidence, Path alertList, Path knownGoodList, Path pdqList, SortedSet<String> alertPaths,
                   SortedSet<String> nearCopyPaths, SortedSet<String> knownGoodPaths, int images, int files) {
    }

    private DemoCorpus() {
    }

    static Planted generate(Path root, long seed, int images) throws IOException {
        Random rnd = new Random(seed);
        Path evidence = root.resolve("evidence");
        Path lists = root.resolve("hashsets");
        Files.createDirectories(evidence);
        Files.createDirectories(lists);
        String[] folders = {"DCIM/100CAMERA", "DCIM/101CAMERA", "Pictures/holiday", "Downloads", "Documents/misc",
            "AppData/Local/cache"};
        SortedSet<String> alertPaths = new TreeSet<>();
        SortedSet<String> knownGoodPaths = new TreeSet<>();
        StringBuilder alertList = new StringBuilder("# demo alert set: generated pictures, not real material\n");
        StringBuilder goodList = new StringBuilder("# demo known-good set\n");
        int files = 0;
        byte[] firstAlert = null;
        for (int i = 0; i < images; i++) {
            String format = switch (i % 3) {
                case 0 -> "jpg";
                case 1 -> "png";
                default -> "gif";
            };
            byte[] data = picture(rnd, format);
            // One picture in ten hides under a misleading extension.
            String ext = i % 10 == 7 ? (rnd.nextBoolean() ? "txt" : "dat") : format;
            String rel = folders[rnd.nextInt(folders.length)] + "/IMG_" + String.format("%04d", i) + "." + ext;
            write(evidence, rel, data);
            files++;
            if (i % 12 == 5) { // planted: about one picture in twelve is "known"
                String category = CATEGORIES[rnd.nextInt(CATEGORIES.length)];
                // Mix the digest kinds a real list would carry.
                String hex = alertPaths.size() % 2 == 0 ? hex("MD5", data) : hex("SHA-1", data);
                alertList.append(hex).append(',').append(category).append('\n');
                alertPaths.add(rel);
                if (firstAlert == null) firstAlert = data;
            }
        }
        if (firstAlert != null) { // the same known picture copied elsewhere: found twice
            String rel = "Documents/misc/copy of picture.bin";
            write(evidence, rel, firstAlert);
            alertPaths.add(rel);
            files++;
        }
        DemoNearCopies.Planted near = DemoNearCopies.generate(root, evidence, seed, CATEGORIES);
        for (String line : near.md5Lines()) alertList.append(line).append('\n');
        files += near.copyPaths().size();
        for (int i = 0; i < 40; i++) {
            byte[] data = new byte[2048 + rnd.nextInt(64 * 1024)];
            rnd.nextBytes(data);
            String rel = "Windows/System32/lib" + i + ".dll";
            write(evidence, rel, data);
            goodList.append(hex("SHA-256", data)).append('\n');
            knownGoodPaths.add(rel);
            files++;
        }
        for (int i = 0; i < 60; i++) {
            StringBuilder text = new StringBuilder();
            int lines = 1 + rnd.nextInt(200);
            for (int l = 0; l < lines; l++) text.append("note ").append(i).append(" line ").append(l).append(' ').append(rnd.nextLong()).append('\n');
            write(evidence, "Documents/notes/note-" + i + ".txt", text.toString().getBytes(StandardCharsets.UTF_8));
            files++;
        }
        write(evidence, "Documents/empty.txt", new byte[0]);
        files++;
        Path alert = lists.resolve("demo-alert.txt");
        Path good = lists.resolve("demo-known-good.txt");
        Files.writeString(alert, alertList);
        Files.writeString(good, goodList);
        return new Planted(evidence, alert, good, near.pdqList(), alertPaths, near.copyPaths(), knownGoodPaths,
                images + near.copyPaths().size(), files);
    }

    private static void write(Path root, String rel, byte[] data) throws IOException {
        Path p = root.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.write(p, data);
    }

    /** An abstract picture: gradient background, random shapes. Decodes as the format says. */
    static byte[] picture(Random rnd, String format) throws IOException {
        int w = 48 + rnd.nextInt(200);
        int h = 48 + rnd.nextInt(200);
        BufferedImage img = GradientPicture.draw(w, h, rnd, g -> {
            int shapes = 3 + rnd.nextInt(12);
            for (int s = 0; s < shapes; s++) {
                g.setColor(GradientPicture.color(rnd));
                int x = rnd.nextInt(w);
                int y = rnd.nextInt(h);
                int sw = 4 + rnd.nextInt(w / 2);
                int sh = 4 + rnd.nextInt(h / 2);
                switch (rnd.nextInt(3)) {
                    case 0 -> g.fillOval(x, y, sw, sh);
                    case 1 -> g.fillRect(x, y, sw, sh);
                    default -> {
                        g.setStroke(new BasicStroke(1 + rnd.nextInt(6)));
                        g.drawLine(x, y, rnd.nextInt(w), rnd.nextInt(h));
                    }
                }
            }
        });
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String writer = format.equals("jpg") ? "jpeg" : format;
        if (!ImageIO.write(img, writer, out)) throw new IOException("no ImageIO writer for " + format);
        return out.toByteArray();
    }

    static String hex(String algorithm, byte[] data) {
        try {
            return HEX.formatHex(MessageDigest.getInstance(algorithm).digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
