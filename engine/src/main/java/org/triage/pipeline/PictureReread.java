package org.triage.pipeline;

import java.io.IOException;
import java.util.Arrays;
import org.triage.hash.ChunkDigest;
import org.triage.model.PictureHash;
import org.triage.source.ContentReader;
import org.triage.source.Source;

/**
 * Reads a picture of the evidence item a second time for the PDQ stage, after the item's crypto
 * pass ({@link PdqStage} says why). Read-only like every read, through the item's own source,
 * straight into the picture's native memory ({@link PictureBytes}); the bytes must give the digest of
 * the first read, or the picture is recorded as changed in between rather than hashed.
 *
 * <p>Threading: the scan thread, one picture at a time; waits for room in the stage's budget.
 */
final class PictureReread {
    private static final int READ = 1 << 20;

    private final Source source;
    private final PdqStage stage;

    PictureReread(Source source, PdqStage stage) {
        this.source = source;
        this.stage = stage;
    }

    void read(PictureLedger.Deferred d) throws InterruptedException {
        long size = d.size();
        if (size > stage.settings().maxPicture()) {
            stage.post(d.key(), PictureHash.failed("not decoded: " + size + " bytes is over the limit of "
                    + stage.settings().maxPicture() + " for a picture"));
            return;
        }
        stage.budget().reserve(size);
        PictureBytes bytes = new PictureBytes(size);
        String problem;
        try {
            problem = fill(d, bytes);
        } catch (IOException | RuntimeException e) {
            problem = "not PDQ-hashed: its second read failed: " + (e.getMessage() == null ? e.toString() : e.getMessage());
        }
        if (problem != null) {
            bytes.close();
            stage.budget().release(size, false);
            stage.post(d.key(), PictureHash.failed(problem));
            return;
        }
        stage.submit(new PdqStage.Work(d.key(), bytes, size));
    }

    /** Reads the file into {@code bytes}; null when it has the first read's size and digest, else why not. */
    private String fill(PictureLedger.Deferred d, PictureBytes bytes) throws IOException {
        ChunkDigest digest = ChunkDigest.of(d.algorithm());
        try (ContentReader in = source.open(d.entry())) {
            while (true) {
                if (bytes.length() >= d.size()) {
                    // One byte more than the first read had means the file grew.
                    if (in.read(new byte[1], 0, 1) > 0) return "not PDQ-hashed: it grew between the crypto pass and its second read";
                    break;
                }
                int want = (int) Math.min(READ, d.size() - bytes.length());
                com.sun.jna.Pointer at = bytes.tail(want);
                int n = in.read(at, want);
                if (n < 0) break;
                if (n == 0) continue;
                digest.update(at, n);
                bytes.advance(n);
            }
        }
        if (bytes.length() != d.size() || !Arrays.equals(digest.finish(), d.key().array())) {
            return "not PDQ-hashed: it changed between the crypto pass and its second read";
        }
        return null;
    }
}
