package org.triage.hash;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Memory;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.triage.model.Algorithm;

/**
 * Both digest implementations (OpenSSL's, the JVM's fallback) against published test vectors and
 * against {@link MessageDigest} over the same bytes fed in uneven chunks.
 */
class ChunkDigestTest {
    private static final HexFormat HEX = HexFormat.of();

    private static List<Function<Algorithm, ChunkDigest>> implementations() {
        assertTrue(OpenSsl.available(), "libcrypto.so.3 (Debian package libssl3) is installed on test machines");
        return List.of(OpenSslDigest::new, JcaDigest::new);
    }

    @Test
    void publishedVectors() {
        // RFC 1321, RFC 3174 and FIPS 180-2 examples for "abc", and the empty message.
        String[][] vectors = {
                {"MD5", "", "d41d8cd98f00b204e9800998ecf8427e"},
                {"MD5", "abc", "900150983cd24fb0d6963f7d28e17f72"},
                {"SHA1", "abc", "a9993e364706816aba3e25717850c26c9cd0d89d"},
                {"SHA1", "", "da39a3ee5e6b4b0d3255bfef95601890afd80709"},
                {"SHA256", "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
        };
        for (Function<Algorithm, ChunkDigest> make : implementations()) {
            for (String[] v : vectors) {
                ChunkDigest d = make.apply(Algorithm.valueOf(v[0]));
                byte[] text = v[1].getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                if (text.length > 0) {
                    Memory m = new Memory(text.length);
                    m.write(0, text, 0, text.length);
                    d.update(m, text.length);
                }
                assertEquals(v[2], HEX.formatHex(d.finish()), v[0] + "(\"" + v[1] + "\") by " + d.getClass().getSimpleName());
            }
        }
    }

    /**
     * What a source's verification pass feeds ({@code org.triage.source.MediaDigest}): the buffer's
     * remaining bytes, from its position, direct or on the heap (a slice, so its array offset is
     * not 0), and the buffer is consumed.
     */
    @Test
    void byteBuffersAreHashedFromTheirPositionToTheirLimit() throws Exception {
        byte[] data = new byte[100_000];
        new Random(11).nextBytes(data);
        int from = 4097, to = 91_003;
        byte[] expected = MessageDigest.getInstance("SHA-1").digest(java.util.Arrays.copyOfRange(data, from, to));
        ByteBuffer direct = ByteBuffer.allocateDirect(data.length).put(data).position(from).limit(to);
        ByteBuffer heap = ByteBuffer.wrap(data).position(7).slice().position(from - 7).limit(to - 7);
        for (Function<Algorithm, ChunkDigest> make : implementations()) {
            for (ByteBuffer b : List.of(direct.duplicate(), heap.duplicate())) {
                ChunkDigest d = make.apply(Algorithm.SHA1);
                d.update(b);
                String what = (b.isDirect() ? "direct" : "heap") + " buffer by " + d.getClass().getSimpleName();
                assertEquals(HEX.formatHex(expected), HEX.formatHex(d.finish()), what);
                assertEquals(0, b.remaining(), what + " consumed");
            }
        }
    }

    @Test
    void unevenChunksAndReuseMatchTheJvm() throws Exception {
        Random random = new Random(7);
        byte[] data = new byte[3 << 20];
        random.nextBytes(data);
        Memory native_ = new Memory(data.length);
        native_.write(0, data, 0, data.length);
        for (Function<Algorithm, ChunkDigest> make : implementations()) {
            for (Algorithm a : Algorithm.values()) {
                ChunkDigest d = make.apply(a);
                for (int stream = 0; stream < 3; stream++) { // the same object, reused
                    int length = stream == 0 ? data.length : random.nextInt(200_000);
                    for (int off = 0; off < length; ) {
                        int n = Math.min(length - off, 1 + random.nextInt(700_000));
                        d.update(native_.share(off), n);
                        off += n;
                    }
                    MessageDigest expected = MessageDigest.getInstance(a.jcaName());
                    expected.update(data, 0, length);
                    assertArrayEquals(expected.digest(), d.finish(), a + " stream " + stream + " by " + d.getClass().getSimpleName());
                }
                d.update(native_, 1000);
                d.reset();
                assertArrayEquals(MessageDigest.getInstance(a.jcaName()).digest(), d.finish(), "reset drops what was fed");
            }
        }
    }
}
