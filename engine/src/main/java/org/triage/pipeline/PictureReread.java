package org.triage.pipeline;

import com.sun.jna.Pointer;
import java.io.IOException;
import java.util.Arrays;
import org.triage.hash.ChunkDigest;
import org.triage.model.PictureHash;
import org.triage.source.ContentReader;
import org.triage.source.Source;

/**
 * Reads a picture of the evidence item a second time for the PDQ stage, after the item's crypto
 * pass ({@link PdqStage} says why). Read-only like every read, through the item's own source, in
 * the pool's buffers (idle by then); the bytes must give the digest of the first read, or the
 * picture is recorded as changed in between rather than hashed.
 *
 * <p>Threading: the scan thread, one picture at a time; waits for room in the stage's budget.
 */
final class PictureReread {
    private final Source source;
    private final PdqStage stage;
    private final BufferPool pool;

    PictureReread(Source source, PdqStage stage, BufferPool pool) {
        this.source = source;
        this.stage = stage;
        this.pool = pool;
    }

    void read(PictureLedger.Deferred d) throws InterruptedException {
        long size = d.size();
        if (size > stage.settings().maxPicture()) {
            stage.post(d.key(), PictureHash.failed("not decoded: " + size + " bytes is over the limit of "
                    + stage.settings().maxPicture() + " for a picture"));
            return;
        }
        stage.budget().reserve(size);
        byte[] bytes = new byte[(int) size];
        String problem;
        try {
            problem = fill(d, bytes);
        } catch (IOException | RuntimeException e) {
            problem = "not PDQ-hashed: its second read failed: " + (e.getMessage() == null ? e.toString() : e.getMessage());
        }
        if (problem != null) {
            stage.budget().release(size, false);
            stage.post(d.key(), PictureHash.failed(problem));
            return;
        }
        stage.submit(new PdqStage.Work(d.key(), bytes, bytes.length, size));
    }

    /** Reads the file into {@code bytes}; null when it has the first read's size and digest, else why not. */
    private String fill(PictureLedger.Deferred d, byte[] bytes) throws IOException, InterruptedException {
        ChunkDigest digest = ChunkDigest.of(d.algorithm());
        Pointer buf = pool.take();
        long total = 0;
        try (ContentReader in = source.open(d.entry())) {
            while (true) {
                int n = in.read(buf, pool.size());
                if (n < 0) break;
                if (n == 0) continue;
                if (total + n > bytes.length) return "not PDQ-hashed: it grew between the crypto pass and its second read";
                buf.read(0, bytes, (int) total, n);
                digest.update(buf, n);
                total += n;
            }
        } finally {
            pool.give(buf);
        }
        if (total != bytes.length || !Arrays.equals(digest.finish(), d.key().array())) {
            return "not PDQ-hashed: it changed between the crypto pass and its second read";
        }
        return null;
    }
}
