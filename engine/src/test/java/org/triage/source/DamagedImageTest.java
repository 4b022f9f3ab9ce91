package org.triage.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.triage.model.EntryType;

/**
 * Damaged volumes and metadata (issue 16, items 5, 6 and 7), on images built by make-damaged.sh
 * with Debian's tools: a bad partition entry hides nothing, damaged metadata is an error and never
 * another kind of entry, content shorter than its size is never a digest. Checked against
 * sfdisk/mmls/fls/icat/istat/fsck.fat of the images, never against this code; the images are
 * unchanged by every scan.
 */
class DamagedImageTest {
    @TempDir
    static Path dir;
    static String before;

    @BeforeAll
    static void build() throws Exception {
        try (var in = DamagedImageTest.class.getResourceAsStream("make-damaged.sh")) {
            Files.copy(in, dir.resolve("make-damaged.sh"));
        }
        ImageOracle.run(dir, "bash", dir.resolve("make-damaged.sh").toString(), dir.toString());
        before = sha256();
    }

    @AfterAll
    static void evidenceUnchanged() throws Exception {
        assertEquals(before, sha256(), "the images are unchanged by the scans");
    }

    private static String sha256() throws Exception {
        return new String(ImageOracle.run(dir, "bash", "-c", "sha256sum *.img *.E01"), StandardCharsets.UTF_8);
    }

    private static String text(String... command) throws Exception {
        return new String(ImageOracle.run(dir, command), StandardCharsets.UTF_8);
    }

    private static TskImageSourceTest.Scanned scan(String image) throws Exception {
        try (TskImageSource s = TskImageSource.open(dir.resolve(image).toString(), null, true)) {
            return TskImageSourceTest.scan(s);
        }
    }

    /** fls + icat of one partition of an intact image, at the sector sfdisk --dump gives for it. */
    private static Set<String> oracle(String image, int partition) throws Exception {
        String dump = text("sfdisk", "--dump", image);
        String line = dump.lines().filter(l -> l.startsWith(image + partition + " ")).findFirst().orElseThrow();
        long sector = Long.parseLong(line.replaceAll(".*start=\\s*(\\d+).*", "$1"));
        return ImageOracle.items(dir.resolve(image)).stream().filter(i -> i.partitionOffset() == sector * 512)
                .map(i -> i.path() + " " + i.md5()).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> mine(TskImageSourceTest.Scanned s, long offset) {
        return s.items().stream().filter(i -> i.partitionOffset() != null && i.partitionOffset() == offset)
                .map(i -> i.path() + " " + i.md5()).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void anMbrEntryBeyondTheImageHidesNotTheGoodPartitions() throws Exception {
        Set<String> first = oracle("mbr-ok.img", 1);
        Set<String> second = oracle("mbr-ok.img", 2);
        assertTrue(first.stream().anyMatch(f -> f.startsWith("known.bin ")), first.toString());
        assertFalse(text("bash", "-c", "mmls mbr-bad2.img 2>&1 || true").contains("Linux"), "libtsk rejects the table");

        TskImageSourceTest.Scanned s = scan("mbr-bad2.img");
        assertEquals(first, mine(s, 2048L * 512), "partition 1 is read in full");
        assertTrue(mine(s, 71680L * 512).isEmpty());
        assertFalse(second.isEmpty());
        String all = String.join("\n", s.errors());
        assertTrue(all.contains("mbr-bad2.img") && all.contains("partition entry 2 (type 0x83) starts at sector 100000000,"
                + " beyond the image's end (122880 sectors)"), all);
        assertEquals(1, s.errors().size(), all);
    }

    @Test
    void aGptWithoutItsPrimaryHeaderIsReadFromTheBackup() throws Exception {
        // sfdisk reads the damaged disk from its backup header, and finds the partitions of the intact one.
        String damaged = text("bash", "-c", "sfdisk --dump gpt-nohdr.img 2>/dev/null | grep start= | sed 's/^gpt-nohdr/gpt-ok/'");
        String intact = text("bash", "-c", "sfdisk --dump gpt-ok.img | grep start=");
        assertEquals(intact, damaged);
        TskImageSourceTest.Scanned s = scan("gpt-nohdr.img");
        assertEquals(oracle("gpt-ok.img", 1), mine(s, 2048L * 512));
        assertEquals(oracle("gpt-ok.img", 2), mine(s, 71680L * 512));
        String all = String.join("\n", s.errors());
        assertTrue(all.contains("GPT primary header at sector 1: no \"EFI PART\" signature; the partitions are read from"
                + " the backup header at sector 122879"), all);
    }

    @Test
    void aLoopingFatChainIsUnreadableNeverAnEmptyFile() throws Exception {
        String fsck = text("bash", "-c", "fsck.fat -n fatloop.img 2>&1 || true");
        assertTrue(fsck.contains("Circular cluster chain"), fsck);
        String istat = text("bash", "-c", "istat fatloop.img $(ifind -n known.bin fatloop.img)");
        assertTrue(istat.contains("Size: 93691"), istat);

        TskImageSourceTest.Scanned s = scan("fatloop.img");
        assertTrue(s.items().stream().noneMatch(i -> i.path().equals("known.bin")), "no digest: " + s.items());
        String all = String.join("\n", s.errors());
        assertTrue(all.contains("'known.bin': read 0 of 93691 bytes:"), all);
    }

    @Test
    void anNtfsRecordWithABrokenFixupIsUnreadableNotOther() throws Exception {
        String inode = text("ifind", "-n", "a.bin", "ntfs-ok.img").trim();
        String istat = text("bash", "-c", "istat ntfs-fixup.img " + inode + " 2>&1 || true");
        assertTrue(istat.contains("Incorrect update sequence value"), istat);

        TskImageSourceTest.Scanned s = scan("ntfs-fixup.img");
        SourceEntry a = s.entries().stream().filter(e -> e.path().display().equals("a.bin")).findFirst().orElseThrow();
        assertNotNull(a.error(), a.toString());
        assertTrue(a.error().contains("inode " + inode + ", 'a.bin'") && a.error().contains("Incorrect update sequence value"),
                a.error());
        String b = new String(ImageOracle.run(dir, "bash", "-c", "icat ntfs-fixup.img $(ifind -n b.bin ntfs-ok.img) | md5sum"),
                StandardCharsets.US_ASCII).split(" ")[0];
        assertTrue(s.items().stream().anyMatch(i -> i.path().equals("b.bin") && i.md5().equals(b)), "b.bin still read");
    }

    @Test
    void damagedExtInodesAreErrorsNeverOtherKindsOfEntries() throws Exception {
        Set<Long> damaged = Files.readAllLines(dir.resolve("ext4-inodes.txt")).stream().map(Long::parseLong)
                .collect(Collectors.toSet());
        // fls of the intact image: which allocated names point at the damaged inodes.
        Set<String> named = new TreeSet<>();
        for (String line : text("fls", "-r", "-p", "ext4-ok.img").split("\n")) {
            String[] f = line.split("\t", 2);
            long ino = Long.parseLong(f[0].replaceAll(".* ([0-9]+):$", "$1"));
            if (damaged.contains(ino)) named.add(f[1]);
        }
        assertFalse(named.isEmpty());
        TskImageSourceTest.Scanned s = scan("ext4-inodes.img");
        List<String> misread = new ArrayList<>();
        int errors = 0;
        for (SourceEntry e : s.entries()) {
            if (e.details().deleted() || !damaged.contains(e.details().inode())) continue;
            if (e.error() != null) {
                errors++;
                continue;
            }
            if (e.type() == EntryType.FILE) continue; // its read is checked below
            misread.add(e.path().display() + " as " + e.type());
        }
        assertEquals(List.of(), misread, "damaged inodes listed as another kind of entry without an error");
        assertTrue(errors > 0);
        // A damaged inode read as a file either fails or is read as libtsk maps it; never beyond the filesystem.
        for (String e : s.errors()) assertFalse(e.contains("Exception"), e);
    }

    /**
     * The case: ten random inodes that keep the inline-data flag and claim gigabytes. libtsk
     * would allocate and zero each claimed size while listing; the child JVM that lists the image
     * has 256 MB of heap and 3 GB of address space in all, so that costs the test its pass rather
     * than only time. Each allocated name of a damaged inode (fls of the intact image) is listed as
     * unreadable with the size debugfs reads in the inode; the media hash is md5sum's.
     */
    @ParameterizedTest
    @CsvSource({"ext4-inline.img, ext4-inline.img, ext4-ok.img, ext4-inline.txt",
        "ext4-inline-mbr.E01, ext4-inline-mbr.img, ext4-ok.img, ext4-inline.txt",
        "ext4-inline-early.img, ext4-inline-early.img, ext4-early-ok.img, ext4-inline-early.txt"})
    void anInodeClaimingGigabytesOfInlineDataIsUnreadableAndCostsNoGigabytes(String image, String media, String intact,
                                                                              String damagedList) throws Exception {
        Map<Long, String> claimed = new TreeMap<>();
        for (String line : Files.readAllLines(dir.resolve(damagedList))) {
            long ino = Long.parseLong(line);
            String stat = text("bash", "-c", "/sbin/debugfs -n -R 'stat <" + ino + ">' " + damagedList.replace(".txt", ".img") + " 2>/dev/null");
            long flags = Long.parseLong(stat.replaceAll("(?s)^.*?Flags: 0x([0-9a-f]+).*", "$1"), 16);
            assertTrue((flags & 0x10000000) != 0, "debugfs sees the inline-data flag: " + stat);
            claimed.put(ino, stat.replaceAll("(?s)^.*?\\bSize: (\\d+).*", "$1"));
        }
        Map<String, Long> named = new TreeMap<>();
        for (String line : text("fls", "-r", "-p", intact).split("\n")) {
            String[] f = line.split("\t", 2);
            long ino = Long.parseLong(f[0].replaceAll(".* ([0-9]+):$", "$1"));
            if (claimed.containsKey(ino) && !f[0].contains("*")) named.put(f[1], ino);
        }
        assertFalse(named.isEmpty());

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder("bash", "-c", "ulimit -v 3000000 && exec \"$0\" \"$@\"", java, "-Xmx256m",
                "-XX:ReservedCodeCacheSize=64m", "-XX:CompressedClassSpaceSize=64m", "-XX:+UseSerialGC",
                "-cp", org.triage.ChildJvm.classPath(), Lister.class.getName(),
                dir.resolve(image).toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.endsWith("DONE\n"), out);
        for (Map.Entry<String, Long> n : named.entrySet()) {
            long ino = n.getValue();
            String start = "ENTRY " + n.getKey() + "\t" + ino + "\t" + dir.resolve(image) + ", ";
            String end = ", inode " + ino + ", '" + n.getKey() + "': inode " + ino + " claims " + claimed.get(ino)
                    + " bytes of inline data, more than an inode of 256 bytes holds: damaged metadata";
            assertTrue(out.lines().anyMatch(l -> l.startsWith(start) && l.endsWith(end)), "want " + start + "…" + end + " in:\n" + out);
        }
        String md5 = text("md5sum", media).split(" ")[0];
        assertTrue(out.contains("MEDIA " + md5 + "\n"), "media hash of the evidence's bytes (" + md5 + "):\n" + out);
    }

    /** Child JVM: lists an image (with --verify's media hash) and prints each entry with its error. */
    static final class Lister {
        public static void main(String[] args) throws IOException {
            try (TskImageSource s = TskImageSource.open(args[0], JvmMediaDigest::of, true)) {
                StringBuilder out = new StringBuilder();
                s.walk(e -> {
                    out.append("ENTRY ").append(e.path().display()).append('\t').append(e.details().inode()).append('\t')
                            .append(String.valueOf(e.error()).replace('\n', ' ')).append('\n');
                    return true;
                });
                out.append("MEDIA ").append(s.image().md5()).append('\n');
                System.out.print(out);
            }
            System.out.println("DONE");
        }
    }

    @Test
    void anInterruptedListingDeliversNothingAndReturns() throws Exception {
        try (TskImageSource s = TskImageSource.open(dir.resolve("ext4-ok.img").toString(), null, true)) {
            List<SourceEntry> got = new ArrayList<>();
            Thread.currentThread().interrupt();
            try {
                s.walk(got::add);
            } finally {
                Thread.interrupted();
            }
            assertEquals(List.of(), got);
            // and a walk that is not interrupted lists everything again
            s.walk(got::add);
            assertTrue(got.size() > 30, "listed " + got.size());
        }
    }
}
