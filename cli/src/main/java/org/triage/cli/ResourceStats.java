package org.triage.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Peak heap (sum of the heap pools' peaks) and peak resident memory of this process, as JSON. */
final class ResourceStats {
    private ResourceStats() {
    }

    static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) sum += pool.getPeakUsage().getUsed();
        }
        return sum;
    }

    static void write(Path file) throws IOException {
        Path status = Path.of("/proc/self/status");
        long hwm = BenchCommand.procKb(status, "VmHWM") * 1024;
        long anon = BenchCommand.procKb(status, "RssAnon") * 1024;
        Files.writeString(file, String.format(Locale.ROOT,
                "{\"peak_heap_bytes\": %d, \"peak_rss_bytes\": %d, \"rss_anon_bytes\": %d}%n", peakHeap(), hwm, anon));
    }
}
