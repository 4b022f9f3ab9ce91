package org.triage.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.triage.model.TakenAs;

/**
 * Issue 11, item 1: whether a regular file is a disk image is decided by its content, never by its
 * name. The signatures are written here from their specifications (EWF, VMDK "Virtual Disk Format
 * 5.0", Microsoft's VHD footer, the MBR's 0x55AA); the filesystems are made by Debian's mkfs.vfat
 * and mke2fs and cut into segments by coreutils' split.
 */
class ImageProbeTest {
    @TempDir
    Path dir;

    @Test
    void imageFormatsAreKnownByTheirSignature() throws Exception {
        Random rnd = new Random(1);
        assertTrue(probe("evf.bin", withAt(noise(rnd, 4096), 0, new byte[] {'E', 'V', 'F', 9, 13, 10, (byte) 0xff, 0})));
        assertTrue(probe("lvf.bin", withAt(noise(rnd, 4096), 0, new byte[] {'L', 'V', 'F', 9, 13, 10, (byte) 0xff, 0})));
        assertTrue(probe("kdmv.bin", withAt(noise(rnd, 4096), 0, "KDMV".getBytes(StandardCharsets.US_ASCII))));
        assertTrue(probe("desc.bin", withAt(noise(rnd, 4096), 0, "# Disk DescriptorFile".getBytes(StandardCharsets.US_ASCII))));
        assertTrue(probe("vhd-footer.bin", withAt(noise(rnd, 4096), 4096 - 512, "conectix".getBytes(StandardCharsets.US_ASCII))));
        assertTrue(probe("vhd-head.bin", withAt(noise(rnd, 4096), 0, "conectix".getBytes(StandardCharsets.US_ASCII))));
        // An MBR: 0x55AA at 510 and a status of 0 or 0x80 in each of the four entries, whatever else it holds.
        byte[] mbr = noise(rnd, 8192);
        mbr[510] = 0x55;
        mbr[511] = (byte) 0xaa;
        for (int i = 0; i < 4; i++) mbr[446 + 16 * i] = (byte) (i == 0 ? 0x80 : 0);
        assertTrue(probe("mbr.jpg", mbr));
    }

    @Test
    void picturesAndSmallFilesAreNotImagesWhateverTheirNames() throws Exception {
        Random rnd = new Random(2);
        byte[] jpeg = withAt(noise(rnd, 50_000), 0, new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xe0});
        assertFalse(probe("x.E01", jpeg));
        assertFalse(probe("x.vmdk", jpeg));
        assertFalse(probe("x.dd", new byte[1 << 20])); // zeros: no table, no filesystem
        assertFalse(probe("empty.img", new byte[0]));
        assertFalse(probe("small.img", noise(rnd, 100)));
        // 0x55AA where an MBR's would be, but boot code where its entries' status bytes are: not a table.
        byte[] boot = noise(rnd, 8192);
        boot[510] = 0x55;
        boot[511] = (byte) 0xaa;
        boot[446] = 0x33;
        assertFalse(probe("boot.img", boot));
    }

    @Test
    void filesystemsWithoutAPartitionTableAreImagesWhateverTheirNames() throws Exception {
        sh("mkfs.vfat -C -n PROBE card.jpg 1024 >/dev/null && mkdir src && echo hi > src/a.txt"
                + " && mke2fs -q -t ext2 -d src notes.txt 1M >/dev/null");
        assertTrue(ImageProbe.isImage(dir.resolve("card.jpg").toString()));
        assertTrue(ImageProbe.isImage(dir.resolve("notes.txt").toString())); // ext: its superblock is at 1024, not 0
    }

    @Test
    void aSplitSetIsJudgedFromItsFirstSegmentAndASplitArchiveIsSeveralFiles() throws Exception {
        // An ext2 filesystem cut in three: every segment belongs to the image, judged from the first.
        sh("mkdir src && echo hi > src/a.txt && mke2fs -q -t ext2 -d src whole.img 3M >/dev/null"
                + " && split -b 1M -d -a 3 --numeric-suffixes=1 whole.img disk. && rm whole.img");
        List<String> segments = List.of("disk.001", "disk.002", "disk.003");
        for (String s : segments) {
            assertTrue(ImageProbe.isImage(dir.resolve(s).toString()), s);
            assertEquals(segments.stream().map(dir::resolve).toList(), Sources.files(dir.resolve(s).toString()), s);
        }
        // A split archive (7-Zip names its volumes so): each volume is a file, and an item of its own.
        Random rnd = new Random(3);
        Path first = Files.write(dir.resolve("backup.zip.001"), noise(rnd, 100_000));
        Path second = Files.write(dir.resolve("backup.zip.002"), noise(rnd, 100_000));
        for (Path p : List.of(first, second)) {
            assertFalse(ImageProbe.isImage(p.toString()), p.toString());
            assertEquals(List.of(p), Sources.files(p.toString()));
        }
        // A lone segment whose first is missing is judged alone.
        Path lone = Files.write(dir.resolve("photo.005"), noise(rnd, 100_000));
        assertFalse(ImageProbe.isImage(lone.toString()));
    }

    @Test
    void sourcesOpensAFileAsAFileAndAnImageAsAnImage() throws Exception {
        sh("mkfs.vfat -C -n PROBE fat.E01 1024 >/dev/null");
        Path picture = Files.write(dir.resolve("x.001"), noise(new Random(4), 20_000));
        try (Source s = Sources.open(picture.toString())) {
            assertEquals(TakenAs.file(ImageProbe.NOT_AN_IMAGE), s.taken());
        }
        try (Source s = Sources.open(dir.resolve("fat.E01").toString())) {
            assertEquals(TakenAs.DISK_IMAGE, s.taken());
        }
        try (Source s = Sources.open(dir.toString())) {
            assertEquals(TakenAs.DIRECTORY, s.taken());
        }
    }

    private boolean probe(String name, byte[] content) throws Exception {
        return ImageProbe.isImage(Files.write(dir.resolve(name), content).toString());
    }

    private void sh(String script) throws Exception {
        Process p = new ProcessBuilder("bash", "-c", "set -euo pipefail; export PATH=\"$PATH:/usr/sbin:/sbin\"; " + script)
                .directory(dir.toFile()).inheritIO().start();
        assertTrue(p.waitFor(1, TimeUnit.MINUTES));
        assertEquals(0, p.exitValue(), script);
    }

    private static byte[] noise(Random rnd, int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }

    private static byte[] withAt(byte[] b, int at, byte[] what) {
        System.arraycopy(what, 0, b, at, what.length);
        return b;
    }
}
