package org.triage.picture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.triage.Oracle;
import org.triage.pdq.MagickPixels;

/**
 * Decoding is total: a truncated file of any format gives a {@link PictureException} with a reason;
 * a corrupt one (bits flipped, garbage after a valid signature) gives a picture or a
 * {@link PictureException}, never another exception, and never brings down the JVM (the native
 * decoders, libjpeg-turbo, libheif and libwebp, get the garbage too: a crash there would end this
 * test's JVM and fail the build).
 */
class DecoderTotalityTest {
    @TempDir
    static Path dir;
    /** format -> a valid file of it */
    static final Map<String, byte[]> FILES = new LinkedHashMap<>();

    @BeforeAll
    static void generate() throws Exception {
        MagickPixels.requireConvert();
        Path base = dir.resolve("base.png");
        Oracle.run(dir, MagickPixels.CONVERT.toString(), "-seed", "5", "-size", "300x200", "plasma:", "-depth", "8", base.toString());
        for (String name : new String[] {"a.jpg", "p.jpg", "a.png", "i.png", "a.gif", "a.bmp", "a.tif"}) {
            Path out = dir.resolve(name);
            List<String> command = new ArrayList<>(List.of(MagickPixels.CONVERT.toString(), base.toString()));
            if (name.startsWith("p") || name.startsWith("i")) command.addAll(List.of("-interlace", name.endsWith("png") ? "PNG" : "Plane"));
            if (name.endsWith("tif")) command.addAll(List.of("-compress", "lzw"));
            command.add(out.toString());
            Oracle.run(dir, command.toArray(String[]::new));
            FILES.put(name, Files.readAllBytes(out));
        }
        Oracle.run(dir, "cwebp", "-quiet", "-q", "80", base.toString(), "-o", dir.resolve("lossy.webp").toString());
        FILES.put("lossy.webp", Files.readAllBytes(dir.resolve("lossy.webp")));
        Oracle.run(dir, "cwebp", "-quiet", "-lossless", base.toString(), "-o", dir.resolve("lossless.webp").toString());
        FILES.put("lossless.webp", Files.readAllBytes(dir.resolve("lossless.webp")));
        Oracle.run(dir, "heif-enc", "-q", "80", base.toString(), "-o", dir.resolve("a.heic").toString());
        FILES.put("a.heic", Files.readAllBytes(dir.resolve("a.heic")));
    }

    @Test
    void theGeneratedFilesDecode() throws Exception {
        try (PictureDecoder decoder = PictureDecoders.create()) {
            for (Map.Entry<String, byte[]> f : FILES.entrySet()) {
                DecodedPicture p = decoder.decode(ByteBuffer.wrap(f.getValue()));
                assertEquals(300, p.width(), f.getKey());
                assertEquals(200, p.height(), f.getKey());
            }
        }
    }

    @Test
    void aTruncatedFileOfEveryFormatIsRefusedWithAReason() throws Exception {
        List<String> decoded = new ArrayList<>();
        try (PictureDecoder decoder = PictureDecoders.create()) {
            for (Map.Entry<String, byte[]> f : FILES.entrySet()) {
                for (double cut : new double[] {0.02, 0.1, 0.5, 0.9}) {
                    byte[] part = Arrays.copyOf(f.getValue(), (int) (f.getValue().length * cut));
                    String what = f.getKey() + " cut to " + part.length + " of " + f.getValue().length + " bytes";
                    try {
                        decoder.decode(ByteBuffer.wrap(part));
                        decoded.add(what);
                    } catch (PictureException e) {
                        assertNotNull(e.getMessage(), what);
                        System.out.println("  " + what + ": " + e.getMessage());
                    }
                }
            }
            // and the decoder still decodes a whole file afterwards
            assertEquals(300, decoder.decode(ByteBuffer.wrap(FILES.get("a.jpg"))).width());
        }
        assertEquals(List.of(), decoded, "truncated files decoded as if whole");
    }

    @Test
    void corruptFilesGiveAPictureOrAReasonNeverAnotherException() throws Exception {
        Random random = new Random(20261201);
        int refused = 0;
        int decodedCount = 0;
        try (PictureDecoder decoder = PictureDecoders.create()) {
            for (Map.Entry<String, byte[]> f : FILES.entrySet()) {
                byte[] whole = f.getValue();
                for (int i = 0; i < 60; i++) {
                    byte[] bad = whole.clone();
                    String what;
                    if (i < 40) {
                        // flip a few bytes anywhere past the signature
                        int flips = 1 + random.nextInt(8);
                        for (int k = 0; k < flips; k++) bad[16 + random.nextInt(bad.length - 16)] ^= (byte) (1 + random.nextInt(255));
                        what = f.getKey() + " with " + flips + " bytes changed (mutant " + i + ")";
                    } else {
                        // the signature and the first header bytes, then garbage
                        int keep = 4 + random.nextInt(Math.min(64, bad.length - 4));
                        for (int k = keep; k < bad.length; k++) bad[k] = (byte) random.nextInt(256);
                        what = f.getKey() + " garbage after byte " + keep;
                    }
                    try {
                        decoder.decode(ByteBuffer.wrap(bad));
                        decodedCount++;
                    } catch (PictureException e) {
                        assertNotNull(e.getMessage(), what);
                        refused++;
                    } catch (Throwable t) {
                        throw new AssertionError(what + ": " + t, t);
                    }
                }
            }
        }
        System.out.println("  corrupt files: " + decodedCount + " decoded anyway, " + refused + " refused with a reason");
    }

    @Test
    void emptyAndUnknownContentIsRefusedWithAReason() {
        try (PictureDecoder decoder = PictureDecoders.create()) {
            for (byte[] b : new byte[][] {{}, {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF}, "GIF89a".getBytes(), "hello, world".getBytes(),
                {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A}}) {
                PictureException e = assertThrows(PictureException.class, () -> decoder.decode(ByteBuffer.wrap(b)), Arrays.toString(b));
                System.out.println("  " + b.length + " bytes: " + e.getMessage());
            }
        }
    }
}
