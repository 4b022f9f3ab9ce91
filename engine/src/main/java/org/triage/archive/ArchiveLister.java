package org.triage.archive;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.Enumeration;
import java.util.zip.ZipEntry;
import org.apache.commons.compress.MemoryLimitException;
import org.apache.commons.compress.PasswordRequiredException;
import org.apache.commons.compress.archivers.sevenz.SevenZArchiveEntry;
import org.apache.commons.compress.archivers.sevenz.SevenZFile;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.triage.model.RawPath;

/**
 * Lists one archive's regular-file members to a {@link MemberVisitor}, each member's bytes
 * decompressed as a stream (Apache Commons Compress; xz-java for XZ and 7z's LZMA), never to disk
 * and never whole in memory. Directories, links and devices inside archives are not listed: they
 * hold no content to match.
 *
 * <p>Two ways in. An archive in the evidence comes as a {@link SeekableByteChannel} over the
 * source's own reader (positional reads, no temp file): ZIP is read by its central directory
 * ({@link ZipFile}: every member, also those a streaming reader cannot see, ZIP64 included; its
 * stored and deflated members, nearly all ZIPs hold, are read by {@link ZipMemberStream} with the
 * thread's {@link ZipInflation}, straight into the caller's buffers), 7z by
 * its header ({@link SevenZFile}). An archive inside an archive comes as a stream, the member's
 * bytes as they are decompressed: ZIP is then read by its local headers
 * ({@link ZipArchiveInputStream}): members present only in the central directory, or stored with a
 * data descriptor and no size, can be missed, and a ZIP whose central directory cannot be read in the
 * evidence is read this way too. A 7z inside an archive is not expanded: 7z needs random access, and
 * buffering the member whole would break the memory bound; its record says so. TAR, gzip, bzip2
 * and xz are streams either way; a compressed TAR ({@code .tar.gz}) is one level, its members
 * named by the TAR, the compressed file their container.
 *
 * <p>Errors: a member that cannot be read (CRC mismatch, truncated, encrypted, unsupported method,
 * refused by a bound) gets the reason through the visitor or the exception its stream throws, and
 * listing goes on where the format allows; a problem with the archive as a whole (unreadable
 * header, truncated between members) is returned, and the members found before it stand. After a
 * refused member of a stream, listing stops: the next member lies behind the refused one's bytes,
 * and skipping them would mean decompressing them.
 *
 * <p>Stateless; runs on the caller's thread.
 */
public final class ArchiveLister {
    /** An LZMA dictionary larger than this is not allocated: a hostile 7z header cannot take the heap. */
    private static final int SEVEN_Z_MEMORY_KIB = 64 << 10;

    private ArchiveLister() {
    }

    /**
     * Lists the members of {@code archive} (in {@code format}); give {@code channel} for an archive
     * read from the evidence, else {@code stream}.
     *
     * @param name the archive's own name, for a compressed file's member when the format stores none
     * @return why the archive could not be listed whole, or null
     */
    public static String list(ArchiveFormat format, SeekableByteChannel channel, InputStream stream, RawPath name,
                              ExpansionBudget budget, MemberVisitor visitor) throws InterruptedException {
        return list(format, channel, stream, name, budget, visitor, null);
    }

    /**
     * {@link #list(ArchiveFormat, SeekableByteChannel, InputStream, RawPath, ExpansionBudget, MemberVisitor)},
     * the stored and deflated members of a ZIP read from {@code channel} through {@code zips} (the
     * calling thread's; null: through Commons Compress's streams): their content is then also
     * {@link DirectContent}.
     */
    public static String list(ArchiveFormat format, SeekableByteChannel channel, InputStream stream, RawPath name,
                              ExpansionBudget budget, MemberVisitor visitor, ZipInflation zips) throws InterruptedException {
        CountingInput counted = new CountingInput();
        try {
            switch (format) {
                case ZIP -> {
                    if (channel != null) return zipFile(counted.channel(channel), counted, budget, visitor, channel, zips);
                    return zipStream(counted.stream(stream), counted, budget, visitor);
                }
                case SEVEN_Z -> {
                    if (channel == null) {
                        return "7z archive inside an archive not expanded: 7z needs random access, and a member is "
                                + "never held whole in memory nor written to disk";
                    }
                    return sevenZ(counted.channel(channel), counted, name, budget, visitor);
                }
                case RAR -> {
                    return "RAR archives are not expanded";
                }
                default -> {
                    InputStream in = counted.stream(channel != null ? Channels.newInputStream(channel.position(0)) : stream);
                    return compressedOrTar(format, in, counted, name, budget, visitor);
                }
            }
        } catch (java.io.InterruptedIOException e) {
            throw new InterruptedException(e.getMessage());
        } catch (IOException | RuntimeException e) {
            // Commons Compress throws unchecked exceptions for some malformed input; either way the
            // archive, not the scan, failed.
            return "archive not fully read: " + describe(e);
        }
    }

    private static String zipFile(SeekableByteChannel ch, CountingInput counted, ExpansionBudget budget,
                                  MemberVisitor visitor, SeekableByteChannel raw, ZipInflation zips)
            throws IOException, InterruptedException {
        ZipFile zip;
        try {
            // Local headers are read as each member is (where its data starts), not all at the open:
            // the open is the one stretch no member is hashed beside (the hashers wait), and reading
            // and parsing 50,000 local headers there cost the bench's archive slice about a
            // second. Names, sizes and CRCs come from the central directory either way.
            zip = ZipFile.builder().setSeekableByteChannel(ch).setUseUnicodeExtraFields(false).setIgnoreLocalFileHeader(true).get();
        } catch (IOException | RuntimeException e) {
            // No central directory (a truncated or carved ZIP): read what the local headers give.
            String problem = zipStream(counted.stream(Channels.newInputStream(raw.position(0))), counted, budget, visitor);
            String why = "ZIP central directory unreadable (" + describe(e) + "): members read from their local headers";
            return problem == null ? why : why + "; " + problem;
        }
        try (zip) {
            Enumeration<ZipArchiveEntry> entries = zip.getEntriesInPhysicalOrder();
            while (entries.hasMoreElements()) {
                ZipArchiveEntry e = entries.nextElement();
                if (e.isDirectory() || e.isUnixSymlink()) continue;
                RawPath member = zipName(e);
                String unreadable = zipUnreadable(e, zip.canReadEntryData(e));
                if (unreadable != null) {
                    if (!visitor.member(member, e.getSize(), null, unreadable)) return null;
                    continue;
                }
                InputStream data;
                try {
                    InputStream fast = direct(zip, e, ch, zips);
                    data = fast != null ? fast : new CrcCheckedStream(zip.getInputStream(e), e::getCrc);
                } catch (IOException | RuntimeException ex) {
                    if (!visitor.member(member, e.getSize(), null, describe(ex))) return null;
                    continue;
                }
                try (data) {
                    ExpansionGuard g = ExpansionGuard.over(data, budget, counted::count);
                    if (!visitor.member(member, e.getSize(), g, null)) return null;
                } catch (IOException | RuntimeException ignored) {
                    // closing a member's stream after it was read: nothing of the member depends on it
                }
                if (budget.exhausted()) return "not fully expanded: " + budget.exhaustedReason();
            }
        }
        return null;
    }

    /**
     * A stored or deflated member read by {@link ZipMemberStream} (CRC checked there), or null for
     * Commons Compress's own stream: another method, no {@code zips}, or an offset or size the
     * directory does not settle.
     */
    private static InputStream direct(ZipFile zip, ZipArchiveEntry e, SeekableByteChannel ch, ZipInflation zips) throws IOException {
        int method = e.getMethod();
        if (zips == null || (method != ZipEntry.STORED && method != ZipEntry.DEFLATED)) return null;
        // Reading the local header (where the data starts) is Commons Compress's; the data is ours.
        if (zip.getRawInputStream(e) == null) return null;
        long offset = e.getDataOffset();
        long compressed = e.getCompressedSize();
        if (offset < 0 || compressed < 0 || (method == ZipEntry.STORED && compressed != e.getSize())) return null;
        return new ZipMemberStream(ch, zips, method == ZipEntry.DEFLATED, offset, compressed, e.getCrc());
    }

    private static String zipStream(InputStream in, CountingInput counted, ExpansionBudget budget, MemberVisitor visitor)
            throws IOException, InterruptedException {
        try (ZipArchiveInputStream zip = new ZipArchiveInputStream(in, "UTF-8", false, true)) {
            ZipArchiveEntry e;
            while ((e = zip.getNextEntry()) != null) {
                if (e.isDirectory() || e.isUnixSymlink()) continue;
                RawPath member = zipName(e);
                String unreadable = zipUnreadable(e, zip.canReadEntryData(e));
                if (unreadable != null) {
                    if (!visitor.member(member, e.getSize(), null, unreadable)) return null;
                    // A streamed member that cannot be read can only be skipped by its stored size.
                    if (e.getCompressedSize() < 0) return "not fully expanded: members after an unreadable one with no size in its header";
                    continue;
                }
                ZipArchiveEntry current = e;
                ExpansionGuard g = ExpansionGuard.over(new CrcCheckedStream(zip, current::getCrc), budget, counted::count);
                if (!visitor.member(member, e.getSize(), g, null)) return null;
                if (g.refused()) return "not fully expanded: a member was refused, and the members after it lie behind its bytes";
                if (budget.exhausted()) return "not fully expanded: " + budget.exhaustedReason();
            }
        }
        return null;
    }

    private static String zipUnreadable(ZipArchiveEntry e, boolean canRead) {
        if (e.getGeneralPurposeBit().usesEncryption() || e.getGeneralPurposeBit().usesStrongEncryption()) {
            return "encrypted: not expanded (no key)";
        }
        if (!canRead) return "compression method " + e.getMethod() + " is not supported: not expanded";
        return null;
    }

    /** The name's bytes exactly as the archive holds them. */
    private static RawPath zipName(ZipArchiveEntry e) {
        byte[] raw = e.getRawName();
        return raw != null ? RawPath.of(raw) : RawPath.of(e.getName());
    }

    private static String sevenZ(SeekableByteChannel ch, CountingInput counted, RawPath name, ExpansionBudget budget,
                                 MemberVisitor visitor)
            throws IOException, InterruptedException {
        SevenZFile seven;
        try {
            seven = SevenZFile.builder().setSeekableByteChannel(ch).setMaxMemoryLimitKiB(SEVEN_Z_MEMORY_KIB).get();
        } catch (PasswordRequiredException e) {
            return "encrypted: not expanded (no key)";
        }
        try (seven) {
            SevenZArchiveEntry e;
            InputStream entryStream = new InputStream() {
                @Override
                public int read() throws IOException { return seven.read(); }

                @Override
                public int read(byte[] b, int off, int len) throws IOException { return seven.read(b, off, len); }
            };
            while ((e = seven.getNextEntry()) != null) {
                if (e.isDirectory() || e.isAntiItem()) continue;
                // A 7z of one unnamed stream (7z a -si) names its member after the archive, as 7-Zip does.
                RawPath member = e.getName() == null || e.getName().isEmpty() ? withoutSuffix(name) : RawPath.of(e.getName());
                long size = e.getSize();
                ExpansionGuard g = ExpansionGuard.over(e.hasStream() ? entryStream : InputStream.nullInputStream(),
                        budget, counted::count);
                if (!visitor.member(member, e.hasStream() ? size : 0, g, null)) return null;
                // Members of a solid block share one stream: one refused, the rest lie behind it.
                if (g.refused()) return "not fully expanded: a member was refused, and the members after it lie behind its bytes";
                if (budget.exhausted()) return "not fully expanded: " + budget.exhaustedReason();
            }
        }
        return null;
    }

    private static String compressedOrTar(ArchiveFormat format, InputStream in, CountingInput counted, RawPath name,
                                          ExpansionBudget budget, MemberVisitor visitor)
            throws IOException, InterruptedException {
        if (format == ArchiveFormat.TAR) return tar(in, counted, budget, visitor);
        InputStream plain;
        RawPath member;
        switch (format) {
            case GZIP -> {
                GzipCompressorInputStream gz = new GzipCompressorInputStream(in, true);
                String stored = gz.getMetaData().getFileName();
                // The name is ISO-8859-1 by the format: its bytes back exactly.
                member = stored == null || stored.isEmpty() ? withoutSuffix(name)
                        : RawPath.of(stored.getBytes(StandardCharsets.ISO_8859_1));
                plain = gz;
            }
            case BZIP2 -> {
                plain = new BZip2CompressorInputStream(in, true);
                member = withoutSuffix(name);
            }
            case XZ -> {
                plain = new XZCompressorInputStream(in, true);
                member = withoutSuffix(name);
            }
            default -> throw new IllegalArgumentException("not a compressed format: " + format);
        }
        try (InputStream decompressed = new BufferedInputStream(plain, 8192)) {
            // A compressed TAR is one level: its members, not the TAR, are what the examiner looks for.
            decompressed.mark(ArchiveFormat.NEEDED);
            byte[] head = decompressed.readNBytes(ArchiveFormat.NEEDED);
            decompressed.reset();
            if (ArchiveFormat.detect(head, head.length) == ArchiveFormat.TAR) return tar(decompressed, counted, budget, visitor);
            ExpansionGuard g = ExpansionGuard.over(decompressed, budget, counted::count);
            visitor.member(member, -1, g, null);
            return null;
        }
    }

    private static String tar(InputStream in, CountingInput counted, ExpansionBudget budget, MemberVisitor visitor)
            throws IOException, InterruptedException {
        TarArchiveInputStream tar = new TarArchiveInputStream(in, "UTF-8");
        TarArchiveEntry e;
        while ((e = tar.getNextEntry()) != null) {
            if (!e.isFile()) continue;
            ExpansionGuard g = ExpansionGuard.over(tar, budget, counted::count);
            if (!visitor.member(RawPath.of(e.getName()), e.getSize(), g, null)) return null;
            if (g.refused()) return "not fully expanded: a member was refused, and the members after it lie behind its bytes";
            if (budget.exhausted()) return "not fully expanded: " + budget.exhaustedReason();
        }
        return null;
    }

    /** {@code a.jpg.gz} -> {@code a.jpg}; {@code x.tgz} -> {@code x.tar}; otherwise the name itself. */
    static RawPath withoutSuffix(RawPath archive) {
        byte[] n = archive.fileName();
        String s = new String(n, StandardCharsets.ISO_8859_1);
        String lower = s.toLowerCase(java.util.Locale.ROOT);
        for (String[] rule : new String[][] {{".tgz", ".tar"}, {".tbz2", ".tar"}, {".tbz", ".tar"}, {".txz", ".tar"},
            {".gz", ""}, {".gzip", ""}, {".7z", ""}, {".bz2", ""}, {".bzip2", ""}, {".xz", ""}}) {
            if (lower.endsWith(rule[0]) && lower.length() > rule[0].length()) {
                s = s.substring(0, s.length() - rule[0].length()) + rule[1];
                break;
            }
        }
        return RawPath.of(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** The reason in words: the message, or the exception's kind where it has none. */
    static String describe(Throwable e) {
        if (e instanceof PasswordRequiredException) return "encrypted: not expanded (no key)";
        if (e instanceof MemoryLimitException) return "not expanded: it needs more memory than allowed (" + e.getMessage() + ")";
        if (e instanceof java.io.EOFException) {
            return "truncated: the archive ends inside it" + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")");
        }
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }
}
