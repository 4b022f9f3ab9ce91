package org.triage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.triage.model.Algorithm;
import org.triage.model.ContentChange;
import org.triage.model.ContentType;
import org.triage.model.Digests;
import org.triage.model.EntryDetails;
import org.triage.model.EntryType;
import org.triage.model.EvidenceSummary;
import org.triage.model.FileRecord;
import org.triage.model.ImageInfo;
import org.triage.model.ListingHeader;
import org.triage.model.Match;
import org.triage.model.PartitionInfo;
import org.triage.model.RawPath;
import org.triage.model.RecordListener;
import org.triage.model.RematchResult;
import org.triage.model.SetKind;
import org.triage.model.SourceStats;
import org.triage.model.TakenAs;
import org.triage.priority.EvidenceTally;
import org.triage.report.AllFilesWriter;
import org.triage.store.HashStore;
import org.triage.store.HashStoreAdmin;
import org.triage.store.RocksHashStore;

/**
 * Everything a listing line can say comes back from a re-match as it was recorded: names that are
 * not UTF-8 (in the path, the container chain, a hard link's target), a disk image's location
 * facts, a file that changed while read, and the item's end line with its image (EWF checksum
 * errors, stored hashes) and how it was taken. The oracle is the records and the summary the test
 * itself made; the store is a real RocksDB.
 */
class RematchTest {
    @TempDir
    Path tmp;

    private static final HexFormat HEX = HexFormat.of();

    private static Digests digests(String seed) {
        byte[] md5 = new byte[16];
        byte[] sha1 = new byte[20];
        byte[] sha256 = new byte[32];
        for (int i = 0; i < 32; i++) {
            if (i < 16) md5[i] = (byte) (seed.hashCode() * 31 + i);
            if (i < 20) sha1[i] = (byte) (seed.hashCode() * 17 + i);
            sha256[i] = (byte) (seed.hashCode() * 7 + i);
        }
        return new Digests(md5, sha1, sha256);
    }

    /** Every field of a record, matches apart (the re-match looks them up anew), digests in hex, names as bytes. */
    private static String describe(FileRecord r) {
        return String.join(" | ", r.source(), r.path().base64(), r.type().label(), Long.toString(r.size()),
                String.valueOf(r.digests().hex(Algorithm.MD5)), String.valueOf(r.digests().hex(Algorithm.SHA1)),
                String.valueOf(r.digests().hex(Algorithm.SHA256)), String.valueOf(r.error()),
                r.hardLinkOf() == null ? "-" : r.hardLinkOf().base64(), r.typeLabel(), Boolean.toString(r.extMismatch()),
                String.valueOf(r.details()), String.valueOf(r.changedDuringRead()),
                r.container().stream().map(RawPath::base64).collect(Collectors.joining("/")));
    }

    @Test
    void everyFieldOfAListingComesBackAsRecorded() throws Exception {
        String source = "/cases/ex1.E01";
        PartitionInfo part = new PartitionInfo(2, 1048576, "Basic data partition");
        byte[] odd = {'o', 'd', 'd', '-', (byte) 0xff, (byte) 0x80, '.', 'j', 'p', 'g'};
        Instant t0 = Instant.parse("2026-11-25T13:01:02.123456789Z");
        List<FileRecord> written = List.of(
                new FileRecord(source, RawPath.of("DCIM/a.jpg"), EntryType.FILE, 1234, digests("a"), List.of(), null, null,
                        ContentType.JPEG, false, new EntryDetails(part, 37, false, null, false)),
                new FileRecord(source, RawPath.of("hello.txt"), EntryType.FILE, 99, digests("stream"), List.of(), null, null,
                        ContentType.PNG, true, new EntryDetails(part, 41, true, "secret.png", false)),
                new FileRecord(source, RawPath.of(odd), EntryType.FILE, 5, digests("odd"), List.of(), null, null,
                        ContentType.OTHER, false, new EntryDetails(null, 12, false, null, false)),
                new FileRecord(source, RawPath.of("$MFT"), EntryType.FILE, 4096, digests("mft"), List.of(), null, null,
                        ContentType.OTHER, false, new EntryDetails(part, 0, false, null, true)),
                new FileRecord(source, RawPath.of("log.txt"), EntryType.FILE, 10, Digests.NONE, List.of(),
                        "changed while it was read (…)", null, null, false, EntryDetails.ofInode(7),
                        new ContentChange(10, t0, 20, t0.plusSeconds(1), 10)),
                new FileRecord(source, RawPath.of("b/link.jpg"), EntryType.FILE, 1234, digests("a"), List.of(), null,
                        RawPath.of(odd), ContentType.JPEG, false, EntryDetails.ofInode(37)),
                new FileRecord(source, RawPath.of("to-etc"), EntryType.SYMLINK, 0, Digests.NONE, List.of(), null, null, null,
                        false, EntryDetails.ofInode(8)),
                new FileRecord(source, RawPath.of("member.jpg"), EntryType.FILE, 77, digests("member"), List.of(), null, null,
                        ContentType.JPEG, false, null, null, List.of(RawPath.of("photos.tar.gz"), RawPath.of(odd))),
                new FileRecord(source, RawPath.of(""), EntryType.OTHER, 0, Digests.NONE, List.of(),
                        "partition 3: no filesystem libtsk can read", null, null, false, new EntryDetails(null, -1, false, null, true)));
        ImageInfo image = new ImageInfo(source, "ewf", 20L << 20, List.of(source, "/cases/ex1.E02"), "gpt", null, null,
                "0123456789abcdef0123456789abcdef", null, null,
                List.of(new ImageInfo.ChecksumError(2048, 64, 512, List.of("/cases/ex1.E02"))), false, "libewf opens the files itself");
        EvidenceTally tally = new EvidenceTally(source);
        written.forEach(tally::add);
        EvidenceSummary original = tally.finish(new SourceStats(source, t0, t0.plusSeconds(3), 9999, false, null), image)
                .withAtime("libewf opens the files itself").withTaken(TakenAs.DISK_IMAGE);

        Path listing = tmp.resolve("ex1.jsonl");
        try (AllFilesWriter w = new AllFilesWriter(listing)) {
            w.header(new ListingHeader("triage test", t0, "C-1", "E. X.", List.of(source), List.of(Algorithm.values()),
                    "/cases/old", List.of(), List.of()));
            written.forEach(w::onRecord);
            w.onEvidenceDone(original);
        }
        Path alerts = Files.writeString(tmp.resolve("alerts.txt"), HEX.formatHex(digests("member").md5()) + "\n");
        Path db = tmp.resolve("db");
        try (HashStoreAdmin admin = RocksHashStore.openWritable(db)) {
            admin.importHashList(alerts, "caid", SetKind.ALERT, "A", false);
        }

        List<FileRecord> read = new ArrayList<>();
        RematchResult result;
        try (HashStore store = Triage.openStore(db)) {
            result = Rematch.builder().listing(listing).threads(2).listener(new RecordListener() {
                @Override
                public void onRecord(FileRecord r) { read.add(r); }
            }).build(store).run();
        }
        assertEquals(written.stream().map(RematchTest::describe).toList(), read.stream().map(RematchTest::describe).toList());
        assertEquals(List.of(new Match("caid", SetKind.ALERT, "A")), read.get(7).matches());

        EvidenceSummary again = result.result().evidence().get(0);
        assertEquals(image, again.image(), "the image facts, checksum errors included");
        assertEquals(original.taken(), again.taken());
        assertEquals(original.atimePreserved(), again.atimePreserved());
        assertEquals(original.atimeNote(), again.atimeNote());
        assertEquals(original.files(), again.files());
        assertEquals(original.unreadable(), again.unreadable());
        assertEquals(original.bytes(), again.bytes());
        // Ranked HIGH now (the member is known), and still says what its scan could not read.
        assertEquals("high", again.priority().label());
        assertEquals(original.reason().replace("incomplete: ", ""), again.reason().replaceFirst("^.*also incomplete: ", ""));
        assertNotNull(result.listings().get(0).header());
        assertEquals("C-1", result.listings().get(0).header().caseId());
    }
}
