package org.triage.acquire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.triage.Oracle;
import org.triage.PdqMode;
import org.triage.ScanConfig;
import org.triage.Triage;
import org.triage.model.Algorithm;
import org.triage.report.AllFilesWriter;
import org.triage.store.HashStore;
import org.triage.store.HashStoreAdmin;
import org.triage.store.RocksHashStore;

/**
 * A drive with a bad sector under a file, imaged and triaged in one read: the acquisition's retry
 * and zeros ({@link Acquisition} over a reader that fails on chosen sectors, as a dying drive does;
 * the CLI cannot reach such a source on a machine without device-mapper), the stream triage, and
 * the all-files listing as {@code triage acquire --db} writes it. Judged by sleuthkit: istat finds
 * the file's sector, icat of the WRITTEN raw image with md5sum gives the digest the listing must hold.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class AcquisitionTriageTest {
    @TempDir
    Path dir;

    @Test
    void aFileOverAnUnreadableSectorIsMarkedInTheListingAndHashedAsTheImageHoldsIt() throws Exception {
        try (var in = AcquisitionTriageTest.class.getResourceAsStream("make-stream-disk.sh")) {
            Files.copy(in, dir.resolve("make-stream-disk.sh"));
        }
        Oracle.run(dir, "bash", dir.resolve("make-stream-disk.sh").toString(), dir.toString());
        Path disk = dir.resolve("disk.img");
        String istat = new String(Oracle.run(dir, "bash", "-c", "istat -o 2048 disk.img $(fls -o 2048 disk.img | "
                + "awk -F'[ :\\t]+' '$NF==\"hello.txt\"{print $2}')"), StandardCharsets.US_ASCII);
        Matcher m = Pattern.compile("Sectors:\\s+(\\d+)").matcher(istat);
        assertTrue(m.find(), istat);
        long bad = (2048 + Long.parseLong(m.group(1))) * 512;

        Path db = dir.resolve("db");
        try (HashStoreAdmin w = RocksHashStore.openWritable(db)) {
            Path list = dir.resolve("none.txt");
            Files.writeString(list, "00000000000000000000000000000001\n");
            w.importHashList(list, "none", org.triage.model.SetKind.ALERT, null, false);
        }
        Path listing = dir.resolve("listing.jsonl");
        Path image = dir.resolve("copy.raw");
        AcquisitionResult result;
        try (HashStore store = Triage.openStore(db);
             AllFilesWriter files = new AllFilesWriter(listing);
             Acquisition acq = new Acquisition(new AcquisitionTest.FileReader(disk, List.of(new BadRange(bad, 512))), null)) {
            ScanConfig config = ScanConfig.builder().source(disk.toString()).pdq(PdqMode.OFF).listener(files)
                    .algorithms(java.util.EnumSet.of(Algorithm.MD5, Algorithm.SHA1)).build();
            MediaDigests digests = new MediaDigests();
            RawImageSink raw = RawImageSink.create(image, 0);
            try (StreamTriage triage = StreamTriage.open(disk, config, store)) {
                result = acq.run(List.of(digests, raw, triage));
                triage.result();
            }
        }
        assertEquals(List.of(new BadRange(bad, 512)), result.unreadable());
        String oracle = new String(Oracle.run(dir, "bash", "-c", "icat -o 2048 copy.raw $(fls -o 2048 copy.raw | "
                + "awk -F'[ :\\t]+' '$NF==\"hello.txt\"{print $2}') | md5sum"), StandardCharsets.US_ASCII).split("\\s+")[0];
        List<String> hello = Files.readAllLines(listing).stream()
                .filter(l -> l.contains("\"path\":\"hello.txt\"") && l.contains("\"offset\":1048576") && !l.contains("archive.zip")).toList();
        assertEquals(1, hello.size(), "hello.txt on the FAT partition: " + hello);
        assertTrue(hello.get(0).contains("offset " + bad), "the record names the unreadable sector: " + hello.get(0));
        assertTrue(hello.get(0).contains(oracle), "its MD5 is icat | md5sum of the written image: " + oracle + " in " + hello.get(0));
        long marked = Files.readAllLines(listing).stream().filter(l -> l.contains("unreadable sectors under it")).count();
        assertEquals(1, marked, "only the file over the bad sector is marked");
    }
}
