package org.triage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.triage.model.EntryType;
import org.triage.source.ContentReader;
import org.triage.source.SourceEntry;
import org.triage.source.TskImageSource;

/**
 * What reading every live file of a disk image costs in one order, for {@code triage bench}: the
 * head's travel over the runs read (summed distance between the end of one run and the start of
 * the next) and the read rate. Directory order is the order a filesystem lists its files; disk order
 * is the order a scan reads them (by first block).
 *
 * @param seekBytes summed distance between consecutive runs, in bytes
 * @param runs      contiguous runs read
 * @param files     live regular files read
 * @param bytes     content bytes read
 * @param seconds   time spent reading
 */
public record ReadOrder(long seekBytes, long runs, long files, long bytes, double seconds) {

    /** Content bytes per second, in MB/s (10^6 bytes). */
    public double megabytesPerSecond() {
        return seconds > 0 ? bytes / seconds / 1e6 : 0;
    }

    /**
     * Lists a raw image's files, then reads each live regular file whole, one after another, on the
     * calling thread, in directory order or in disk order.
     *
     * @throws IOException when the image cannot be opened
     */
    static ReadOrder measure(Path image, boolean diskOrder) throws IOException {
        try (TskImageSource s = TskImageSource.open(image.toString(), null, diskOrder)) {
            List<SourceEntry> entries = new ArrayList<>();
            s.walk(entries::add);
            long head = 0;
            long seek = 0;
            long runs = 0;
            long bytes = 0;
            long files = 0;
            byte[] buf = new byte[1 << 20];
            long t0 = System.nanoTime();
            for (SourceEntry e : entries) {
                if (e.type() != EntryType.FILE || e.details().deleted()) continue;
                files++;
                for (long[] run : s.runs(e)) {
                    seek += Math.abs(run[0] - head);
                    head = run[0] + run[1];
                    runs++;
                }
                try (ContentReader in = s.open(e)) {
                    for (int n; (n = in.read(buf, 0, buf.length)) >= 0; ) bytes += n;
                }
            }
            return new ReadOrder(seek, runs, files, bytes, (System.nanoTime() - t0) / 1e9);
        }
    }
}
