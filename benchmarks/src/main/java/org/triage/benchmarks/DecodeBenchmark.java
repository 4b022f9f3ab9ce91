package org.triage.benchmarks;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.triage.pdq.PdqHasher;
import org.triage.pdq.PdqResult;
import org.triage.picture.DecodedPicture;
import org.triage.picture.PictureDecoder;
import org.triage.picture.PictureDecoders;
import org.triage.picture.PictureException;

/**
 * The JPEG decoders PDQ could use, on one thread, on the same generated photos (4:2:0, quality
 * 90, as cameras and phones write them) of 0.3, 2 and 12 megapixels: TwelveMonkeys' ImageIO reader,
 * libjpeg-turbo through TurboJPEG at full size, and TurboJPEG at the DCT scale the scan uses (the
 * smallest of 1/8, 1/4, 1/2 still at least 512 a side). {@code decodeAndHash} adds the PDQ hash of
 * what was decoded, the whole per-picture cost of the PDQ stage but reading the file.
 *
 * <p>The machine is shared, so beside the wall time each benchmark counts the thread's own CPU
 * time ({@link CpuTime}: {@code cpuMicros / ops} is CPU microseconds a picture, native decoding
 * included, as it runs on the calling thread), which other processes' load hardly moves.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DecodeBenchmark {
    @Param({"640x480", "1632x1224", "4032x3024"})
    public String size;

    @Param({"IMAGEIO", "TURBOJPEG_FULL", "TURBOJPEG_SCALED"})
    public String decoder;

    private ByteBuffer jpeg;
    private PictureDecoder pictures;
    private final PdqHasher hasher = new PdqHasher();

    @Setup
    public void setUp() throws IOException {
        String[] wh = size.split("x");
        jpeg = ByteBuffer.wrap(photo(Integer.parseInt(wh[0]), Integer.parseInt(wh[1])));
        pictures = PictureDecoders.jpeg(PictureDecoders.JpegCandidate.valueOf(decoder));
    }

    @TearDown
    public void tearDown() {
        pictures.close();
    }

    /**
     * Writes the benchmark's three photos into the directory named by the argument, to time other
     * decoders (djpeg, the decode-only limit of issue 12) on the very same files.
     */
    public static void main(String[] args) throws IOException {
        java.nio.file.Path dir = java.nio.file.Path.of(args[0]);
        for (String size : new String[] {"640x480", "1632x1224", "4032x3024"}) {
            String[] wh = size.split("x");
            java.nio.file.Files.write(dir.resolve(size + ".jpg"), photo(Integer.parseInt(wh[0]), Integer.parseInt(wh[1])));
        }
    }

    /** Smooth colour gradients with noise, encoded by the JDK's JPEG writer (quality 90, 4:2:0). */
    static byte[] photo(int w, int h) throws IOException {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        byte[] bgr = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        Random random = new Random(42);
        for (int y = 0, o = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double u = (double) x / w;
                double v = (double) y / h;
                bgr[o++] = (byte) clamp(128 + 80 * Math.sin(11 * u * v * 7) + random.nextInt(24));
                bgr[o++] = (byte) clamp(128 + 90 * Math.cos(25 * v - 12 * u) + random.nextInt(24));
                bgr[o++] = (byte) clamp(128 + 100 * Math.sin(37 * u + 13 * v) + random.nextInt(24));
            }
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(stream);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(0.9f);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, v));
    }

    /** CPU time of the benchmark's thread in the measured calls, and how many calls: JMH prints both totals. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class CpuTime {
        private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
        public long cpuMicros;
        public long ops;
        private long start;

        @Setup(Level.Iteration)
        public void reset() {
            cpuMicros = 0;
            ops = 0;
        }

        void begin() {
            start = THREADS.getCurrentThreadCpuTime();
        }

        void end() {
            cpuMicros += (THREADS.getCurrentThreadCpuTime() - start) / 1000;
            ops++;
        }
    }

    @Benchmark
    public DecodedPicture decode(CpuTime cpu) throws PictureException {
        cpu.begin();
        DecodedPicture picture = pictures.decode(jpeg);
        cpu.end();
        return picture;
    }

    @Benchmark
    public PdqResult decodeAndHash(CpuTime cpu) throws PictureException {
        cpu.begin();
        PdqResult result = hasher.hash(pictures.decode(jpeg).pixels());
        cpu.end();
        return result;
    }
}
