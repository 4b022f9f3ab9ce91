package org.triage.rematch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.core.JsonFactory;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.triage.model.Algorithm;
import org.triage.model.ByteRuns;
import org.triage.model.ContentChange;
import org.triage.model.ContentType;
import org.triage.model.Digests;
import org.triage.model.EntryDetails;
import org.triage.model.EntryType;
import org.triage.model.FileRecord;
import org.triage.model.Match;
import org.triage.model.PartitionInfo;
import org.triage.model.PdqHash;
import org.triage.model.PictureHash;
import org.triage.model.RawPath;
import org.triage.model.SetKind;
import org.triage.report.AllFilesWriter;

/**
 * The re-match's own reader of entry lines reads what the scan's writer writes, without jackson,
 * and reads it as jackson reads it; every line it does not read exactly so (bad JSON above all)
 * it refuses, leaving the line to jackson, which names what is wrong. Oracles: the records the
 * test wrote through the scan's own writer, and jackson's reading of each line.
 */
class EntryLineScannerTest {
    private static final String SOURCE = "/cases/ex1.E01";
    /** Every hex digit in each word, so that a word put in the wrong place shows. */
    private static final PdqHash PDQ = PdqHash.parse("0123456789abcdef" + "fedcba9876543210" + "00ff00ff00ff00ff" + "a5a5a5a5a5a5a5a5");
    private static final byte[] ODD = {'o', 'd', 'd', '-', (byte) 0xff, (byte) 0x80, '.', 'j', 'p', 'g'};

    private static Digests digests(int seed) {
        byte[] md5 = new byte[16];
        byte[] sha1 = new byte[20];
        byte[] sha256 = new byte[32];
        for (int i = 0; i < 32; i++) {
            if (i < 16) md5[i] = (byte) (seed * 31 + i);
            if (i < 20) sha1[i] = (byte) (seed * 17 + i);
            sha256[i] = (byte) (seed * 7 + i);
        }
        return new Digests(md5, sha1, sha256);
    }

    /** Every field of a record and which digests its line had, names as bytes. */
    private static String describe(ListingLineParser.Line line) {
        if (!(line instanceof ListingLineParser.Entry e)) return String.valueOf(line);
        FileRecord r = e.record();
        return String.join(" | ", r.source(), r.path().base64(), r.type().label(), Long.toString(r.size()),
                String.valueOf(r.digests().hex(Algorithm.MD5)), String.valueOf(r.digests().hex(Algorithm.SHA1)),
                String.valueOf(r.digests().hex(Algorithm.SHA256)), String.valueOf(r.error()),
                r.hardLinkOf() == null ? "-" : r.hardLinkOf().base64(), r.typeLabel(), String.valueOf(r.contentType()),
                Boolean.toString(r.extMismatch()), String.valueOf(r.details()), String.valueOf(r.changedDuringRead()),
                r.container().stream().map(RawPath::base64).collect(Collectors.joining("/")), r.matches().toString(),
                Integer.toString(e.algorithms()), String.valueOf(r.pdq()));
    }

    private static ListingLineParser.Line jackson(byte[] line) {
        return new ListingLineParser(new JsonFactory()).parse(line, 0, line.length, true);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The lines the scan's writer writes for these records (without the trailing end of line). */
    private static List<byte[]> written(List<FileRecord> records) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (AllFilesWriter w = new AllFilesWriter(out, "test")) {
            records.forEach(w::onRecord);
        }
        List<byte[]> lines = new ArrayList<>();
        byte[] all = out.toByteArray();
        int start = 0;
        for (int i = 0; i < all.length; i++) {
            if (all[i] == '\n') {
                lines.add(Arrays.copyOfRange(all, start, i));
                start = i + 1;
            }
        }
        return lines;
    }

    /** A file in more pieces than a listing keeps: every other 512-byte block. */
    private static ByteRuns scattered() {
        ByteRuns.Builder b = new ByteRuns.Builder();
        for (int i = 0; i < ByteRuns.LIMIT + 5; i++) b.add(1024L * i, 512).add(-1, 512);
        return b.build();
    }

    @Test
    void theScansOwnLinesAreReadWithoutJacksonAndAsJacksonReadsThem() throws Exception {
        PartitionInfo part = new PartitionInfo(2, 1048576, "Basic data partition");
        List<FileRecord> records = List.of(
                new FileRecord(SOURCE, RawPath.of("DCIM/a.jpg"), EntryType.FILE, 1234, digests(1), List.of(), null, null,
                        ContentType.JPEG, false, new EntryDetails(part, 37, false, null, false)),
                new FileRecord(SOURCE, RawPath.of("Bilder/Übersee/日本.png"), EntryType.FILE, 99, digests(2), List.of(),
                        null, null, ContentType.PNG, true, new EntryDetails(new PartitionInfo(-1, 0, null), 41, true,
                        "secret.png", false)),
                new FileRecord(SOURCE, RawPath.of("$MFT"), EntryType.FILE, 4096, digests(3), List.of(), null, null,
                        ContentType.OTHER, false, new EntryDetails(part, 0, false, null, true)),
                // Read from an image: where its content lies (a hole between two runs), resident, cut at the limit.
                new FileRecord(SOURCE, RawPath.of("DCIM/runs.jpg"), EntryType.FILE, 13000, digests(10), List.of(), null, null,
                        ContentType.JPEG, false, new EntryDetails(part, 38, false, null, false, new ByteRuns.Builder()
                        .add(1048576 + 8192, 4096).add(-1, 4096).add(1048576 + 40960, 4808).build())),
                new FileRecord(SOURCE, RawPath.of("small.txt"), EntryType.FILE, 9, digests(11), List.of(), null, null,
                        ContentType.OTHER, false, new EntryDetails(part, 64, false, null, false, ByteRuns.RESIDENT)),
                new FileRecord(SOURCE, RawPath.of("empty.txt"), EntryType.FILE, 0, digests(12), List.of(), null, null,
                        ContentType.OTHER, false, new EntryDetails(part, 65, false, null, false, new ByteRuns.Builder().build())),
                new FileRecord(SOURCE, RawPath.of("scattered.bin"), EntryType.FILE, 2L * (ByteRuns.LIMIT + 5) * 512, digests(13),
                        List.of(), null, null, ContentType.OTHER, false, new EntryDetails(part, 66, true, null, false, scattered())),
                new FileRecord(SOURCE, RawPath.of("b/link.jpg"), EntryType.FILE, 1234, digests(1), List.of(), null,
                        RawPath.of("DCIM/a.jpg"), ContentType.JPEG, false, EntryDetails.ofInode(37)),
                new FileRecord(SOURCE, RawPath.of("to-etc"), EntryType.SYMLINK, 0, Digests.NONE, List.of(), null, null, null,
                        false, EntryDetails.ofInode(8)),
                new FileRecord(SOURCE, RawPath.of("secret.bin"), EntryType.FILE, 0, Digests.NONE, List.of(),
                        "permission denied", null, null, false, null),
                new FileRecord(SOURCE, RawPath.of("member.jpg"), EntryType.FILE, 77, new Digests(digests(4).md5(), null, null),
                        List.of(), null, null, ContentType.JPEG, false, null, null,
                        List.of(RawPath.of("photos.tar.gz"), RawPath.of("inner/ü.zip"))),
                new FileRecord(SOURCE, RawPath.of(""), EntryType.OTHER, 0, Digests.NONE, List.of(),
                        "partition 3: no filesystem libtsk can read", null, null, false, new EntryDetails(null, -1, false, null, true)),
                // Pictures of a scan with PDQ on: a hash with its quality, and one that could not be decoded.
                new FileRecord(SOURCE, RawPath.of("DCIM/pdq.jpg"), EntryType.FILE, 1234, digests(8), List.of(), null, null,
                        ContentType.JPEG, false, null).withPdq(PictureHash.hashed(PDQ, 87, List.of())),
                new FileRecord(SOURCE, RawPath.of("DCIM/cut.jpg"), EntryType.FILE, 12, digests(9), List.of(), null, null,
                        ContentType.JPEG, false, null).withPdq(PictureHash.failed("truncated: 12 bytes")));
        List<byte[]> lines = written(records);
        EntryLineScanner scanner = new EntryLineScanner();
        for (int i = 0; i < lines.size(); i++) {
            byte[] line = lines.get(i);
            String text = new String(line, StandardCharsets.UTF_8);
            ListingLineParser.Entry fast = scanner.scan(line, 0, line.length);
            assertNotNull(fast, "read without jackson: " + text);
            assertEquals(line.length, scanner.end(), text);
            assertEquals(describe(jackson(line)), describe(fast), text);
            FileRecord r = records.get(i);
            assertEquals(r.path(), fast.record().path(), text);
            assertEquals(r.details(), fast.record().details(), text);
            assertEquals(r.container(), fast.record().container(), text);
            assertEquals(r.pdq(), fast.record().pdq(), text);
        }
    }

    @Test
    void linesNotInTheWritersPlainFormAreLeftToJacksonOrReadAlike() throws Exception {
        Instant t0 = Instant.parse("2026-11-25T13:01:02Z");
        // What the writer writes but this scanner leaves to jackson: nested answers, names not UTF-8,
        // characters outside the BMP (jackson's writer escapes them as surrogate pairs).
        List<byte[]> lines = new ArrayList<>(written(List.of(
                new FileRecord(SOURCE, RawPath.of("Bilder/\uD83D\uDE00.jpg"), EntryType.FILE, 5, digests(7), List.of(), null,
                        null, ContentType.JPEG, false, null),
                new FileRecord(SOURCE, RawPath.of("known.jpg"), EntryType.FILE, 5, digests(5),
                        List.of(new Match("caid", SetKind.ALERT, "A")), null, null, ContentType.JPEG, false, null),
                new FileRecord(SOURCE, RawPath.of("log.txt"), EntryType.FILE, 10, Digests.NONE, List.of(),
                        "changed while it was read", null, null, false, EntryDetails.ofInode(7),
                        new ContentChange(10, t0, 20, t0.plusSeconds(1), 10)),
                new FileRecord(SOURCE, RawPath.of(ODD), EntryType.FILE, 5, digests(6), List.of(), null, RawPath.of(ODD),
                        ContentType.OTHER, false, null, null, List.of(RawPath.of(ODD))))));
        String md5 = "\"md5\":\"00112233445566778899aabbccddeeff\"";
        String[] alike = {
                // JSON's own freedoms: read without jackson, as jackson reads them
                " { \"source\" : \"/s\" ,\t\"path\" : \"a\" , \"type\" : \"jpeg\" , " + md5 + " }  \r",
                "{\"source\":\"/s\",\"path\":\"a\",\"type\":\"file\",\"size\":-0,\"inode\":null,\"later\":\"f00d\",\"v\":3,\"x\":true}",
                "{\"source\":\"/s\",\"path\":\"a\",\"type\":\"jpeg\",\"pdq\":\"" + PDQ.hex().toUpperCase() + "\",\"pdq_quality\":100,\"pdq_error\":null}",
                "{\"source\":\"/s\",\"path\":\"a\",\"type\":\"jpeg\",\"pdq_error\":\"corrupt\",\"pdq\":null,\"pdq_quality\":null}",
                "{\"source\":\"/s\",\"path\":\"a\",\"type\":\"file\",\"md5\":\"00112233445566778899AABBCCDDEEFF\"}",
                "{\"source\":\"/s\",\"path\":\"a\",\"type\":\"file\",\"partition\":{\"type\":null,\"offset\":512,\"index\":1}}",
                "{\"source\":\"/s\",\"path\":\"a\",\"type\":\"file\",\"partition\":{}}",
                "{\"source\":\"/s\",\"path\":\"a\",\"type\":\"file\",\"container\":null,\"container_b64\":null}",
                "{\"source\":\"/s\",\"path\":\"a\",\"type\":\"file\",\"container\":[\"x.zip\",\"y\"],\"container_b64\":[\"eC56aXA=\",\"!\"]}",
                "{\"source\":\"/s\",\"path\":\"a\",\"path_b64\":\"not base64!\",\"type\":\"file\"}",
                "{\"source\":\"/s\",\"path\":\"\",\"type\":\"\"}",
                "{\"source\":\"/s\",\"path\":\"a\",\"type\":\"file\",\"runs\": [ [ 0 , 5 ] ,[null,3],[8,0],[8,2]] ,\"runs_total\":9}",
                "{\"source\":\"/s\",\"path\":\"a\",\"type\":\"file\",\"runs_total\":null,\"runs\":\"resident\"}",
                "{\"source\":\"/s\",\"path\":\"a\",\"type\":\"file\",\"runs\":null}",
        };
        String[] others = {
                // bad, each named by jackson
                "{\"source\":\"/s\",\"path\":\"a\",\"type\":\"jpeg\",\"pdq\":\"f00d\",\"pdq_quality\":1,\"pdq_error\":null}",
                "{\"source\":\"/s\",\"path\":\"a\",\"type\":\"jpeg\",\"pdq\":\"" + PDQ.hex() + "\",\"pdq_quality\":101,\"pdq_error\":null}",
                "{\"source\":\"/s\",\"path\":\"a\",\"type\":\"jpeg\",\"pdq\":\"" + PDQ.hex() + "\",\"pdq_quality\":null,\"pdq_error\":null}",
                "{\"source\":\"/s\",\"path\":\"a\",\"type\":\"jpeg\",\"pdq\":null,\"pdq_quality\":null,\"pdq_error\":null}",
                "{\"source\":\"/s\",\"path\":\"a\",\"type\":\"jpeg\",\"pdq\":\"" + PDQ.hex() + "\",\"pdq_quality\":5,\"pdq_error\":\"x\"}",
                "{\"type\":\"file\",\"source\":\"/s\",\"path\":\"a\"}",
                "{\"source\":\"/s\",\"path\":\"a\",\"type\":\"file\",\"container\":[\"x.zip\"],\"container_b64\":[\"eC56aXA=\",\"eQ==\"]}",
                "{\"source\":\"/s\",\"path\":\"a\",\"type\":\"file\",}",
                "{\"source\":\"/s\",\"path\":\"a\",\"type\":\"file\",\"size\":0123}",
                "{\"source\":\"/s\",\"path\":\"a\",\"type\":\"file\",\"deleted\":truex}",
                "{\"source\":\"/s\",\"path\":\"a\",\"type\":\"file\"}{\"source\":\"/s\",\"path\":\"b\",\"type\":\"file\"}",
                "{\"source\":\"/s\",\"path\":\"a\",\"type\":\"file\"} x",
                "{\"source\":\"/s\",\"path\":\"a\",\"type\":\"file\"",
                "{\"source\":\"/s\",\"path\":\"a\tb\",\"type\":\"file\"}",
                "{\"source\":\"/s\",\"path\":\"a\",\"type\":\"file\",\"md5\":\"0011\"}",
                "{\"source\":\"/s\",\"path\":\"a\",\"type\":\"file\",\"md5\":\"zz112233445566778899aabbccddeeff\"}",
                "{\"source\":\"/s\",\"path\":\"a\",\"type\":\"file\",\"md5\":7}",
                "{\"source\":\"/s\",\"path\":\"a\",\"type\":\"file\",\"size\":\"12\"}",
                "{\"source\":\"/s\",\"path\":\"a\"}",
                "{\"source\":\"\",\"path\":\"a\",\"type\":\"file\"}",
                "{\"source\":\"/s\",\"path\":\"a\",\"type\":\"file\",\"container\":[\"x\",\"y\"],\"container_b64\":[\"eA==\"]}",
                "{\"source\":\"/s\",\"path\":\"a\",\"type\":\"file\",\"source\":\"/t\"}",
                "{\"path\":\"a\",\"source\":\"/s\",\"type\":\"file\"}",
                "{\"source\":\"/s\",\"path\":\"a\",\"type\":\"file\",\"runs\":\"inside\"}",
                "{\"source\":\"/s\",\"path\":\"a\",\"type\":\"file\",\"runs\":[[-1,5]]}",
                "{\"source\":\"/s\",\"path\":\"a\",\"type\":\"file\",\"runs\":[[0,-5]]}",
                "{\"source\":\"/s\",\"path\":\"a\",\"type\":\"file\",\"runs\":[[0]]}",
                "{\"source\":\"/s\",\"path\":\"a\",\"type\":\"file\",\"runs\":[[0,1,2]]}",
                "{\"source\":\"/s\",\"path\":\"a\",\"type\":\"file\",\"runs\":[0,1]}",
                "{}",
                "[]",
                "",
                "{\"listing\":\"triage all-files\",\"version\":2}",
                "{\"evidence_done\":\"/s\",\"files\":0}",
                // left to jackson though good: escapes, fractions, large numbers
                "{\"source\":\"/s\",\"path\":\"a\\\\b\\u00fc\\\"\",\"type\":\"file\"}",
                "{\"source\":\"/s\",\"path\":\"a\",\"type\":\"file\",\"size\":1.0,\"inode\":1e3}",
                "{\"source\":\"/s\",\"path\":\"a\",\"type\":\"file\",\"size\":99999999999999999999}",
                "{\"source\":\"/s\",\"path\":\"a\",\"type\":\"file\",\"partition\":{\"index\":12345678901}}",
        };
        for (String v : others) lines.add(bytes(v));
        // bytes that are not UTF-8: a stray continuation, an overlong '/', a surrogate, a cut sequence, a BOM
        for (byte[] bad : new byte[][]{{(byte) 0x80}, {(byte) 0xc0, (byte) 0xaf}, {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
                {(byte) 0xe6, (byte) 0x97}}) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            b.writeBytes(bytes("{\"source\":\"/s\",\"path\":\"a"));
            b.writeBytes(bad);
            b.writeBytes(bytes("\",\"type\":\"file\"}"));
            lines.add(b.toByteArray());
        }
        ByteArrayOutputStream bom = new ByteArrayOutputStream();
        bom.writeBytes(new byte[]{(byte) 0xef, (byte) 0xbb, (byte) 0xbf});
        bom.writeBytes(bytes("{\"source\":\"/s\",\"path\":\"a\",\"type\":\"file\"}"));
        lines.add(bom.toByteArray());

        EntryLineScanner scanner = new EntryLineScanner();
        for (String v : alike) {
            byte[] line = bytes(v);
            ListingLineParser.Line slow = jackson(line);
            assertInstanceOf(ListingLineParser.Entry.class, slow, v);
            ListingLineParser.Entry fast = scanner.scan(line, 0, line.length);
            assertNotNull(fast, "read without jackson: " + v);
            assertEquals(describe(slow), describe(fast), v);
            assertEquals(((ListingLineParser.Entry) slow).record().path(), fast.record().path(), v);
        }
        for (byte[] line : lines) {
            String text = new String(line, StandardCharsets.UTF_8);
            ListingLineParser.Line slow = jackson(line);
            ListingLineParser.Entry fast = scanner.scan(line, 0, line.length);
            if (fast == null) continue; // left to jackson: always right
            assertInstanceOf(ListingLineParser.Entry.class, slow, "read a line jackson does not take as an entry: " + text);
            assertEquals(describe(slow), describe(fast), text);
            assertEquals(((ListingLineParser.Entry) slow).record().path(), fast.record().path(), text);
        }
        // The bad ones are all refused (what they lack is said by jackson, with the line's number).
        for (String v : others) {
            if (!(jackson(bytes(v)) instanceof ListingLineParser.Entry)) assertNull(scanner.scan(bytes(v), 0, bytes(v).length), v);
        }
        for (String v : others) {
            if (v.contains("\"runs\"")) assertInstanceOf(ListingLineParser.Bad.class, jackson(bytes(v)), v);
        }
    }

    @Test
    void everyByteInEveryPlaceOfADigestIsTakenAsHexFormatTakesIt() {
        HexFormat oracle = HexFormat.of();
        SplittableRandom rnd = new SplittableRandom(11);
        for (Algorithm a : Algorithm.values()) {
            byte[] digest = new byte[a.length()];
            for (int round = 0; round < 4; round++) {
                for (int i = 0; i < digest.length; i++) digest[i] = (byte) rnd.nextInt(256);
                String hex = round % 2 == 0 ? oracle.formatHex(digest) : oracle.withUpperCase().formatHex(digest);
                for (int at = 0; at < hex.length(); at++) {
                    for (int c = 0; c < 256; c++) {
                        byte[] text = (" " + hex + " ").getBytes(StandardCharsets.ISO_8859_1);
                        text[1 + at] = (byte) c;
                        byte[] expected;
                        try {
                            expected = oracle.parseHex(new String(text, 1, hex.length(), StandardCharsets.ISO_8859_1));
                        } catch (IllegalArgumentException notHex) {
                            expected = null;
                        }
                        byte[] got = EntryFields.hex(text, 1, a);
                        if (!Arrays.equals(expected, got)) {
                            throw new AssertionError(a + " " + new String(text, StandardCharsets.ISO_8859_1) + ": expected "
                                    + (expected == null ? "not hex" : oracle.formatHex(expected)) + ", got "
                                    + (got == null ? "not hex" : oracle.formatHex(got)));
                        }
                    }
                }
            }
        }
    }

    @Test
    void aLineIsReadToItsEndOfLineAndNeverPastTheLimit() {
        String first = "{\"source\":\"/s\",\"path\":\"a\",\"type\":\"file\"}";
        String second = "{\"source\":\"/s\",\"path\":\"b\",\"type\":\"file\"}";
        byte[] block = bytes(first + " \r\n" + second);
        EntryLineScanner scanner = new EntryLineScanner();
        assertNotNull(scanner.scan(block, 0, block.length));
        assertEquals(first.length() + 2, scanner.end(), "ends at its '\\n'");
        int next = scanner.end() + 1;
        assertEquals("b", scanner.scan(block, next, block.length).record().path().display());
        assertEquals(block.length, scanner.end(), "the last line of a listing without an end of line ends at the limit");
        // A line whose end lies past the limit (a block cut inside it) is not read.
        assertNull(scanner.scan(block, next, block.length - 1));
        // A line cut short is never completed by the next one.
        byte[] joined = bytes("{\"source\":\"/s\",\"path\":\"a\n" + second);
        assertNull(scanner.scan(joined, 0, joined.length));
    }

    @Test
    void aPictureLineThatBreaksThePdqFieldsIsBadWhicheverReadsIt() {
        String head = "{\"source\":\"/s\",\"path\":\"a\",\"type\":\"jpeg\",";
        String[] bad = {
                "\"pdq\":\"f00d\",\"pdq_quality\":1,\"pdq_error\":null}",
                "\"pdq\":\"" + PDQ.hex() + "\",\"pdq_quality\":101,\"pdq_error\":null}",
                "\"pdq\":\"" + PDQ.hex() + "\",\"pdq_quality\":null,\"pdq_error\":null}",
                "\"pdq\":null,\"pdq_quality\":null,\"pdq_error\":null}",
                "\"pdq\":\"" + PDQ.hex() + "\",\"pdq_quality\":5,\"pdq_error\":\"x\"}",
                "\"pdq\":\"" + PDQ.hex() + "\",\"pdq_quality\":\"5\",\"pdq_error\":null}",
        };
        EntryLineScanner scanner = new EntryLineScanner();
        for (String tail : bad) {
            byte[] line = bytes(head + tail);
            assertInstanceOf(ListingLineParser.Bad.class, jackson(line), head + tail);
            assertNull(scanner.scan(line, 0, line.length), "left to jackson: " + head + tail);
        }
    }
}
