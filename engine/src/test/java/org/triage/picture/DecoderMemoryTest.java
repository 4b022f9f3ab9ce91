package org.triage.picture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.triage.ChildJvm;
import org.triage.Oracle;
import org.triage.pdq.MagickPixels;

/**
 * Memory is bounded whatever a picture claims: pictures far over the limits, and small files that
 * claim to be huge, decoded in a child JVM whose heap is 512 MiB. Each is decoded at a reduced
 * scale or refused with a reason, and the child never throws anything else (an OutOfMemoryError
 * first of all). The PNG and GIF files are written here byte by byte after their specifications;
 * the JPEG, WebP and HEIF bombs are real small files from cjpeg's libjpeg (through ImageMagick),
 * cwebp and heif-enc with the size fields of their headers patched.
 */
class DecoderMemoryTest {
    @TempDir
    static Path dir;
    private static Map<String, String[]> results;

    @BeforeAll
    static void decodeInAChildJvm() throws Exception {
        MagickPixels.requireConvert();
        List<String> files = new ArrayList<>();
        // a real 30,000 x 30,000 grey PNG (900 M pixels, under the 1 G claim limit): decoded subsampled
        files.add(png("huge-30000.png", 30000, 30000, 0, 30000, Deflater.BEST_SPEED).toString());
        // a decompression bomb: 20,000 x 20,000 RGB claimed, the data of 10 rows
        files.add(png("bomb-20000.png", 20000, 20000, 2, 10, Deflater.BEST_COMPRESSION).toString());
        // 65,535 x 65,535 claimed (4 G pixels): refused from the header
        files.add(png("claims-4g.png", 65535, 65535, 2, 1, Deflater.BEST_COMPRESSION).toString());
        files.add(gif("bomb-30000.gif", 30000, 30000).toString());
        files.add(gif("claims-4g.gif", 65535, 65535).toString());
        Path small = dir.resolve("small.png");
        Oracle.run(dir, MagickPixels.CONVERT.toString(), "-seed", "9", "-size", "64x64", "plasma:", "-depth", "8", small.toString());
        files.add(jpeg("bomb-30000.jpg", small, false, 30000, 30000).toString());
        files.add(jpeg("bomb-30000-progressive.jpg", small, true, 30000, 30000).toString());
        files.add(jpeg("claims-4g.jpg", small, false, 65500, 65500).toString()); // JPEG's largest side
        files.add(webp("bomb-16383.webp", small, 16383, 16383).toString());
        files.add(tiff("bomb-30000.tif", small, 30000, 30000).toString());
        files.add(tiff("claims-4g.tif", small, 65535, 65535).toString());
        files.add(heif("bomb-20000.heic", small, 20000, 20000).toString());
        files.add(heif("claims-4g.heic", small, 65535, 65535).toString());

        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", ChildJvm.classPath(), DecodeInChild.class.getName()));
        command.addAll(files);
        Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        child.getInputStream().transferTo(out);
        assertTrue(child.waitFor(10, TimeUnit.MINUTES), "the child JVM did not finish");
        String text = out.toString(StandardCharsets.UTF_8);
        System.out.println("Decoded under -Xmx512m:\n" + text);
        assertEquals(0, child.exitValue(), "the child JVM's exit status (3: something other than a PictureException was thrown)\n" + text);
        results = new HashMap<>();
        for (String line : text.split("\n")) {
            String[] f = line.split("\t");
            results.put(f[0], f);
        }
        assertEquals(files.size(), results.size(), "one line per file:\n" + text);
    }

    private static String[] result(String name) {
        return results.get(name);
    }

    private static void assertRefused(String name, String because) {
        String[] r = result(name);
        assertEquals("refused", r[1], name + ": " + String.join(" ", r));
        assertTrue(r[2].contains(because), name + ": the reason should say '" + because + "': " + r[2]);
    }

    @Test
    void aThirtyThousandPixelSquarePngIsDecodedSubsampled() {
        String[] r = result("huge-30000.png");
        assertEquals("decoded", r[1], String.join(" ", r));
        assertEquals("30000x30000", r[3]);
        assertTrue(!r[4].equals("1/1"), "decoded at full size: " + r[4]);
    }

    @Test
    void decompressionBombsAreRefusedWithAReason() {
        assertRefused("bomb-20000.png", "decompression bomb");
        assertRefused("bomb-30000.gif", "decompression bomb");
        assertRefused("bomb-30000.jpg", "truncated JPEG");
        assertRefused("bomb-30000-progressive.jpg", "JPEGMEM");
        assertRefused("bomb-16383.webp", "WEBP");
        assertRefused("bomb-30000.tif", "TIFF");
        assertRefused("bomb-20000.heic", "over the raster limit");
    }

    @Test
    void headersClaimingFourGigapixelsAreRefusedBeforeDecoding() {
        for (String name : new String[] {"claims-4g.png", "claims-4g.gif", "claims-4g.jpg", "claims-4g.tif"}) {
            assertRefused(name, "over the limit of " + PictureDecoders.MAX_PIXELS);
        }
        // libheif has its own limit, 32,768 a side, checked before ours
        assertRefused("claims-4g.heic", "exceeds the maximum image size");
    }

    /** A PNG (after the W3C specification): colour type 0 (grey) or 2 (RGB), 8 bits, {@code rows} rows of zeros in the IDAT. */
    private static Path png(String name, int width, int height, int colourType, int rows, int level) throws IOException {
        Path file = dir.resolve(name);
        try (OutputStream raw = Files.newOutputStream(file); DataOutputStream out = new DataOutputStream(raw)) {
            out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
            ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) colourType)
                    .put((byte) 0).put((byte) 0).put((byte) 0);
            chunk(out, "IHDR", ihdr.array());
            ByteArrayOutputStream idat = new ByteArrayOutputStream();
            byte[] row = new byte[1 + width * (colourType == 2 ? 3 : 1)]; // filter byte 0, then black
            try (DeflaterOutputStream z = new DeflaterOutputStream(idat, new Deflater(level), 1 << 16)) {
                for (int y = 0; y < rows; y++) z.write(row);
            }
            chunk(out, "IDAT", idat.toByteArray());
            chunk(out, "IEND", new byte[0]);
        }
        return file;
    }

    private static void chunk(DataOutputStream out, String type, byte[] data) throws IOException {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.writeInt(data.length);
        out.write(t);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeInt((int) crc.getValue());
    }

    /** A GIF89a (after its specification) whose screen and one image claim the size, with a few bytes of LZW data. */
    private static Path gif(String name, int width, int height) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        b.put("GIF89a".getBytes(StandardCharsets.US_ASCII)).putShort((short) width).putShort((short) height)
                .put((byte) 0x80).put((byte) 0).put((byte) 0); // a global table of 2 colours
        b.put(new byte[] {0, 0, 0, (byte) 255, (byte) 255, (byte) 255});
        b.put((byte) 0x2C).putShort((short) 0).putShort((short) 0).putShort((short) width).putShort((short) height).put((byte) 0);
        b.put((byte) 2).put((byte) 2).put((byte) 0x4C).put((byte) 0x01).put((byte) 0).put((byte) 0x3B);
        Path file = dir.resolve(name);
        Files.write(file, java.util.Arrays.copyOf(b.array(), b.position()));
        return file;
    }

    /** A small JPEG whose SOF marker claims {@code width} x {@code height}. */
    private static Path jpeg(String name, Path source, boolean progressive, int width, int height) throws Exception {
        Path file = dir.resolve(name);
        List<String> command = new ArrayList<>(List.of(MagickPixels.CONVERT.toString(), source.toString(), "-quality", "90"));
        if (progressive) command.addAll(List.of("-interlace", "Plane"));
        command.add(file.toString());
        Oracle.run(dir, command.toArray(String[]::new));
        byte[] b = Files.readAllBytes(file);
        int i = 2;
        while (!((b[i + 1] & 0xFF) >= 0xC0 && (b[i + 1] & 0xFF) <= 0xC2)) i += 2 + ((b[i + 2] & 0xFF) << 8 | (b[i + 3] & 0xFF));
        // FF Cn, length (2), precision (1), height (2), width (2)
        b[i + 5] = (byte) (height >> 8);
        b[i + 6] = (byte) height;
        b[i + 7] = (byte) (width >> 8);
        b[i + 8] = (byte) width;
        Files.write(file, b);
        return file;
    }

    /** A small lossy WebP whose VP8 frame header claims the size (14 bits a side, at bytes 26 and 28). */
    private static Path webp(String name, Path source, int width, int height) throws Exception {
        Path file = dir.resolve(name);
        Oracle.run(dir, "cwebp", "-quiet", "-q", "80", source.toString(), "-o", file.toString());
        byte[] b = Files.readAllBytes(file);
        assertEquals("VP8 ", new String(b, 12, 4, StandardCharsets.US_ASCII), "a simple lossy WebP");
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putShort(26, (short) width).putShort(28, (short) height);
        Files.write(file, b);
        return file;
    }

    /**
     * A small LZW TIFF (ImageMagick writes it little-endian) whose first IFD's ImageWidth (256) and
     * ImageLength (257) claim the size; the strips stay those of 64 x 64 pixels.
     */
    private static Path tiff(String name, Path source, int width, int height) throws Exception {
        Path file = dir.resolve(name);
        Oracle.run(dir, MagickPixels.CONVERT.toString(), source.toString(), "-compress", "lzw", file.toString());
        byte[] b = Files.readAllBytes(file);
        ByteBuffer t = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals('I', b[0], "a little-endian TIFF");
        int ifd = t.getInt(4);
        int entries = t.getShort(ifd) & 0xFFFF;
        int patched = 0;
        for (int e = 0; e < entries; e++) {
            int at = ifd + 2 + 12 * e;
            int tag = t.getShort(at) & 0xFFFF;
            if (tag != 256 && tag != 257) continue;
            int value = tag == 256 ? width : height;
            // type 3 (SHORT) or 4 (LONG), one value, kept in the entry itself
            if (t.getShort(at + 2) == 3) t.putShort(at + 8, (short) value);
            else t.putInt(at + 8, value);
            patched++;
        }
        assertEquals(2, patched, "ImageWidth and ImageLength in " + file);
        Files.write(file, b);
        return file;
    }

    /** A small HEIC whose every {@code ispe} (image spatial extents) property claims the size. */
    private static Path heif(String name, Path source, int width, int height) throws Exception {
        Path file = dir.resolve(name);
        Oracle.run(dir, "heif-enc", "-q", "80", source.toString(), "-o", file.toString());
        byte[] b = Files.readAllBytes(file);
        int patched = 0;
        for (int i = 0; i + 16 <= b.length; i++) {
            if (b[i] == 'i' && b[i + 1] == 's' && b[i + 2] == 'p' && b[i + 3] == 'e') {
                // 'ispe', version and flags (4), width (4), height (4), big-endian
                ByteBuffer.wrap(b).putInt(i + 8, width).putInt(i + 12, height);
                patched++;
            }
        }
        assertTrue(patched > 0, "no ispe box in " + file);
        Files.write(file, b);
        return file;
    }
}
