package org.triage.acquire;

import com.sun.jna.Native;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.triage.source.EvidenceFile;

/**
 * A block device or a raw image file, opened read-only ({@link EvidenceFile}: O_RDONLY, never a
 * flag that could write) and read with {@code pread} straight into the acquisition's buffer.
 */
final class DeviceReader implements MediaReader {
    private final EvidenceFile file;
    private final int sectorSize;

    private DeviceReader(EvidenceFile file, int sectorSize) {
        this.file = file;
        this.sectorSize = sectorSize;
    }

    /**
     * Opens {@code path} read-only; a block device's sector size is its logical block size.
     *
     * @throws IOException naming the source and the reason
     */
    static DeviceReader open(Path path, SourceIdentity identity) throws IOException {
        EvidenceFile f = EvidenceFile.open(path.toString());
        int sector = identity.blockDevice() ? logicalBlockSize(identity.rdev()) : 512;
        return new DeviceReader(f, sector);
    }

    /** The kernel's logical block size of a block device (a partition asks its disk), else 512. */
    private static int logicalBlockSize(long rdev) {
        Path dev = Path.of("/sys/dev/block", SourceIdentity.majorMinor(rdev));
        for (Path q : new Path[] {dev.resolve("queue/logical_block_size"), dev.resolve("../queue/logical_block_size")}) {
            try {
                int n = Integer.parseInt(Files.readString(q).trim());
                if (n > 0 && Integer.bitCount(n) == 1) return n;
            } catch (IOException | NumberFormatException e) {
                // not this one: a partition has no queue directory of its own
            }
        }
        return 512;
    }

    @Override
    public String name() { return file.path(); }

    @Override
    public long size() { return file.size(); }

    @Override
    public int sectorSize() { return sectorSize; }

    @Override
    public void read(long offset, ByteBuffer into) throws IOException {
        int len = into.remaining();
        long n = file.read(offset, Native.getDirectBufferPointer(into).share(into.position()), len);
        if (n < len) {
            throw new IOException(file.path() + ": " + (len - n) + " bytes missing at offset " + (offset + n)
                    + ": the source ended before its size");
        }
        into.position(into.limit());
    }

    @Override
    public void close() { file.close(); }
}
