package org.triage.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.triage.model.RawPath;

/**
 * The fast way into a ZIP in the evidence (issue 11, Speed): stored and deflated members read by
 * {@link ZipMemberStream} straight into a direct buffer. The ZIP is made by {@code zip}, every
 * member's MD5 is what {@code unzip -p | md5sum} gives, and damage is found as Commons Compress's
 * streams found it before: an error, never a digest.
 */
class ZipMemberStreamTest {
    @TempDir
    static Path dir;
    static Path zip;
    /** Member name -> md5sum of {@code unzip -p ZIP name}. */
    static final Map<String, String> ORACLE = new LinkedHashMap<>();

    @BeforeAll
    static void build() throws Exception {
        Path work = Files.createDirectories(dir.resolve("work"));
        Random rnd = new Random(5);
        StringBuilder text = new StringBuilder();
        while (text.length() < 3_000_000) text.append("line ").append(rnd.nextInt(1000)).append(" of a log that compresses\n");
        Files.writeString(work.resolve("text3m.txt"), text);
        Files.writeString(work.resolve("empty.txt"), "");
        Files.writeString(work.resolve("one.txt"), "x");
        // Around the 512 bytes a member's type is told from.
        for (int n : new int[] {511, 512, 513}) Files.writeString(work.resolve("edge" + n + ".txt"), text.substring(0, n));
        for (int n : new int[] {20_000, 70_000, 700_000}) {
            byte[] b = new byte[n];
            rnd.nextBytes(b);
            Files.write(work.resolve("random" + n + ".bin"), b);
        }
        sh(work, "zip -q inner.zip random20000.bin edge513.txt");
        // .bin and .zip stored (-n), the text deflated.
        zip = dir.resolve("all.zip");
        sh(work, "zip -q -r -6 -n .bin:.zip " + zip + " .");
        for (String name : sh(work, "unzip -Z1 " + zip).split("\n")) {
            if (name.isBlank() || name.endsWith("/")) continue;
            ORACLE.put(name, sh(work, "unzip -p " + zip + " '" + name + "' | md5sum | cut -d' ' -f1").trim());
        }
        try (ZipFile z = ZipFile.builder().setPath(zip).get()) {
            assertEquals(ZipEntry.STORED, z.getEntry("random700000.bin").getMethod(), "zip -n stores it");
            assertEquals(ZipEntry.DEFLATED, z.getEntry("text3m.txt").getMethod(), "zip deflates text");
        }
    }

    @Test
    void storedAndDeflatedMembersAreReadStraightIntoADirectBuffer() throws Exception {
        Map<String, String> seen = new LinkedHashMap<>();
        int[] i = {0};
        String problem = list(zip, (name, size, content, error) -> {
            assertNull(error, name.display());
            assertInstanceOf(DirectContent.class, content, name.display() + " comes the fast way");
            try {
                // Every other member as the scan reads a nested archive: its head straight into the
                // buffer, the rest through the stream.
                seen.put(name.display(), md5(content, i[0]++ % 2 == 1));
            } catch (IOException e) {
                throw new AssertionError(name.display(), e);
            }
            return true;
        });
        assertNull(problem);
        assertEquals(ORACLE, seen);
    }

    @Test
    void aDamagedMemberFailsAndTheOthersAreStillRead() throws Exception {
        Path bad = dir.resolve("damaged.zip");
        Files.copy(zip, bad);
        flipMiddleOf(bad, "text3m.txt");
        flipMiddleOf(bad, "random70000.bin");
        Map<String, String> seen = new LinkedHashMap<>();
        Map<String, String> failed = new LinkedHashMap<>();
        String problem = list(bad, (name, size, content, error) -> {
            try {
                seen.put(name.display(), md5(content, false));
            } catch (IOException e) {
                failed.put(name.display(), e.getMessage());
            }
            return true;
        });
        assertNull(problem);
        assertEquals(2, failed.size(), failed.toString());
        assertTrue(failed.get("random70000.bin").startsWith("CRC-32 mismatch"), failed.toString());
        assertNotNull(failed.get("text3m.txt"), "zlib's error or the CRC's: " + failed);
        Map<String, String> rest = new LinkedHashMap<>(ORACLE);
        rest.keySet().removeAll(failed.keySet());
        assertEquals(rest, seen);
    }

    // ---- helpers

    private static String list(Path archive, MemberVisitor visitor) throws Exception {
        try (FileChannel ch = FileChannel.open(archive, StandardOpenOption.READ); ZipInflation zips = new ZipInflation()) {
            ExpansionBudget budget = new ExpansionBudget(ArchiveLimits.defaults(4), ch.size());
            return ArchiveLister.list(ArchiveFormat.ZIP, ch, null, RawPath.of(archive.getFileName().toString()), budget, visitor, zips);
        }
    }

    /** MD5 of the member read through {@link DirectContent} (after its first 512 bytes through the stream when {@code mixed}). */
    private static String md5(InputStream content, boolean mixed) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("MD5");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
        DirectContent direct = (DirectContent) content;
        ByteBuffer buf = ByteBuffer.allocateDirect(5000); // not a multiple of anything the reader uses
        if (mixed) {
            int n = direct.read(buf.limit(512));
            if (n > 0) md.update(buf.flip());
            byte[] rest = new byte[3000];
            while ((n = content.read(rest)) >= 0) md.update(rest, 0, n);
        } else {
            while (direct.read(buf.clear()) >= 0) md.update(buf.flip());
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** Flips one byte in the middle of a member's data, found through Commons Compress (the test's tool, not the code under test's path). */
    private static void flipMiddleOf(Path archive, String member) throws IOException {
        long at;
        try (ZipFile z = ZipFile.builder().setPath(archive).get()) {
            ZipArchiveEntry e = z.getEntry(member);
            z.getRawInputStream(e).close();
            at = e.getDataOffset() + e.getCompressedSize() / 2;
        }
        try (FileChannel ch = FileChannel.open(archive, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            ch.read(one, at);
            one.put(0, (byte) (one.get(0) ^ 0x5A)).rewind();
            ch.write(one, at);
        }
    }

    private static String sh(Path in, String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("bash", "-o", "pipefail", "-c", command).directory(in.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) throw new IOException(command + " failed");
        return out;
    }
}
