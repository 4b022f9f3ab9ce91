package org.triage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Issue 13, item 5: the DFXML of a case holds {@code byte_runs} for the files read from a disk image,
 * offsets in the image. The image is real (sfdisk, three partitions made by mkfs.vfat + mtools with
 * files fragmented as make-images.sh does, mke2fs -d with a sparse file and a ZIP, mkntfs + ntfscp
 * with a resident file); the oracle is sleuthkit's {@code icat}: every allocated regular file's bytes,
 * put together from the image at the offsets its byte_runs give (a {@code fill} run as that byte),
 * have icat's MD5. The image's SHA-256 is the same after the scan.
 */
class DfxmlByteRunsCliTest {
    private static final String TRIAGE = "https://github.com/triage/dfxml";
    private static final String BUILD = """
            set -euo pipefail
            export PATH="$PATH:/usr/sbin:/sbin" MTOOLS_SKIP_CHECK=1
            cd "$1"
            # FAT32 filled almost full, every other file deleted, then 1 MB files written into the holes.
            mkdir fill
            for i in $(seq 1 200); do head -c 163840 /dev/urandom > fill/f$i; done
            for i in 1 2 3; do head -c 1000000 /dev/urandom > fill/big$i.bin; done
            mkfs.vfat -F 32 -S 512 -s 1 -C -n FRAG fat.img 34000 >/dev/null
            mmd -i fat.img ::/fill
            mcopy -i fat.img $(for i in $(seq 1 200); do echo fill/f$i; done) ::/fill/
            mdel -i fat.img $(for i in $(seq 2 2 200); do echo ::/fill/f$i; done)
            mcopy -i fat.img fill/big1.bin fill/big2.bin fill/big3.bin ::/
            # ext4: multi-block files, a hole then data, and an archive (its members have no image runs).
            mkdir ext
            head -c 300000 /dev/urandom > ext/a.bin
            truncate -s 300K ext/sparse.bin && printf 'tail' >> ext/sparse.bin
            python3 -c 'import zipfile,sys; z=zipfile.ZipFile(sys.argv[1],"w"); z.writestr("in.txt","member\\n"*50); z.close()' ext/pack.zip
            mke2fs -q -t ext4 -b 1024 -d ext ext.img 8M
            # NTFS: a file small enough to live in its MFT record, and one that does not.
            printf 'resident\\n' > small.txt
            head -c 200000 /dev/urandom > nt.bin
            truncate -s 8M ntfs.img
            mkntfs -q -F -f -L RUNS ntfs.img >/dev/null 2>&1
            ntfscp -q ntfs.img small.txt small.txt >/dev/null 2>&1
            ntfscp -q ntfs.img nt.bin nt.bin >/dev/null 2>&1
            truncate -s 60M disk.img
            printf 'label: dos\\nstart=2048, size=68000, type=c\\nstart=71680, size=16384, type=83\\nstart=90112, size=16384, type=7\\n' \\
              | sfdisk -q disk.img
            dd if=fat.img of=disk.img bs=512 seek=2048 conv=notrunc status=none
            dd if=ext.img of=disk.img bs=512 seek=71680 conv=notrunc status=none
            dd if=ntfs.img of=disk.img bs=512 seek=90112 conv=notrunc status=none
            printf '%s  nothing-here\\n' "$(printf x | md5sum | cut -d' ' -f1)" > alert.md5
            """;

    @TempDir
    static Path dir;
    static Path disk;
    static Path dfxml;
    static String before;

    @BeforeAll
    static void build() throws Exception {
        Process p = new ProcessBuilder("bash", "-c", BUILD, "build", dir.toString()).inheritIO().start();
        assertTrue(p.waitFor(3, TimeUnit.MINUTES));
        assertEquals(0, p.exitValue(), "building the image");
        disk = dir.resolve("disk.img");
        before = sha256(disk);
        Path db = dir.resolve("db");
        Cli.importSet(dir.resolve("alert.md5"), db, "planted", "--kind", "alert", "--category", "test");
        Path kase = dir.resolve("case");
        ok(0, "case", "create", kase.toString(), "--case", "RUNS", "--examiner", "E", "--db", db.toString());
        ok(0, "case", "add", kase.toString(), disk.toString());
        ok(0, "case", "run", kase.toString(), "--jobs", "1");
        dfxml = dir.resolve("case.dfxml");
        ok(0, "case", "report", kase.toString(), "--dfxml", dfxml.toString());
    }

    private static Cli.Result ok(int code, String... args) {
        Cli.Result r = Cli.run(args);
        assertEquals(code, r.code(), String.join(" ", args) + "\n" + r);
        return r;
    }

    /** One {@code byte_run} as the DFXML gives it; {@code img} -1 when it has none. */
    private record Run(long fileOffset, long img, long len, String fill, String type) {
    }

    @Test
    void everyImageFilesByteRunsGiveIcatsBytes() throws Exception {
        CaseReportCliTest.validateDfxml(dfxml);

        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        Document doc = f.newDocumentBuilder().parse(dfxml.toFile());
        NodeList objects = doc.getElementsByTagNameNS("*", "fileobject");
        int checked = 0;
        int fragmented = 0;
        int holes = 0;
        List<String> resident = new ArrayList<>();
        int members = 0;
        List<String> problems = new ArrayList<>();
        try (RandomAccessFile image = new RandomAccessFile(disk.toFile(), "r")) {
            for (int i = 0; i < objects.getLength(); i++) {
                Element o = (Element) objects.item(i);
                String name = CaseReportCliTest.text(o, "filename");
                String md5 = CaseReportCliTest.digest(o, "md5");
                List<Run> runs = runs(o);
                if (name.contains("!/")) { // an archive member: no place in the image of its own
                    assertNull(runs, name + " is inside an archive, yet has byte_runs");
                    members++;
                    continue;
                }
                if (md5 == null || CaseReportCliTest.text(o, "alloc") == null) continue; // not read, or deleted
                String inode = CaseReportCliTest.text(o, "inode");
                String partition = CaseReportCliTest.text(o, "partition");
                assertNotNull(runs, name + " (inode " + inode + ") was read from the image and has no byte_runs");
                long size = Long.parseLong(CaseReportCliTest.text(o, "filesize"));
                long slot = Long.parseLong(o.getElementsByTagNameNS("*", "partition").item(0) instanceof Element e
                        ? e.getAttributeNS(TRIAGE, "offset") : "0");
                byte[] content = assemble(image, runs, size, name);
                if (runs.stream().filter(r -> r.img() >= 0 && r.type() == null).count() > 1) fragmented++;
                if (runs.stream().anyMatch(r -> "0".equals(r.fill()))) holes++;
                if (runs.stream().anyMatch(r -> "resident".equals(r.type()))) {
                    resident.add(name);
                    continue; // no image offset to read it at: only its length is said
                }
                String[] icat = {"icat", "-o", Long.toString(slot / 512), disk.toString(), inode};
                if (name.contains(":") || name.startsWith("$")) continue; // a stream or NTFS metadata: icat needs its attribute id
                String theirs = md5(Cli.exec(dir, icat));
                if (!theirs.equals(md5(content))) {
                    problems.add(name + " (partition " + partition + ", inode " + inode + "): byte_runs " + runs
                            + " give MD5 " + md5(content) + ", icat " + theirs);
                }
                checked++;
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        assertTrue(checked >= 100, "files checked against icat: " + checked);
        assertTrue(fragmented >= 2, "fragmented files: " + fragmented);
        assertTrue(holes >= 1, "files with a hole (sparse.bin): " + holes);
        assertTrue(resident.contains("small.txt"), "resident files: " + resident);
        assertTrue(members >= 1, "archive members: " + members);
        assertEquals(before, sha256(disk), "the image changed");
    }

    /**
     * The file's bytes from the image at its runs, checking on the way that each run starts in the
     * file where the one before ended and that they cover the file's size exactly.
     */
    private static byte[] assemble(RandomAccessFile image, List<Run> runs, long size, String name) throws Exception {
        byte[] out = new byte[Math.toIntExact(size)];
        long at = 0;
        for (Run r : runs) {
            assertEquals(at, r.fileOffset(), name + ": runs " + runs + " are not contiguous in the file");
            if (r.img() >= 0) {
                image.seek(r.img());
                image.readFully(out, (int) at, Math.toIntExact(r.len()));
            } else if (r.fill() != null) {
                java.util.Arrays.fill(out, (int) at, (int) (at + r.len()), (byte) Integer.parseInt(r.fill()));
            } else {
                assertEquals("resident", r.type(), name + ": a run with neither an image offset nor a fill: " + runs);
            }
            at += r.len();
        }
        assertEquals(size, at, name + ": runs " + runs + " cover " + at + " of its " + size + " bytes");
        return out;
    }

    /** The fileobject's byte runs, or null when it has no {@code byte_runs}. */
    private static List<Run> runs(Element o) {
        NodeList l = o.getElementsByTagNameNS("*", "byte_runs");
        if (l.getLength() == 0) return null;
        NodeList rs = ((Element) l.item(0)).getElementsByTagNameNS("*", "byte_run");
        List<Run> out = new ArrayList<>();
        for (int i = 0; i < rs.getLength(); i++) {
            Element r = (Element) rs.item(i);
            out.add(new Run(Long.parseLong(r.getAttribute("file_offset")),
                    r.hasAttribute("img_offset") ? Long.parseLong(r.getAttribute("img_offset")) : -1,
                    Long.parseLong(r.getAttribute("len")), r.hasAttribute("fill") ? r.getAttribute("fill") : null,
                    r.hasAttribute("type") ? r.getAttribute("type") : null));
        }
        return out;
    }

    private static String md5(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(b));
    }

    private static String sha256(Path f) throws Exception {
        return new String(Cli.exec(f.getParent(), "sha256sum", f.toString()), StandardCharsets.US_ASCII).split(" ")[0];
    }
}
