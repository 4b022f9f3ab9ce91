package org.triage.benchmarks;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import com.sun.jna.Pointer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.triage.natives.AnonymousMemory;
import org.triage.model.EntryType;
import org.triage.source.ContentReader;
import org.triage.source.SourceEntry;
import org.triage.source.TskImageSource;

/**
 * Is the libtsk/JNA layer a bottleneck? Reads one 256 MiB file of an ext4 image (built in setup
 * with mke2fs -d, page cache warm) in 1 MiB reads three ways: {@code throughTskNative}, the scan
 * readers' path ({@link ContentReader#read(Pointer, int)}: tsk_fs_attr_read straight into native
 * memory, no copy, into a buffer like the pipeline's pool); {@code throughTsk}, the {@code byte[]} path (the same read, then a copy into a
 * Java array); and {@code fileChannelSameBytes}, a {@link FileChannel} reading exactly the same bytes
 * from the image at the file's block runs into a {@code byte[]}, the baseline.
 * Score: whole-file reads per second (multiply by 268 for MB/s). Target: within 15%.
 * Needs mke2fs (e2fsprogs) and libtsk19.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class TskReadBenchmark {
    private static final int FILE_SIZE = 256 << 20;
    private static final int CHUNK = 1 << 20;

    private Path work;
    private TskImageSource source;
    private SourceEntry entry;
    private FileChannel channel;
    private List<long[]> runs;
    private byte[] buf;
    private ByteBuffer view;
    private AnonymousMemory pool;
    private Pointer nativeBuf;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        work = Files.createTempDirectory("tsk-bench");
        Path content = Files.createDirectories(work.resolve("content"));
        byte[] block = new byte[CHUNK];
        new java.util.Random(1).nextBytes(block);
        try (FileChannel out = FileChannel.open(content.resolve("big.bin"), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            for (int i = 0; i < FILE_SIZE / CHUNK; i++) {
                block[0] = (byte) i;
                out.write(ByteBuffer.wrap(block));
            }
        }
        Path image = work.resolve("bench.img");
        Process p = new ProcessBuilder("mke2fs", "-q", "-t", "ext4", "-d", content.toString(), image.toString(), "300M")
                .inheritIO().start();
        if (p.waitFor() != 0) throw new IOException("mke2fs failed");
        Files.delete(content.resolve("big.bin"));
        source = TskImageSource.open(image.toString(), null, true);
        List<SourceEntry> entries = new ArrayList<>();
        source.walk(entries::add);
        entry = entries.stream().filter(e -> e.type() == EntryType.FILE && e.path().display().equals("big.bin"))
                .findFirst().orElseThrow();
        runs = source.runs(entry);
        channel = FileChannel.open(image, StandardOpenOption.READ);
        buf = new byte[CHUNK];
        view = ByteBuffer.wrap(buf);
        // The readers' kind of buffer: the scan's pool is one 2 MiB-aligned mapping offered for huge
        // pages (AnonymousMemory); 2 MiB so that the advice covers it. A malloc'd JNA Memory reused
        // for every file read at a third of this rate (7 against 21 files/s, 2026-12-01, load 2 to 4).
        pool = AnonymousMemory.allocate(2L << 20);
        nativeBuf = pool.start();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        channel.close();
        pool.close();
        source.close();
        try (var s = Files.walk(work)) {
            for (Path f : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(f);
        }
    }

    @Benchmark
    public long throughTskNative() throws IOException {
        long total = 0;
        try (ContentReader in = source.open(entry)) {
            for (int n; (n = in.read(nativeBuf, CHUNK)) >= 0; ) total += n + nativeBuf.getByte(0);
        }
        return total;
    }

    @Benchmark
    public long throughTsk() throws IOException {
        long total = 0;
        try (ContentReader in = source.open(entry)) {
            for (int n; (n = in.read(buf, 0, CHUNK)) >= 0; ) total += n + buf[0];
        }
        return total;
    }

    @Benchmark
    public long fileChannelSameBytes() throws IOException {
        long total = 0;
        for (long[] run : runs) {
            long pos = run[0];
            long end = run[0] + run[1];
            while (pos < end) {
                view.clear().limit((int) Math.min(CHUNK, end - pos));
                int n = channel.read(view, pos);
                if (n < 0) break;
                pos += n;
                total += n + buf[0];
            }
        }
        return total;
    }
}
