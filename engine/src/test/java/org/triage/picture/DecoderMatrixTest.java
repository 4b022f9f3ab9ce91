package org.triage.picture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.triage.Oracle;
import org.triage.pdq.MagickPixels;
import org.triage.pdq.PdqHasher;
import org.triage.pdq.PdqResult;

/**
 * Every format and mode the scan decodes, generated here by the standard tools (ImageMagick,
 * {@code cwebp}, {@code heif-enc}) from three pictures (JPEGs of 2400 x 2100 and 1100 x 1040
 * are decoded at 1/4 and 1/2 scale, of 400 x 300 at full size), decoded through
 * {@link PictureDecoders}, hashed, and compared with the hash of ImageMagick's own decode of the
 * same file (the pixels the C++ reference hashes): lossless formats bit for bit and at the same
 * quality, lossy ones within distance 10. Prints every distance.
 */
class DecoderMatrixTest {
    private static final int LOSSY_LIMIT = 10;

    @TempDir
    static Path dir;
    static final List<Case> CASES = new ArrayList<>();

    /** A generated file, and whether its pixels must be the reference's exactly. */
    record Case(String name, Path file, boolean lossless) {
    }

    @BeforeAll
    static void generate() throws Exception {
        MagickPixels.requireConvert();
        // structure at every scale, coloured; seeded, so the same picture every run; the other sizes resized from it
        Path plasma = dir.resolve("plasma.png");
        magick("-seed", "12", "-size", "1100x1040", "plasma:fractal", "(", "-size", "1100x1040", "gradient:red-blue", ")",
                "-compose", "blend", "-define", "compose:args=70", "-composite", "-depth", "8", plasma.toString());
        for (String size : new String[] {"2400x2100", "1100x1040", "400x300"}) {
            Path base = dir.resolve("base-" + size + ".png");
            magick(plasma.toString(), "-resize", size + "!", "-depth", "8", base.toString());
            String s = size + "-";
            lossy(s + "baseline.jpg", base, "-quality", "90");
            lossy(s + "progressive.jpg", base, "-quality", "90", "-interlace", "Plane");
            lossy(s + "grey.jpg", base, "-colorspace", "Gray", "-quality", "90");
            lossy(s + "cmyk.jpg", base, "-colorspace", "CMYK", "-quality", "90");
            lossy(s + "420-q75.jpg", base, "-quality", "75", "-sampling-factor", "2x2");
            if (size.startsWith("2400")) continue; // JPEG at 1/4 scale; the other formats are not scaled
            lossless(s + "rgb.png", base);
            lossless(s + "palette.png", base, "-colors", "200", "PNG8:");
            lossless(s + "alpha.png", base, "-alpha", "set", "-channel", "A", "-evaluate", "set", "50%", "+channel", "PNG32:");
            lossless(s + "grey.png", base, "-colorspace", "Gray");
            lossless(s + "grey16.png", base, "-colorspace", "Gray", "-depth", "16");
            lossless(s + "rgb16.png", base, "-depth", "16", "PNG48:");
            lossless(s + "interlaced.png", base, "-interlace", "PNG");
            lossless(s + "first-frame.gif", base, "-colors", "128");
            lossless(s + "rgb.bmp", base);
            lossless(s + "lzw.tif", base, "-compress", "lzw");
            lossless(s + "plain.tif", base, "-compress", "none");
            Path webpLossy = dir.resolve(s + "lossy.webp");
            Oracle.run(dir, "cwebp", "-quiet", "-q", "80", base.toString(), "-o", webpLossy.toString());
            CASES.add(new Case(webpLossy.getFileName().toString(), webpLossy, false));
            Path webpLossless = dir.resolve(s + "lossless.webp");
            Oracle.run(dir, "cwebp", "-quiet", "-lossless", base.toString(), "-o", webpLossless.toString());
            CASES.add(new Case(webpLossless.getFileName().toString(), webpLossless, true));
            Path heic = dir.resolve(s + "photo.heic");
            Oracle.run(dir, "heif-enc", "-q", "90", base.toString(), "-o", heic.toString());
            CASES.add(new Case(heic.getFileName().toString(), heic, false));
            // 10 bits a sample (what HDR phone photos hold), from a 16-bit PNG
            Path heic10 = dir.resolve(s + "10bit.heic");
            Oracle.run(dir, "heif-enc", "-q", "90", "-b", "10", dir.resolve(s + "rgb16.png").toString(), "-o", heic10.toString());
            CASES.add(new Case(heic10.getFileName().toString(), heic10, false));
        }
        // an animated GIF: its first frame is what the reference hashes
        Path anim = dir.resolve("animated.gif");
        magick("-seed", "3", "-size", "300x200", "plasma:", "-seed", "4", "-size", "300x200", "plasma:", "-colors", "64", anim.toString());
        CASES.add(new Case("animated.gif", anim, true));
    }

    private static void lossy(String name, Path base, String... options) throws Exception {
        CASES.add(new Case(name, write(name, base, options), false));
    }

    private static void lossless(String name, Path base, String... options) throws Exception {
        CASES.add(new Case(name, write(name, base, options), true));
    }

    /** {@code convert base OPTIONS... [PREFIX:]name}: an option ending in ':' is the output's format prefix. */
    private static Path write(String name, Path base, String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of(MagickPixels.CONVERT.toString(), base.toString()));
        String prefix = "";
        for (String o : options) {
            if (o.endsWith(":")) prefix = o;
            else command.add(o);
        }
        Path out = dir.resolve(name);
        command.add(prefix + out);
        Oracle.run(dir, command.toArray(String[]::new));
        return out;
    }

    private static void magick(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(MagickPixels.CONVERT.toString()));
        command.addAll(List.of(args));
        Oracle.run(dir, command.toArray(String[]::new));
    }

    @Test
    void everyFormatAndModeHashesAsImageMagicksDecodeDoes() throws Exception {
        PdqHasher hasher = new PdqHasher();
        List<String> failures = new ArrayList<>();
        System.out.println("Decoder matrix: PictureDecoders against ImageMagick's decode of the same file");
        System.out.printf("  %-26s %-5s %5s %4s  %7s  %s%n", "file", "fmt", "scale", "bits", "quality", "");
        try (PictureDecoder decoder = PictureDecoders.create()) {
            for (Case c : CASES) {
                PdqResult want = hasher.hash(MagickPixels.decode(eightBit(c.file), dir));
                DecodedPicture picture = decoder.decode(ByteBuffer.wrap(Files.readAllBytes(c.file)));
                PdqResult got = hasher.hash(picture.pixels());
                int distance = want.hash().distance(got.hash());
                int limit = c.lossless ? 0 : LOSSY_LIMIT;
                boolean ok = distance <= limit && (!c.lossless || want.quality() == got.quality());
                if (!ok) failures.add(c.name + ": distance " + distance + ", quality " + got.quality() + " (ImageMagick's " + want.quality() + ")");
                System.out.printf("  %-26s %-5s %5s %4d  %3d/%3d  %s%n", c.name, picture.format(), "1/" + picture.scale(), distance,
                        got.quality(), want.quality(), ok ? "ok" : "FAIL (limit " + limit + ")");
            }
        }
        assertEquals(List.of(), failures, "decoded pictures beyond their limits");
    }

    /**
     * The file itself, or for a 16-bit PNG or a 10-bit HEIC ImageMagick's own 8-bit copy of it (the PNM reader of
     * the oracle takes 8-bit samples; ImageMagick scales 16 to 8 bits by rounding).
     */
    private static Path eightBit(Path file) throws Exception {
        String name = file.getFileName().toString();
        if (!name.contains("16") && !name.contains("10bit")) return file;
        Path eight = dir.resolve("8bit-" + file.getFileName());
        Oracle.run(dir, MagickPixels.CONVERT.toString(), file.toString(), "-depth", "8", eight.toString());
        return eight;
    }
}
