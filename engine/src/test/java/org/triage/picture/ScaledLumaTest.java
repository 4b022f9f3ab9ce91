package org.triage.picture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.triage.pdq.PdqPixels;
import org.triage.pdq.PixelLayout;

/**
 * A colour JPEG large enough to be decoded at a reduced DCT scale is handed to PDQ as its Y plane
 * (the luminance PDQ hashes), every sampled pixel equal to libjpeg-turbo's own {@code djpeg
 * -grayscale} at that scale; one decoded at full size keeps its colours (the reference's pixels).
 */
class ScaledLumaTest {
    @TempDir
    Path tmp;

    @Test
    void aScaledColourJpegIsItsLumaPlaneAsDjpegGreyscaleDecodesIt() throws Exception {
        Path jpeg = tmp.resolve("colour.jpg");
        // Coloured structure at every scale: a plasma, seeded, 4:2:0 as cameras write it.
        exec("convert", "-seed", "7", "-size", "1300x1100", "plasma:red-blue", "-sampling-factor", "2x2", "-quality", "90", jpeg.toString());
        Path pgm = tmp.resolve("luma.pgm");
        exec("djpeg", "-grayscale", "-scale", "1/2", "-pnm", "-outfile", pgm.toString(), jpeg.toString());
        byte[] oracle = Files.readAllBytes(pgm);
        String[] header = new String(oracle, 0, 20, StandardCharsets.US_ASCII).split("\\s+");
        assertEquals("P5", header[0]);
        int w = Integer.parseInt(header[1]);
        int h = Integer.parseInt(header[2]);
        int at = oracle.length - w * h; // the raster is the file's tail

        try (PictureDecoder decoder = PictureDecoders.create()) {
            DecodedPicture picture = decoder.decode(ByteBuffer.wrap(Files.readAllBytes(jpeg)));
            assertEquals(2, picture.scale());
            PdqPixels p = picture.pixels();
            assertEquals(PixelLayout.GREY, p.layout());
            assertEquals(512, p.width());
            int differ = 0;
            for (int y = 0; y < 512; y++) {
                for (int x = 0; x < 512; x++) {
                    int want = oracle[at + (int) ((long) y * h / 512) * w + (int) ((long) x * w / 512)] & 0xFF;
                    if ((p.data()[p.offset() + y * p.rowStride() + x] & 0xFF) != want) differ++;
                }
            }
            assertEquals(0, differ, "sampled pixels unlike djpeg -grayscale's");
        }
    }

    @Test
    void aColourJpegAtFullSizeKeepsItsColours() throws Exception {
        Path jpeg = tmp.resolve("small.jpg");
        exec("convert", "-seed", "7", "-size", "600x500", "plasma:red-blue", "-quality", "90", jpeg.toString());
        try (PictureDecoder decoder = PictureDecoders.create()) {
            DecodedPicture picture = decoder.decode(ByteBuffer.wrap(Files.readAllBytes(jpeg)));
            assertEquals(1, picture.scale());
            assertEquals(PixelLayout.BGR, picture.pixels().layout());
        }
    }

    private static void exec(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) throw new IOException(String.join(" ", cmd) + " failed");
    }
}
