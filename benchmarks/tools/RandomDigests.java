import java.io.*;
import java.util.SplittableRandom;
/** Writes N lines of 32 random lower-case hex digits (seeded): the import benchmark's input. Run as a single-file program. */
public class RandomDigests {
    public static void main(String[] a) throws Exception {
        long n = Long.parseLong(a[0]);
        SplittableRandom r = new SplittableRandom(Long.parseLong(a[2]));
        byte[] hex = "0123456789abcdef".getBytes();
        try (OutputStream out = new BufferedOutputStream(new FileOutputStream(a[1]), 1 << 20)) {
            byte[] line = new byte[33];
            line[32] = '\n';
            for (long i = 0; i < n; i++) {
                long x = r.nextLong(), y = r.nextLong();
                for (int j = 0; j < 16; j++) { line[j] = hex[(int) (x >>> (4 * j)) & 15]; line[16 + j] = hex[(int) (y >>> (4 * j)) & 15]; }
                out.write(line);
            }
        }
    }
}
