package org.triage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.triage.model.FileRecord;
import org.triage.model.SetKind;
import org.triage.pdq.MagickPixels;
import org.triage.store.HashStore;
import org.triage.store.HashStoreAdmin;
import org.triage.store.ImportFormat;
import org.triage.store.ImportRequest;
import org.triage.store.RocksHashStore;

/**
 * An archive's own record is delivered after every one of its members' records, PDQ on or off.
 * A resumed scan ({@link Checkpoint}) takes an archive as recorded when its own record is in the
 * listing, so a member whose picture was still being PDQ-hashed when the archive's record went out
 * would be lost to a kill between the two (seen: ResumePdqTest lost p6.png and p7.png of
 * pictures.zip once in a loaded run).
 */
class ArchiveRecordOrderTest {
    @TempDir
    static Path tmp;

    @Test
    void anArchivesOwnRecordFollowsItsMembersPictures() throws Exception {
        MagickPixels.requireConvert();
        Path tree = Files.createDirectories(tmp.resolve("evidence"));
        Path pics = Files.createDirectories(tmp.resolve("pics"));
        // Distinct pictures found only inside the archive, large enough that their PDQ takes a while.
        List<String> args = new ArrayList<>(List.of(MagickPixels.CONVERT.toString(), "-size", "1200x900"));
        for (int i = 0; i < 6; i++) args.addAll(List.of("-seed", String.valueOf(70 + i), "plasma:fractal"));
        args.addAll(List.of("-depth", "8", "+adjoin", "z%d.png"));
        Oracle.run(pics, args.toArray(new String[0]));
        Oracle.run(pics, "zip", "-q", "-0", tree.resolve("album.zip").toString(), "z0.png", "z1.png", "z2.png", "z3.png",
                "z4.png", "z5.png");
        Files.writeString(tree.resolve("after.txt"), "a file after the archive\n");
        Path db = tmp.resolve("db");
        Path known = tmp.resolve("known.md5");
        Files.write(known, Oracle.run(tree, "md5sum", "after.txt"));
        try (HashStoreAdmin w = RocksHashStore.openWritable(db)) {
            w.importSet(new ImportRequest(known, "lab", SetKind.ALERT, ImportFormat.PLAIN, "B", false, "test"));
        }
        for (int run = 0; run < 3; run++) {
            List<FileRecord> order = java.util.Collections.synchronizedList(new ArrayList<>());
            try (HashStore store = Triage.openStore(db)) {
                Triage.scan(ScanConfig.builder().source(tree.toString()).pdq(PdqMode.ON).listener(order::add).build(), store);
            }
            int own = -1;
            int members = 0;
            for (int i = 0; i < order.size(); i++) {
                FileRecord r = order.get(i);
                if (r.container().isEmpty() && r.path().display().equals("album.zip")) own = i;
                if (!r.container().isEmpty() && r.container().get(0).display().equals("album.zip")) {
                    members++;
                    assertEquals(-1, own, "run " + run + ": member " + r.path().display() + " came after the archive's own record");
                    assertTrue(r.pdq() != null && r.pdq().hash() != null, "member hashed: " + r.pdq());
                }
            }
            assertEquals(6, members, "run " + run + ": every member recorded");
            assertTrue(own >= 0, "run " + run + ": the archive's own record");
        }
    }
}
