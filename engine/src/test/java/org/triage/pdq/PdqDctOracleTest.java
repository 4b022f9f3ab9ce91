package org.triage.pdq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.triage.Oracle;

/**
 * The hasher's float arithmetic against the C++ reference's, bit for bit, on generated pictures:
 * the 256 DCT coefficients and the quality. The 48 reference vectors cannot show an error in the
 * last bit of a float (the hash is robust to it by design: reordering the luminance sum leaves all
 * 48 hashes unchanged), so this is the test that proves the order of every operation.
 *
 * <p>The oracle is {@code benchmarks/tools/pdq-dct-dump.cpp} built against ThreatExchange's sources
 * (see its header); it is not part of the project, so the test runs only where
 * {@code TRIAGE_PDQ_DCT_DUMP} names the built program.
 */
class PdqDctOracleTest {
    private static final String DUMP = System.getenv("TRIAGE_PDQ_DCT_DUMP");

    @TempDir
    Path dir;

    @Test
    void coefficientsAndQualityEqualTheReferenceBitForBit() throws Exception {
        assumeTrue(DUMP != null && Files.isExecutable(Path.of(DUMP)),
                "TRIAGE_PDQ_DCT_DUMP does not name the reference's coefficient dump (benchmarks/tools/pdq-dct-dump.cpp): skipping");
        Random random = new Random(2024);
        Map<String, PdqPixels> pictures = new LinkedHashMap<>();
        for (int k = 0; k < 80; k++) {
            int w = 5 + random.nextInt(random.nextBoolean() ? 200 : 1400);
            int h = 5 + random.nextInt(random.nextBoolean() ? 200 : 1400);
            switch (k % 10) {
                case 0 -> { w = 64; h = 64; } // the reference's single hash skips the filter for 64x64
                case 1 -> { w = 512; h = 512; } // the largest size taken as is
                case 2 -> { w = 513; h = 100; } // sampled to 512x512 from one side over
                default -> { }
            }
            boolean grey = random.nextInt(3) == 0;
            Path file = write(k, w, h, grey, random);
            pictures.put(file.toString(), MagickPixels.readPnm(Files.readAllBytes(file), file));
        }
        List<String> command = new ArrayList<>(List.of(DUMP));
        command.addAll(pictures.keySet());
        List<String> lines = new String(Oracle.run(dir, command.toArray(String[]::new)), StandardCharsets.US_ASCII).lines().toList();
        assertEquals(pictures.size(), lines.size(), "one line per picture from " + DUMP);
        PdqHasher hasher = new PdqHasher();
        float[] ours = new float[256];
        List<String> differ = new ArrayList<>();
        for (String line : lines) {
            String[] f = line.split(" ");
            PdqPixels p = pictures.get(f[0]);
            int quality = hasher.coefficients(p, ours);
            int floats = 0;
            for (int i = 0; i < 256; i++) {
                if (Float.floatToRawIntBits(ours[i]) != (int) Long.parseLong(f[2 + i], 16)) floats++;
            }
            if (floats > 0 || quality != Integer.parseInt(f[1])) {
                differ.add(f[0] + " (" + p.width() + "x" + p.height() + "): " + floats + " coefficients differ, quality " + quality
                        + " vs " + f[1]);
            }
        }
        System.out.println("PDQ coefficients against the reference's: " + lines.size() + " generated pictures, "
                + differ.size() + " differing");
        assertEquals(List.of(), differ);
    }

    /**
     * Noise, smooth waves or a checkerboard, in PGM or PPM (which the reference's CImg reads itself).
     * A colour picture is never all grey (the channels differ in phase), so both sides take its
     * luminance from the three-term sum.
     */
    private Path write(int k, int w, int h, boolean grey, Random random) throws IOException {
        int channels = grey ? 1 : 3;
        byte[] data = new byte[w * h * channels];
        int kind = random.nextInt(3);
        double fx = random.nextDouble() * 20, fy = random.nextDouble() * 20;
        for (int y = 0, o = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < channels; c++) {
                    int v = switch (kind) {
                        case 0 -> random.nextInt(256);
                        case 1 -> (int) (128 + 100 * Math.sin(fx * x / w + fy * y / h + c) + random.nextInt(8));
                        default -> ((x * 8 / w + y * 8 / h + c) % 2) * 200 + random.nextInt(40);
                    };
                    data[o++] = (byte) Math.max(0, Math.min(255, v));
                }
            }
        }
        Path file = dir.resolve("g" + k + (grey ? ".pgm" : ".ppm"));
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(((grey ? "P5" : "P6") + "\n" + w + " " + h + "\n255\n").getBytes(StandardCharsets.US_ASCII));
            out.write(data);
        }
        return file;
    }
}
