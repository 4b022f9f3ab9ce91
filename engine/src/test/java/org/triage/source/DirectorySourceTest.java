package org.triage.source;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.triage.model.EntryType;
import org.triage.model.RawPath;
import org.triage.natives.LibC;

/**
 * DirectorySource against real files in a temporary directory. Content is checked against
 * coreutils' md5sum/sha256sum run on the same file, metadata against coreutils' stat; names that
 * Java cannot create are made with python3.
 */
class DirectorySourceTest {
    private static final int MIB = 1 << 20;
    private static final HexFormat HEX = HexFormat.of();

    @TempDir
    Path tmp;

    // ---------------------------------------------------------------- listing

    @Test
    void listsRegularFilesRecursivelyButNotDirectories() throws Exception {
        Path root = Files.createDirectory(tmp.resolve("evidence"));
        Files.createDirectories(root.resolve("a/b"));
        Files.createDirectories(root.resolve("empty"));
        Files.writeString(root.resolve("e.txt"), "e");
        Files.writeString(root.resolve("a/d.txt"), "dd");
        Files.writeString(root.resolve("a/b/c.txt"), "ccc");

        List<SourceEntry> entries = walk(root);

        assertEquals(Set.of("e.txt", "a/d.txt", "a/b/c.txt"), displayPaths(entries));
        for (SourceEntry e : entries) {
            assertEquals(EntryType.FILE, e.type(), e.path().display());
            assertNull(e.error());
            assertNull(e.hardLinkOf());
            // Metadata against coreutils' stat: st_dev (makedev), inode, link count, size.
            String[] st = run(root, "stat", "-c", "%d %i %h %s", "--", e.path().display()).trim().split(" ");
            assertEquals(new FileKey(Long.parseUnsignedLong(st[0]), Long.parseUnsignedLong(st[1])), e.key());
            assertEquals(Long.parseLong(st[2]), e.linkCount());
            assertEquals(Long.parseLong(st[3]), e.size());
        }
    }

    @Test
    void ordersEachDirectoryByInodeFilesFirstThenSubdirectoriesDepthFirst() throws Exception {
        Path root = Files.createDirectory(tmp.resolve("evidence"));
        for (String d : List.of("", "x/", "y/", "x/z/")) {
            if (!d.isEmpty()) Files.createDirectories(root.resolve(d));
            for (int i = 0; i < 12; i++) Files.writeString(root.resolve(d + "f" + i), d + i);
        }
        // Delete and re-create some so that inode order differs from creation and name order.
        for (int i = 0; i < 12; i += 3) {
            Files.delete(root.resolve("f" + i));
            Files.writeString(root.resolve("f" + i), "again");
        }

        List<String> order = new ArrayList<>();
        for (SourceEntry e : walk(root)) order.add(e.path().display());

        // Files of one directory are delivered together, in inode order (inodes from coreutils' stat).
        for (String dir : List.of("", "x/", "y/", "x/z/")) {
            List<String> mine = order.stream()
                    .filter(p -> p.startsWith(dir) && p.indexOf('/', dir.length()) < 0).toList();
            assertEquals(12, mine.size());
            int first = order.indexOf(mine.get(0));
            assertEquals(mine, order.subList(first, first + 12), "files of '" + dir + "' are contiguous");
            List<String> byInode = new ArrayList<>(mine);
            Map<String, Long> inode = new HashMap<>();
            for (String p : mine) inode.put(p, Long.parseLong(run(root, "stat", "-c", "%i", "--", p).trim()));
            byInode.sort(Comparator.comparing(inode::get));
            assertEquals(byInode, mine, "files of '" + dir + "' in inode order");
        }
        // Root files first. Depth first: x's whole subtree is contiguous, x's own files before x/z's.
        assertTrue(order.subList(0, 12).stream().noneMatch(p -> p.contains("/")), order.toString());
        int firstX = order.indexOf(order.stream().filter(p -> p.startsWith("x/")).findFirst().orElseThrow());
        List<String> xTree = order.subList(firstX, firstX + 24);
        assertTrue(xTree.stream().allMatch(p -> p.startsWith("x/")), order.toString());
        assertTrue(xTree.subList(0, 12).stream().noneMatch(p -> p.startsWith("x/z/")), order.toString());
    }

    @Test
    void visitorCanStopTheWalk() throws Exception {
        Path root = Files.createDirectory(tmp.resolve("evidence"));
        for (int i = 0; i < 10; i++) Files.writeString(root.resolve("f" + i), "x");
        List<SourceEntry> seen = new ArrayList<>();
        try (DirectorySource source = DirectorySource.open(root.toString())) {
            source.walk(e -> {
                seen.add(e);
                return seen.size() < 3;
            });
        }
        assertEquals(3, seen.size());
    }

    // ---------------------------------------------------------------- content

    @Test
    void contentMatchesMd5sumAndSha256sum() throws Exception {
        Path root = Files.createDirectory(tmp.resolve("evidence"));
        Random random = new Random(42);
        Map<String, Integer> sizes = new LinkedHashMap<>();
        sizes.put("empty", 0);
        sizes.put("one-byte", 1);
        sizes.put("one-mib", MIB);
        sizes.put("one-mib-plus-one", MIB + 1);
        sizes.put("odd", 3 * MIB + 12345);
        for (Map.Entry<String, Integer> s : sizes.entrySet()) {
            byte[] content = new byte[s.getValue()];
            random.nextBytes(content);
            Files.write(root.resolve(s.getKey()), content);
        }

        try (DirectorySource source = DirectorySource.open(root.toString())) {
            List<SourceEntry> entries = walk(source);
            assertEquals(sizes.keySet(), displayPaths(entries));
            for (SourceEntry e : entries) {
                assertEquals((long) sizes.get(e.path().display()), e.size());
                byte[] rel = e.path().bytes();
                // A full-size buffer and an awkward one, so chunk boundaries fall in different places.
                for (int bufferSize : new int[] {MIB, 64 * 1024 + 7}) {
                    byte[][] d = digests(source, e, bufferSize, "MD5", "SHA-256");
                    assertEquals(oracle("md5sum", root, rel), HEX.formatHex(d[0]), e.path() + " md5");
                    assertEquals(oracle("sha256sum", root, rel), HEX.formatHex(d[1]), e.path() + " sha256");
                }
            }
        }
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void readsASparse3GiBFileWithinTheTestHeap() throws Exception {
        Path root = Files.createDirectory(tmp.resolve("evidence"));
        Path file = root.resolve("sparse.img");
        long size = 3L << 30;
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(size);
            raf.seek(1L << 30);
            raf.write("in the middle".getBytes(UTF_8));
            raf.seek(size - 3);
            raf.write("end".getBytes(UTF_8));
        }
        // md5sum runs on the other core while we read the same file through the source.
        Process md5sum = new ProcessBuilder("md5sum", "sparse.img").directory(root.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (DirectorySource source = DirectorySource.open(root.toString())) {
            SourceEntry e = walk(source).get(0);
            assertEquals(size, e.size());
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            byte[] buf = new byte[MIB];
            long total = 0;
            try (ContentReader r = source.open(e)) {
                for (int n; (n = r.read(buf, 0, buf.length)) >= 0; ) {
                    md5.update(buf, 0, n);
                    total += n;
                }
            }
            assertEquals(size, total);
            String expected = new String(md5sum.getInputStream().readAllBytes(), UTF_8).split(" ")[0];
            assertEquals(0, md5sum.waitFor());
            assertEquals(expected, HEX.formatHex(md5.digest()));
        } finally {
            md5sum.destroy();
        }
    }

    @Test
    void readsFromSeveralThreadsAtOnce() throws Exception {
        Path root = Files.createDirectory(tmp.resolve("evidence"));
        Random random = new Random(7);
        for (int i = 0; i < 8; i++) {
            byte[] content = new byte[MIB / 2 + i * 1000];
            random.nextBytes(content);
            Files.write(root.resolve("f" + i), content);
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (DirectorySource source = DirectorySource.open(root.toString())) {
            List<Future<String[]>> results = new ArrayList<>();
            for (SourceEntry e : walk(source)) {
                Callable<String[]> task = () -> new String[] {
                        e.path().display(), HEX.formatHex(digests(source, e, 4096, "MD5")[0])};
                results.add(pool.submit(task));
            }
            for (Future<String[]> f : results) {
                String[] r = f.get(30, TimeUnit.SECONDS);
                assertEquals(oracle("md5sum", root, r[0].getBytes(UTF_8)), r[1], r[0]);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    // ---------------------------------------------------------------- names

    @Test
    void listsAndReadsNamesByTheirExactBytes() throws Exception {
        Path root = Files.createDirectory(tmp.resolve("evidence"));
        List<byte[]> names = List.of(
                "with space.txt".getBytes(UTF_8),
                "new\nline.txt".getBytes(UTF_8),
                "back\\slash".getBytes(UTF_8),
                "café-文件.txt".getBytes(UTF_8),
                bytes(0xFF, '.', 'b', 'i', 'n'),
                bytes(0xC3, 0x28, '.', 'b', 'i', 'n'),
                bytes('d', 'i', 'r', 0xFE, '/', 'i', 'n', 0x80, '\n'));
        // Java cannot create names that are not valid UTF-8: python3 writes each file with its own
        // name (three times) as content.
        python("""
                import os, sys
                root = os.fsencode(sys.argv[1])
                for h in sys.argv[2:]:
                    rel = bytes.fromhex(h)
                    parent = os.path.dirname(rel)
                    if parent:
                        os.makedirs(os.path.join(root, parent), exist_ok=True)
                    fd = os.open(os.path.join(root, rel), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
                    os.write(fd, rel * 3)
                    os.close(fd)
                """, Stream.concat(Stream.of(root.toString()), names.stream().map(HEX::formatHex)).toArray(String[]::new));

        try (DirectorySource source = DirectorySource.open(root.toString())) {
            List<SourceEntry> entries = walk(source);
            Set<String> expected = names.stream().map(HEX::formatHex).collect(Collectors.toCollection(TreeSet::new));
            Set<String> listed = entries.stream().map(e -> HEX.formatHex(e.path().bytes()))
                    .collect(Collectors.toCollection(TreeSet::new));
            assertEquals(expected, listed);
            for (SourceEntry e : entries) {
                assertEquals(EntryType.FILE, e.type());
                byte[] rel = e.path().bytes();
                assertArrayEquals(repeat(rel, 3), readAll(source, e), e.path().display());
                assertEquals(oracle("md5sum", root, rel), HEX.formatHex(digests(source, e, 100, "MD5")[0]));
            }
            assertFalse(entries.stream().filter(e -> e.path().bytes()[0] == (byte) 0xFF).findFirst().orElseThrow()
                    .path().isUtf8());
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void walksAndReads300NestedDirectoriesBeyondPathMaxWithoutADescriptorPerLevel() throws Exception {
        Path root = Files.createDirectory(tmp.resolve("evidence"));
        python("""
                import os, sys
                fd = os.open(sys.argv[1], os.O_RDONLY | os.O_DIRECTORY)
                def write(name, data):
                    f = os.open(name, os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
                    os.write(f, data)
                    os.close(f)
                for i in range(300):
                    name = b'level-%03d-abcdefghij' % i
                    os.mkdir(name, dir_fd=fd)
                    sub = os.open(name, os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
                    os.close(fd)
                    fd = sub
                    if i == 149:
                        write(b'mid.bin', b'middle' * 100)
                write(b'deep.bin', b'deep' * 5000)
                """, root.toString());
        try {
            DirectorySource.open(root.toString()).close(); // binds libc first (libffi keeps a descriptor of its own)
            Set<String> before = descriptors();
            long[] most = {0};
            List<SourceEntry> entries = new ArrayList<>();
            try (DirectorySource source = DirectorySource.open(root.toString())) {
                source.walk(e -> {
                    entries.add(e);
                    most[0] = Math.max(most[0], openDescriptors());
                    return true;
                });
                assertEquals(List.of(), entries.stream().filter(e -> e.error() != null).map(SourceEntry::error).toList());
                assertEquals(2, entries.size(), "only the two files are entries");
                SourceEntry deep = entries.stream().filter(e -> e.path().display().endsWith("deep.bin")).findFirst()
                        .orElseThrow();
                assertTrue(deep.path().length() > 4096, "path longer than PATH_MAX: " + deep.path().length());
                assertEquals(301, deep.path().display().split("/").length);
                for (SourceEntry e : entries) {
                    assertEquals(oracle("md5sum", root, e.path().bytes()), HEX.formatHex(digests(source, e, MIB, "MD5")[0]));
                }
            }
            assertTrue(most[0] <= before.size() + 3, "descriptors during the walk: " + most[0] + ", before: " + before);
            assertEquals(before, descriptors(), "no descriptor leaked");
        } finally {
            run(tmp, "rm", "-rf", "evidence"); // deeper than @TempDir's cleanup can go
        }
    }

    // ---------------------------------------------------------------- links and special files

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void symbolicLinksAreListedAndNeverFollowed() throws Exception {
        Path root = Files.createDirectory(tmp.resolve("evidence"));
        Files.createDirectory(root.resolve("sub"));
        Files.writeString(root.resolve("sub/x.txt"), "x");
        Files.createSymbolicLink(root.resolve("a"), Path.of("b"));
        Files.createSymbolicLink(root.resolve("b"), Path.of("a"));
        Files.createSymbolicLink(root.resolve("sub/up"), Path.of(".."));
        Files.createSymbolicLink(root.resolve("self"), Path.of("."));
        Files.createSymbolicLink(root.resolve("to-sub"), Path.of("sub"));
        Files.createSymbolicLink(root.resolve("dangling"), Path.of("nowhere"));
        Files.createSymbolicLink(root.resolve("absolute"), root.resolve("sub").toAbsolutePath());

        try (DirectorySource source = DirectorySource.open(root.toString())) {
            Map<String, SourceEntry> byPath = byDisplayPath(walk(source));
            assertEquals(Set.of("sub/x.txt", "a", "b", "sub/up", "self", "to-sub", "dangling", "absolute"),
                    byPath.keySet());
            for (SourceEntry e : byPath.values()) {
                if (!e.path().display().equals("sub/x.txt")) assertEquals(EntryType.SYMLINK, e.type(), e.path().display());
                assertNull(e.error());
            }
            IOException notAFile = assertThrows(IOException.class, () -> source.open(byPath.get("to-sub")));
            assertTrue(notAFile.getMessage().contains("not a regular file (symlink)"), notAFile.getMessage());
        }
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void fifosAndSocketsAreListedAndNeverOpened() throws Exception {
        Path root = Files.createDirectory(tmp.resolve("evidence"));
        run(root, "mkfifo", "fifo");
        python("""
                import os, socket, sys
                s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                s.bind(os.path.join(sys.argv[1], 'sock'))
                s.close()
                """, root.toString());
        Files.writeString(root.resolve("plain"), "plain");

        try (DirectorySource source = DirectorySource.open(root.toString())) {
            Map<String, SourceEntry> byPath = byDisplayPath(walk(source));
            assertEquals(EntryType.FIFO, byPath.get("fifo").type());
            assertEquals(EntryType.SOCKET, byPath.get("sock").type());
            assertEquals(EntryType.FILE, byPath.get("plain").type());
            assertEquals(3, byPath.size());
            IOException ex = assertThrows(IOException.class, () -> source.open(byPath.get("fifo")));
            assertTrue(ex.getMessage().contains("not a regular file (fifo)"), ex.getMessage());

        }
    }

    @Test
    void deviceNodesAreListedWithTheirType() throws Exception {
        Path root = Files.createDirectory(tmp.resolve("evidence"));
        ProcessResult chr = exec(root, "mknod", "null-copy", "c", "1", "3");
        ProcessResult blk = exec(root, "mknod", "loop-copy", "b", "7", "0");
        Assumptions.assumeTrue(chr.exit == 0 && blk.exit == 0, "mknod not permitted here: " + chr.stderr + blk.stderr);
        try (DirectorySource source = DirectorySource.open(root.toString())) {
            Map<String, SourceEntry> byPath = byDisplayPath(walk(source));
            assertEquals(EntryType.CHAR_DEVICE, byPath.get("null-copy").type());
            assertEquals(EntryType.BLOCK_DEVICE, byPath.get("loop-copy").type());
            assertThrows(IOException.class, () -> source.open(byPath.get("null-copy")));
        }
    }

    @Test
    void hardLinksAreReadOnceThroughTheirFirstPath() throws Exception {
        Path root = Files.createDirectory(tmp.resolve("evidence"));
        Files.createDirectories(root.resolve("d1"));
        Files.createDirectories(root.resolve("d2"));
        Path original = Files.writeString(root.resolve("original"), "linked content");
        for (int i = 0; i < 19; i++) Files.createLink(root.resolve((i % 2 == 0 ? "d1/" : "d2/") + "link" + i), original);
        // A file with a second link outside the evidence is still read normally.
        Files.writeString(root.resolve("half"), "half");
        Files.createLink(tmp.resolve("outside-link"), root.resolve("half"));

        List<SourceEntry> entries = walk(root);
        List<SourceEntry> linked = entries.stream().filter(e -> !e.path().display().equals("half")).toList();
        assertEquals(20, linked.size());
        SourceEntry first = linked.get(0);
        assertNull(first.hardLinkOf(), "the first path listed is a normal entry");
        for (SourceEntry e : linked.subList(1, 20)) assertEquals(first.path(), e.hardLinkOf(), e.path().display());
        for (SourceEntry e : linked) {
            assertEquals(first.key(), e.key());
            assertEquals(20, e.linkCount());
        }
        SourceEntry half = entries.stream().filter(e -> e.path().display().equals("half")).findFirst().orElseThrow();
        assertNull(half.hardLinkOf());
        assertEquals(2, half.linkCount());
    }

    @Test
    void hardLinkTrackerForgetsAFileOnceAllItsLinksAreSeen() {
        HardLinkTracker tracker = new HardLinkTracker();
        FileKey three = new FileKey(1, 10);
        assertNull(tracker.record(new FileKey(1, 5), 1, RawPath.of("single")));
        assertEquals(0, tracker.pending(), "single-link files are not remembered");
        assertNull(tracker.record(three, 3, RawPath.of("a")));
        assertEquals(RawPath.of("a"), tracker.record(three, 3, RawPath.of("b")));
        assertEquals(1, tracker.pending());
        assertEquals(RawPath.of("a"), tracker.record(three, 3, RawPath.of("c")));
        assertEquals(0, tracker.pending(), "forgotten after its third link");
    }

    // ---------------------------------------------------------------- changed between listing and open

    @Test
    void aFileDeletedBetweenWalkAndOpenGivesAClearError() throws Exception {
        IOException ex = openAfter("gone.txt", Files::delete);
        assertEquals("cannot open 'gone.txt': No such file or directory (ENOENT)", ex.getMessage());
    }

    @Test
    void aFileReplacedAfterListingIsRefused() throws Exception {
        IOException ex = openAfter("f", file -> {
            Path other = Files.writeString(tmp.resolve("other"), "another file, another inode");
            Files.move(other, file, StandardCopyOption.REPLACE_EXISTING);
        });
        assertTrue(ex.getMessage().startsWith("cannot open 'f': replaced since it was listed"), ex.getMessage());
    }

    @Test
    void aFileSwappedForASymbolicLinkAfterListingIsNotFollowed() throws Exception {
        Files.writeString(tmp.resolve("outside"), "must not be read");
        IOException ex = openAfter("f", file -> {
            Files.delete(file);
            Files.createSymbolicLink(file, tmp.resolve("outside"));
        });
        assertEquals("cannot open 'f': Too many levels of symbolic links (ELOOP)", ex.getMessage());
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aFileSwappedForAFifoAfterListingIsRefusedWithoutHanging() throws Exception {
        IOException ex = openAfter("plain", file -> {
            Files.delete(file);
            run(file.getParent(), "mkfifo", "plain");
        });
        assertEquals("cannot open 'plain': no longer a regular file (now fifo)", ex.getMessage());
    }

    @FunctionalInterface
    private interface FileChange {
        void apply(Path file) throws Exception;
    }

    /** Lists a tree of one regular file, applies the change to the file, then opens the listed entry. */
    private IOException openAfter(String name, FileChange change) throws Exception {
        Path root = Files.createDirectory(tmp.resolve("evidence"));
        Path file = Files.writeString(root.resolve(name), "listed");
        try (DirectorySource source = DirectorySource.open(root.toString())) {
            SourceEntry e = walk(source).get(0);
            assertEquals(EntryType.FILE, e.type());
            change.apply(file);
            return assertThrows(IOException.class, () -> source.open(e));
        }
    }

    // ---------------------------------------------------------------- errors

    /**
     * A directory that cannot be listed. Tests run as root here, and root is not stopped by
     * permissions, so this one makes the failure that works for anyone: the directory vanishes
     * after its parent was listed and before the walk descends into it (files of a directory are
     * delivered before its subdirectories are walked, so the visitor can delete it in between).
     */
    @Test
    void aDirectoryThatVanishesBeforeDescentIsAnErrorEntryNotASkip() throws Exception {
        Path root = Files.createDirectory(tmp.resolve("evidence"));
        Files.writeString(root.resolve("a.txt"), "a");
        Files.createDirectories(root.resolve("victim/deeper"));
        Files.writeString(root.resolve("victim/inner.txt"), "inner");
        Files.writeString(root.resolve("victim/deeper/x"), "x");

        List<SourceEntry> entries = new ArrayList<>();
        try (DirectorySource source = DirectorySource.open(root.toString())) {
            source.walk(e -> {
                entries.add(e);
                if (e.path().display().equals("a.txt")) deleteTree(root.resolve("victim"));
                return true;
            });
        }
        Map<String, SourceEntry> byPath = byDisplayPath(entries);
        assertEquals(Set.of("a.txt", "victim"), byPath.keySet());
        SourceEntry victim = byPath.get("victim");
        assertEquals(EntryType.DIRECTORY, victim.type());
        assertEquals("cannot list directory: No such file or directory (ENOENT)", victim.error());
        assertNotNull(victim.key());
    }

    /**
     * Real permission errors. As root, this thread's filesystem uid is switched to nobody with
     * setfsuid(2), which drops CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH for this thread only; it is
     * switched back in a finally. Not as root, the permissions apply as they are.
     */
    @Test
    void unreadableDirectoriesAndFilesAreReportedNotSkipped() throws Exception {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path root = Files.createDirectory(tmp.resolve("evidence"));
        Files.writeString(root.resolve("ok.txt"), "ok");
        Path locked = Files.createDirectory(root.resolve("locked"));
        Files.writeString(locked.resolve("secret.txt"), "secret");
        Path sealed = Files.writeString(root.resolve("private.bin"), "private");
        Files.setPosixFilePermissions(locked, Set.of());
        Files.setPosixFilePermissions(sealed, Set.of());

        boolean root0 = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0;
        if (root0) {
            // As root everything is readable: the same walk lists the locked directory's file.
            assertEquals(Set.of("ok.txt", "private.bin", "locked/secret.txt"), displayPaths(walk(root)));
        }
        List<SourceEntry> entries = new ArrayList<>();
        byte[] okContent = null;
        Throwable openFile = null;
        Throwable openRoot = null;
        int previous = root0 ? FsUid.setfsuid(65534) : -1;
        try {
            Assumptions.assumeTrue(!root0 || FsUid.setfsuid(65534) == 65534, "setfsuid did not take effect");
            try (DirectorySource source = DirectorySource.open(root.toString())) {
                source.walk(entries::add);
                // Not the owner: O_NOATIME is refused with EPERM and the open retries without it.
                okContent = readAll(source, entries.stream().filter(e -> e.path().display().equals("ok.txt"))
                        .findFirst().orElseThrow());
                SourceEntry sealedEntry = entries.stream().filter(e -> e.path().display().equals("private.bin"))
                        .findFirst().orElseThrow();
                try (ContentReader r = source.open(sealedEntry)) {
                    r.read(new byte[10], 0, 10);
                } catch (IOException e) {
                    openFile = e;
                }
            }
            try (DirectorySource ignored = DirectorySource.open(locked.toString())) {
                // must not open
            } catch (IOException e) {
                openRoot = e;
            }
        } finally {
            if (root0) FsUid.setfsuid(previous);
        }
        Map<String, SourceEntry> byPath = byDisplayPath(entries);
        assertEquals(Set.of("ok.txt", "private.bin", "locked"), byPath.keySet());
        assertNull(byPath.get("ok.txt").error());
        assertArrayEquals("ok".getBytes(UTF_8), okContent);
        assertEquals(EntryType.DIRECTORY, byPath.get("locked").type());
        assertEquals("cannot list directory: Permission denied (EACCES)", byPath.get("locked").error());
        assertNotNull(openFile);
        assertEquals("cannot open 'private.bin': Permission denied (EACCES)", openFile.getMessage());
        assertNotNull(openRoot);
        assertEquals("cannot open evidence directory '" + locked + "': Permission denied (EACCES)", openRoot.getMessage());
    }

    @Test
    void rootThatCannotBeOpenedThrowsNamingThePath() throws Exception {
        Path missing = tmp.resolve("no such dir");
        IOException ex = assertThrows(IOException.class, () -> DirectorySource.open(missing.toString()));
        assertEquals("cannot open evidence directory '" + missing + "': No such file or directory (ENOENT)", ex.getMessage());

        Path file = Files.writeString(tmp.resolve("a file"), "x");
        ex = assertThrows(IOException.class, () -> DirectorySource.open(file.toString()));
        assertEquals("cannot open evidence directory '" + file + "': Not a directory (ENOTDIR)", ex.getMessage());

        assertThrows(IOException.class, () -> DirectorySource.open(""));
    }

    @Test
    void rootGivenAsASymbolicLinkIsFollowedAndKeepsItsName() throws Exception {
        Path root = Files.createDirectory(tmp.resolve("evidence"));
        Files.writeString(root.resolve("f"), "f");
        Path link = Files.createSymbolicLink(tmp.resolve("alias"), root);
        try (DirectorySource source = DirectorySource.open(link.toString())) {
            assertEquals(link.toString(), source.name());
            assertEquals(Set.of("f"), displayPaths(walk(source)));
        }
    }

    @Test
    void closeIsIdempotentAndReleasesEveryDescriptor() throws Exception {
        Path root = Files.createDirectory(tmp.resolve("evidence"));
        Files.writeString(root.resolve("f"), "content");
        DirectorySource.open(root.toString()).close(); // binds libc first (libffi keeps a descriptor of its own)
        long before = openDescriptors();
        DirectorySource source = DirectorySource.open(root.toString());
        SourceEntry e = walk(source).get(0);
        ContentReader reader = source.open(e);
        assertEquals(before + 2, openDescriptors());
        reader.close();
        reader.close();
        assertThrows(IOException.class, () -> reader.read(new byte[1], 0, 1));
        source.close();
        source.close();
        assertEquals(before, openDescriptors());
        assertThrows(IllegalStateException.class, () -> source.walk(x -> true));
        assertThrows(IllegalStateException.class, () -> source.open(e));
    }

    // ---------------------------------------------------------------- evidence untouched

    @Test
    void readingDoesNotChangeAccessTimes() throws Exception {
        Path root = Files.createDirectory(tmp.resolve("evidence"));
        Files.createDirectory(root.resolve("sub"));
        Path probe = Files.writeString(tmp.resolve("probe"), "probe");
        Path file = Files.writeString(root.resolve("sub/f"), "f");
        // Make a read due for an atime update under relatime: access time before modification time.
        FileTime old = FileTime.fromMillis(System.currentTimeMillis() - 3_600_000);
        for (Path p : List.of(probe, file, root.resolve("sub"))) Files.setAttribute(p, "lastAccessTime", old);
        run(tmp, "cat", "probe");
        Assumptions.assumeFalse(old.equals(Files.getAttribute(probe, "lastAccessTime")),
                "this filesystem does not update access times (noatime): nothing to check");

        try (DirectorySource source = DirectorySource.open(root.toString())) {
            for (SourceEntry e : walk(source)) readAll(source, e);
        }
        assertEquals(old, Files.getAttribute(file, "lastAccessTime"), "file atime");
        assertEquals(old, Files.getAttribute(root.resolve("sub"), "lastAccessTime"), "directory atime");
    }

    @Test
    void evidenceIsUntouchedByAWalkAndFullRead() throws Exception {
        Path root = Files.createDirectory(tmp.resolve("evidence"));
        Files.createDirectories(root.resolve("a/b"));
        Random random = new Random(3);
        for (String name : List.of("one", "a/two", "a/b/three")) {
            byte[] content = new byte[100_000 + random.nextInt(1000)];
            random.nextBytes(content);
            Files.write(root.resolve(name), content);
        }
        Files.createLink(root.resolve("a/b/link-to-one"), root.resolve("one"));

        // The oracle reads first (it may update access times); then the tree is frozen.
        Map<String, String> digestsBefore = new TreeMap<>();
        for (String name : List.of("one", "a/two", "a/b/three", "a/b/link-to-one")) {
            digestsBefore.put(name, oracle("md5sum", root, name.getBytes(UTF_8)));
        }
        ProcessResult chattr = exec(tmp, "chattr", "-R", "+i", "evidence");
        try {
            Assumptions.assumeTrue(chattr.exit == 0, "chattr +i not possible here: " + chattr.stderr);
            assertTrue(exec(tmp, "lsattr", "-d", "evidence/one").stdout.contains("i"), "immutable flag set");
            Map<String, String> before = snapshot(root);
            Map<String, String> digestsRead = new TreeMap<>();
            try (DirectorySource source = DirectorySource.open(root.toString())) {
                for (SourceEntry e : walk(source)) {
                    digestsRead.put(e.path().display(), HEX.formatHex(digests(source, e, MIB, "MD5")[0]));
                }
            }
            assertEquals(digestsBefore, digestsRead);
            assertEquals(before, snapshot(root), "times and sizes unchanged");
        } finally {
            exec(tmp, "chattr", "-R", "-i", "evidence");
        }
    }

    /** Path to "size mtime ctime atime" for the root and everything under it, as the JDK reports them. */
    private static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.toList()) {
                Map<String, Object> a = Files.readAttributes(p, "unix:size,lastModifiedTime,ctime,lastAccessTime",
                        LinkOption.NOFOLLOW_LINKS);
                out.put(root.relativize(p).toString(),
                        a.get("size") + " " + a.get("lastModifiedTime") + " " + a.get("ctime") + " " + a.get("lastAccessTime"));
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- helpers

    private static List<SourceEntry> walk(Path root) throws IOException {
        try (DirectorySource source = DirectorySource.open(root.toString())) {
            return walk(source);
        }
    }

    private static List<SourceEntry> walk(DirectorySource source) throws IOException {
        List<SourceEntry> entries = new ArrayList<>();
        source.walk(entries::add);
        return entries;
    }

    private static Set<String> displayPaths(List<SourceEntry> entries) {
        return entries.stream().map(e -> e.path().display()).collect(Collectors.toSet());
    }

    private static Map<String, SourceEntry> byDisplayPath(List<SourceEntry> entries) {
        Map<String, SourceEntry> out = new HashMap<>();
        for (SourceEntry e : entries) assertNull(out.put(e.path().display(), e), "listed twice: " + e.path());
        return out;
    }

    private static byte[][] digests(Source source, SourceEntry e, int bufferSize, String... algorithms)
            throws IOException, NoSuchAlgorithmException {
        MessageDigest[] mds = new MessageDigest[algorithms.length];
        for (int i = 0; i < mds.length; i++) mds[i] = MessageDigest.getInstance(algorithms[i]);
        byte[] buf = new byte[bufferSize];
        try (ContentReader r = source.open(e)) {
            for (int n; (n = r.read(buf, 0, buf.length)) >= 0; ) {
                for (MessageDigest md : mds) md.update(buf, 0, n);
            }
        }
        byte[][] out = new byte[mds.length][];
        for (int i = 0; i < mds.length; i++) out[i] = mds[i].digest();
        return out;
    }

    private static byte[] readAll(Source source, SourceEntry e) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        try (ContentReader r = source.open(e)) {
            for (int n; (n = r.read(buf, 0, buf.length)) >= 0; ) out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    /**
     * Runs md5sum or sha256sum on the content of {@code root/rel} and returns its hex digest. The
     * path is handed to bash byte by byte (as \xHH) and opened one directory at a time, so names
     * that are not UTF-8 and paths longer than PATH_MAX work too.
     */
    private static String oracle(String tool, Path root, byte[] rel) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("bash", "-c", """
                tool=$1; shift; n=$#; i=0
                for c in "$@"; do
                  i=$((i+1)); printf -v p '%b' "$c"
                  if [ "$i" -lt "$n" ]; then cd -P -- "$p" || exit 3; else exec "$tool" < "$p"; fi
                done
                """, "oracle", tool));
        int start = 0;
        for (int i = 0; i <= rel.length; i++) {
            if (i == rel.length || rel[i] == '/') {
                StringBuilder sb = new StringBuilder();
                for (int j = start; j < i; j++) sb.append(String.format("\\x%02x", rel[j] & 0xff));
                cmd.add(sb.toString());
                start = i + 1;
            }
        }
        return run(root, cmd.toArray(String[]::new)).split(" ")[0];
    }

    private static void python(String script, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("python3", "-c", script));
        cmd.addAll(List.of(args));
        run(Path.of("."), cmd.toArray(String[]::new));
    }

    private record ProcessResult(int exit, String stdout, String stderr) {
    }

    private static ProcessResult exec(Path cwd, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(cwd.toFile()).start();
        p.getOutputStream().close();
        byte[] out;
        byte[] err;
        try (InputStream o = p.getInputStream(); InputStream e = p.getErrorStream()) {
            out = o.readAllBytes();
            err = e.readAllBytes();
        }
        return new ProcessResult(p.waitFor(), new String(out, UTF_8), new String(err, UTF_8));
    }

    private static String run(Path cwd, String... cmd) throws IOException, InterruptedException {
        ProcessResult r = exec(cwd, cmd);
        assertEquals(0, r.exit, () -> String.join(" ", cmd) + " failed: " + r.stderr);
        return r.stdout;
    }

    private static long openDescriptors() {
        return descriptors().size();
    }

    /** This process's open descriptors as "fd -> target" (the listing's own descriptor included). */
    private static Set<String> descriptors() {
        Set<String> out = new TreeSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    Path target = Files.readSymbolicLink(fd);
                    // This listing's own descriptor: its number depends on what other threads hold at
                    // that instant (seen: 33 before, 34 after), so it is no evidence of a leak.
                    if (target.toString().matches("/proc/\\d+/fd")) continue;
                    out.add(fd.getFileName() + " -> " + target);
                } catch (IOException gone) {
                    out.add(fd.getFileName() + " -> (closed while listing)");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < b.length; i++) b[i] = (byte) values[i];
        return b;
    }

    private static byte[] repeat(byte[] b, int times) {
        byte[] out = new byte[b.length * times];
        for (int i = 0; i < times; i++) System.arraycopy(b, 0, out, i * b.length, b.length);
        return out;
    }

    /** setfsuid(2), for the permission test only: per thread, and it drops the DAC override capabilities. */
    private static final class FsUid {
        static {
            Native.register(FsUid.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
        }

        static native int setfsuid(int fsuid);
    }

    // ---------------------------------------------------------------- pseudo-filesystems (issue 16 item 9)

    /** procfs and sysfs hold kernel state, not stored content: refused at the root, named by statfs' type. */
    @Test
    @Timeout(30)
    void aPseudoFilesystemGivenAsEvidenceIsRefusedWithItsName() throws Exception {
        // The independent oracle for the filesystem type: coreutils' stat -f.
        assertEquals("9fa0", run(tmp, "stat", "-f", "-c", "%t", "/proc/self").trim());
        IOException proc = assertThrows(IOException.class, () -> DirectorySource.open("/proc/self"));
        assertTrue(proc.getMessage().contains("'/proc/self'") && proc.getMessage().contains("procfs pseudo-filesystem"),
                proc.getMessage());
        assertEquals("62656572", run(tmp, "stat", "-f", "-c", "%t", "/sys").trim());
        IOException sys = assertThrows(IOException.class, () -> DirectorySource.open("/sys"));
        assertTrue(sys.getMessage().contains("sysfs pseudo-filesystem"), sys.getMessage());
        // A real filesystem (tmpfs or disk) is not taken for one.
        try (DirectorySource ok = DirectorySource.open(tmp.toString())) {
            assertNotNull(ok.name());
        }
    }

    /**
     * A file that reports size 0 and yields data without end (procfs' pagemap: 8 bytes per page of
     * the address space) is read no further than its size at open plus the slack.
     */
    @Test
    @Timeout(60)
    void aSizeZeroFileThatKeepsYieldingIsBounded() throws Exception {
        byte[] path = LibC.cString("/proc/self/pagemap".getBytes(UTF_8));
        int fd = LibC.openat(LibC.AT_FDCWD, path, LibC.O_RDONLY | LibC.O_CLOEXEC);
        assertTrue(fd >= 0, "open pagemap: " + LibC.describe(LibC.errno()));
        long read = 0;
        IOException stopped = null;
        try (LibC.StatxBuffer st = new LibC.StatxBuffer()) {
            assertEquals(0, st.statFd(fd));
            assertEquals(0, st.size(), "pagemap reports size 0");
            try (FileContentReader in = new FileContentReader(RawPath.of("pagemap"), fd, st.size(), st.blocks(), st.modified())) {
                byte[] buf = new byte[1 << 16];
                for (int n; (n = in.read(buf, 0, buf.length)) > 0 && read < (1L << 30); ) read += n;
            } catch (IOException e) {
                stopped = e;
            }
        }
        assertNotNull(stopped, "read " + read + " bytes of a size-0 file without stopping");
        assertTrue(read <= FileContentReader.MAX_BUFFER, "read " + read);
        assertTrue(stopped.getMessage().contains("yields more bytes than its size (0 bytes when opened)"), stopped.getMessage());
    }
}
