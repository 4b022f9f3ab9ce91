package org.triage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.triage.model.PictureHash;
import org.triage.pdq.PdqHasher;
import org.triage.pdq.PdqResult;
import org.triage.picture.DecodedPicture;
import org.triage.picture.PictureDecoder;
import org.triage.picture.PictureDecoders;
import org.triage.picture.PictureException;

/**
 * One picture file's PDQ hash, decoded and hashed exactly as the scan's PDQ stage does it (same
 * decoders, same limits), for a lab building a PDQ set from its own known pictures and for the demo.
 * Not for evidence in bulk: a scan with PDQ on does that with its own threads and queue.
 */
final class PictureFile {
    /** The scan's default: a picture file larger than this is not decoded. */
    static final long MAX_BYTES = 64L << 20;

    private PictureFile() {
    }

    static PictureHash pdqOf(Path file) throws IOException {
        long size = Files.size(file);
        if (size > MAX_BYTES) {
            return PictureHash.failed("not decoded: " + size + " bytes is over the limit of " + MAX_BYTES + " for a picture");
        }
        byte[] bytes;
        // Files.newInputStream opens for reading only: the file may be evidence.
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes((int) MAX_BYTES + 1);
        }
        try (PictureDecoder decoder = PictureDecoders.create()) {
            DecodedPicture picture = decoder.decode(ByteBuffer.wrap(bytes));
            PdqResult r = new PdqHasher().hash(picture.pixels());
            return PictureHash.hashed(r.hash(), r.quality(), List.of());
        } catch (PictureException e) {
            return PictureHash.failed(e.getMessage());
        }
    }
}
