import java.io.*;
import java.util.SplittableRandom;
/**
 * Writes an all-files listing of N entries with random digests (seeded), as `triage scan --all-files`
 * writes it (header, entry lines, the item's end line): the input of the re-match measurement.
 * Every (N / HITS)-th entry takes its MD5 from RandomDigests' sequence for STORE_SEED, so that
 * HITS entries are in a store imported from `RandomDigests COUNT FILE STORE_SEED` (when COUNT is at
 * least HITS). Run as a single-file program:
 *   java RandomListing.java N OUT HITS STORE_SEED
 */
public class RandomListing {
    public static void main(String[] a) throws Exception {
        long n = Long.parseLong(a[0]);
        long hits = Long.parseLong(a[2]);
        SplittableRandom store = new SplittableRandom(Long.parseLong(a[3]));
        SplittableRandom r = new SplittableRandom(99);
        long every = hits == 0 ? Long.MAX_VALUE : Math.max(1, n / hits);
        String source = "/mnt/exhibit-ab-01";
        try (PrintStream out = new PrintStream(new BufferedOutputStream(new FileOutputStream(a[1]), 1 << 20), false, "UTF-8")) {
            out.print("{\"listing\":\"triage all-files\",\"version\":2,\"tool\":\"triage bench\",\"scan_started\":\"2026-11-25T13:01:02.123Z\","
                    + "\"case\":null,\"examiner\":null,\"algorithms\":[\"md5\",\"sha1\",\"sha256\"],\"hash_store\":{\"path\":\"/cases/old\","
                    + "\"sets\":[]},\"evidence\":[\"" + source + "\"],\"notes\":[]}\n");
            long bytes = 0;
            for (long i = 0; i < n; i++) {
                String md5;
                if (i % every == 0 && i / every < hits) {
                    long x = store.nextLong(), y = store.nextLong();
                    StringBuilder b = new StringBuilder(32);
                    for (int j = 0; j < 16; j++) b.append(Character.forDigit((int) (x >>> (4 * j)) & 15, 16));
                    for (int j = 0; j < 16; j++) b.append(Character.forDigit((int) (y >>> (4 * j)) & 15, 16));
                    md5 = b.toString();
                } else {
                    md5 = hex(r, 16);
                }
                long size = 4096 + r.nextInt(4 << 20);
                bytes += size;
                boolean jpeg = r.nextInt(3) == 0;
                out.print("{\"source\":\"" + source + "\",\"path\":\"Users/someone/Pictures/" + (i / 1000) + "/IMG_" + i
                        + (jpeg ? ".jpg" : ".dat") + "\",\"path_b64\":null,\"container\":[],\"container_b64\":null,\"size\":" + size
                        + ",\"type\":\"" + (jpeg ? "jpeg" : "file") + "\",\"ext_mismatch\":false,\"md5\":\"" + md5 + "\",\"sha1\":\""
                        + hex(r, 20) + "\",\"sha256\":\"" + hex(r, 32) + "\",\"match\":null,\"error\":null,\"partition\":null,\"inode\":"
                        + (1000 + i) + ",\"deleted\":false,\"stream\":null,\"meta\":false}\n");
            }
            out.print("{\"evidence_done\":\"" + source + "\",\"taken_as\":\"directory\",\"taken_note\":null,\"files\":" + n
                    + ",\"bytes\":" + bytes + ",\"seconds\":600.0,\"interrupted\":false,\"error\":null,\"atime_preserved\":true,"
                    + "\"atime_note\":null,\"priority\":\"low\",\"reason\":\"no alert match\",\"image\":null}\n");
        }
    }

    private static String hex(SplittableRandom r, int bytes) {
        char[] c = new char[bytes * 2];
        for (int i = 0; i < c.length; i++) c[i] = Character.forDigit(r.nextInt(16), 16);
        return new String(c);
    }
}
