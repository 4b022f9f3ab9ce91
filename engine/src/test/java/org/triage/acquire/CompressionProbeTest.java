package org.triage.acquire;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;

/**
 * The probe's verdicts judged by zlib itself at level 1 ({@link Deflater}, what libewf calls for
 * -c fast): a chunk zlib shrinks by a measurable amount must be compressed, and a chunk zlib
 * cannot shrink should be stored without spending zlib on it (that is the point of the probe).
 */
class CompressionProbeTest {
    private static final int CHUNK = 32 * 1024;
    private final CompressionProbe probe = new CompressionProbe();
    private final SplittableRandom rnd = new SplittableRandom(7);

    /** zlib level 1's saving on {@code b}, as a fraction of its size (negative when it grows). */
    private static double zlibSaving(byte[] b) {
        Deflater d = new Deflater(1);
        try {
            d.setInput(b);
            d.finish();
            byte[] out = new byte[2 * b.length + 64];
            int n = 0;
            while (!d.finished()) n += d.deflate(out, n, out.length - n);
            return 1.0 - (double) n / b.length;
        } finally {
            d.end();
        }
    }

    private boolean verdict(byte[] b) {
        // A direct buffer, as the E01 chunks are (native memory libewf reads).
        ByteBuffer direct = ByteBuffer.allocateDirect(b.length).put(b).flip();
        return probe.worthCompressing(direct, b.length);
    }

    private byte[] random(int bound) {
        byte[] b = new byte[CHUNK];
        for (int i = 0; i < b.length; i++) b[i] = (byte) rnd.nextInt(bound);
        return b;
    }

    /** Judges one chunk against zlib: the verdict must agree wherever zlib's answer is clear. */
    private void judge(String what, byte[] b) {
        double saving = zlibSaving(b);
        boolean compress = verdict(b);
        if (saving >= 0.005) assertTrue(compress, what + ": zlib -1 saves " + saving + " but the probe says store it raw");
        if (saving <= 0) assertFalse(compress, what + ": zlib -1 cannot shrink it (" + saving + ") but the probe says compress");
    }

    @Test
    void randomChunksAreStoredWithoutCompressing() {
        for (int i = 0; i < 20; i++) judge("random chunk " + i, random(256));
    }

    @Test
    void compressibleChunksAreCompressed() {
        judge("zeros", new byte[CHUNK]);
        byte[] text = new byte[CHUNK];
        byte[] line = "the quick brown fox jumps over the lazy dog; 0123456789\n".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < CHUNK; i++) text[i] = line[i % line.length];
        judge("text", text);
        byte[] half = random(256);
        java.util.Arrays.fill(half, CHUNK / 2, CHUNK, (byte) 0);
        judge("half random, half zeros", half);
        byte[] randomHead = random(256);
        System.arraycopy(text, 4096, randomHead, 4096, CHUNK - 4096);
        judge("4 KiB random, then text", randomHead);
        byte[] textHead = random(256);
        System.arraycopy(text, 0, textHead, 0, 4096);
        judge("4 KiB text, then random", textHead);
    }

    @Test
    void highEntropyButSlightlyCompressibleChunksAreCompressed() {
        // Bytes of 240 values of 256: 7.9 bits a byte, which zlib's Huffman codes shrink by ~0.7%.
        judge("240-value random", random(240));
        judge("200-value random", random(200));
    }

    @Test
    void repeatsInsideARandomChunkAreFound() {
        // A uniform byte histogram, yet deflate's matches halve it: 4 KiB of random bytes, 8 times;
        // and a chunk of random 512-byte sectors where every other sector repeats the one before.
        byte[] block = random(256);
        for (int i = 4096; i < CHUNK; i++) block[i] = block[i % 4096];
        judge("a 4 KiB random block repeated", block);
        byte[] sectors = random(256);
        for (int s = 512; s < CHUNK; s += 1024) System.arraycopy(sectors, s - 512, sectors, s, 512);
        judge("repeated sectors", sectors);
    }

    @Test
    void aPartialLastChunkIsJudgedByItsOwnLength() {
        byte[] tail = new byte[1536];
        for (int i = 0; i < tail.length; i++) tail[i] = (byte) rnd.nextInt(256);
        ByteBuffer direct = ByteBuffer.allocateDirect(CHUNK).put(tail).put(new byte[CHUNK - tail.length]).flip();
        // The zeros after the length are not the chunk's: judged on its 1536 random bytes, raw.
        assertFalse(probe.worthCompressing(direct, tail.length), "1536 random bytes (zlib saving " + zlibSaving(tail) + ")");
    }
}
