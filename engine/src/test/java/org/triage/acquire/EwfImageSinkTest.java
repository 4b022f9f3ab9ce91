package org.triage.acquire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.triage.fixture.Shell;

/**
 * Chunks stored raw without spending zlib on them (the {@link CompressionProbe}), judged by
 * ewf-tools and zlib, never by our own reading: a source of random, text, zero, high-entropy but
 * slightly compressible, and repeated-random regions (32 KiB-aligned, so each chunk is of one
 * kind) with a partial last chunk of random bytes. The E01 must pass ewfverify (which checks the
 * Adler-32 of every raw chunk), export to the source, store md5sum's and sha1sum's digests, be no
 * bigger than ewfacquire -c fast's image of the same source (beyond the headers), and have skipped
 * zlib on exactly the chunks zlib -1 cannot shrink.
 */
class EwfImageSinkTest {
    private static final int CHUNK = 32 * 1024;
    @TempDir
    static Path dir;
    static Path source;

    @BeforeAll
    static void build() throws IOException {
        source = dir.resolve("mixed.raw");
        SplittableRandom rnd = new SplittableRandom(14);
        byte[] line = "a line of text that compresses well, 0123456789\n".getBytes(StandardCharsets.US_ASCII);
        try (OutputStream out = Files.newOutputStream(source)) {
            out.write(bytes(2 << 20, i -> (byte) rnd.nextInt(256)));          // random: raw
            out.write(bytes(1 << 20, i -> line[i % line.length]));            // text
            out.write(new byte[1 << 20]);                                       // zeros
            out.write(bytes(1 << 20, i -> (byte) rnd.nextInt(240)));          // 7.9 bits a byte: zlib saves ~0.7%
            byte[] block = bytes(4096, i -> (byte) rnd.nextInt(256));
            out.write(bytes(1 << 20, i -> block[i % block.length]));          // uniform bytes, repeats
            out.write(bytes(1536, i -> (byte) rnd.nextInt(256)));             // partial last chunk, random
        }
    }

    private interface ByteAt {
        byte at(int i);
    }

    private static byte[] bytes(int n, ByteAt f) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = f.at(i);
        return b;
    }

    static String sh(String script) throws IOException, InterruptedException {
        return new Shell(dir).run(script);
    }

    /** Chunks of the source that zlib level 1 does not make smaller: those libewf stores raw. */
    private static long chunksZlibCannotShrink() throws IOException {
        byte[] all = Files.readAllBytes(source);
        byte[] out = new byte[2 * CHUNK + 64];
        long n = 0;
        for (int off = 0; off < all.length; off += CHUNK) {
            int len = Math.min(CHUNK, all.length - off);
            Deflater d = new Deflater(1);
            d.setInput(all, off, len);
            d.finish();
            int size = 0;
            while (!d.finished()) size += d.deflate(out, size, out.length - size);
            d.end();
            if (size >= len) n++;
        }
        return n;
    }

    private static long segmentsSize(String base) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(base + ".E")).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    @Test
    void randomChunksAreStoredRawAsLibewfStoresThemAndTheImageStaysAsSmall() throws Exception {
        EwfImageSink e01;
        try (Acquisition a = Acquisition.open(source)) {
            MediaDigests d = new MediaDigests();
            e01 = EwfImageSink.create(dir.resolve("t").toString(), a.size(), a.sectorSize(), Compression.FAST, 0,
                    new AcquisitionMetadata("C", "E", "N", "D", ""), "triage", "test", d, 2);
            assertTrue(a.run(List.of(d, e01)).complete());
        }
        String verify = sh("ewfverify -q t.E01");
        assertTrue(verify.contains("SUCCESS"), verify);
        sh("ewfexport -q -u -t exported -f raw -o 0 t.E01 >/dev/null && cmp exported.raw mixed.raw");
        String info = sh("ewfinfo t.E01");
        assertTrue(info.contains(sh("md5sum mixed.raw").split("\\s+")[0]), info);
        assertTrue(info.contains(sh("sha1sum mixed.raw").split("\\s+")[0]), info);

        long expectedRaw = chunksZlibCannotShrink();
        assertEquals(2 * 32 + 1, expectedRaw, "the random regions, as zlib judges the source");
        assertEquals(expectedRaw, e01.chunksStoredRaw(), "zlib skipped on exactly the chunks it cannot shrink");

        sh("ewfacquire -u -q -c fast -t ewf mixed.raw >/dev/null");
        long ours = segmentsSize("t");
        long theirs = segmentsSize("ewf");
        assertTrue(ours <= theirs + 8192, "image " + ours + " bytes, ewfacquire -c fast's " + theirs);
    }
}
