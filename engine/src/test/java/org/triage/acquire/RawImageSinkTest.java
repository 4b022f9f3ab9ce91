package org.triage.acquire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.triage.fixture.Shell;

/**
 * The raw copy equals its source byte for byte (oracle: cmp) whatever the alignment of the pieces
 * handed to it, of the segment size and of the source's size, written around the page cache or
 * through it.
 */
class RawImageSinkTest {
    @TempDir
    Path dir;

    @Test
    void unalignedPiecesSegmentsAndSizesGiveTheSourceBack() throws Exception {
        int size = 3 * (8 << 20) + 12_345;
        byte[] source = new byte[size];
        new SplittableRandom(7).nextBytes(source);
        Files.write(dir.resolve("source.raw"), source);
        Shell sh = new Shell(dir);
        for (boolean direct : new boolean[] {true, false}) {
            for (long segment : new long[] {0, 1_000_000, 4 << 20}) {
                String name = "copy-" + direct + "-" + segment + ".raw";
                RawImageSink sink = RawImageSink.create(dir.resolve(name), segment, direct);
                ByteBuffer all = ByteBuffer.allocateDirect(size).put(source).flip();
                long offset = 0;
                while (offset < size) {
                    int n = (int) Math.min((1 << 20) + 7, size - offset);
                    sink.accept(offset, all.slice((int) offset, n).asReadOnlyBuffer());
                    offset += n;
                }
                sink.finish(true);
                String parts = segment == 0 ? name : name + ".0*";
                sh.run("cat " + parts + " | cmp - source.raw");
                int expected = segment == 0 ? 1 : (int) ((size + segment - 1) / segment);
                assertEquals(expected, sink.files().size(), name);
                if (!direct) assertEquals(0, sink.bytesDirect(), name);
            }
        }
    }
}
