package org.triage.source;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The files a VMDK is made of, checked before libvmdk reads them. A VMDK's descriptor (a text file
 * of its own, or embedded in a sparse extent) names its extent files, and libvmdk opens them by
 * those names in the descriptor's folder, whatever file the examiner gave: a renamed copy of a
 * monolithic sparse VMDK lying beside its original had the original read in its place (its media
 * hash reported for the copy), and one moved into another folder alone was taken as raw bytes. So
 * every extent must be a plain name in the image's own folder, exist, be the very file given when
 * the VMDK is one file, and hold every byte its header or descriptor says it has (a sparse extent's
 * grain directory and tables point to no grain past its end; a flat one is as long as its sectors).
 *
 * <p>Layouts from VMware's "Virtual Disk Format 5.0": the sparse extent header (little endian)
 * holds capacity@12, grainSize@20, descriptorOffset@28, descriptorSize@36 (sectors),
 * numGTEsPerGT@44, gdOffset@56, flags@8 (bit 16: compressed grains); an extent line reads
 * {@code RW 4192256 SPARSE "name.vmdk"} or {@code RW 40960 FLAT "name-flat.vmdk" 0}.
 *
 * <p>Reads go through {@link EvidenceFile} (O_NOATIME where allowed). Stateless; any thread.
 */
final class VmdkExtents {
    static final byte[] SPARSE_MAGIC = {'K', 'D', 'M', 'V'};
    static final String DESCRIPTOR_START = "# Disk DescriptorFile";
    private static final int SECTOR = 512;
    private static final int MAX_DESCRIPTOR = 1 << 20;
    private static final long GD_AT_END = -1L;
    private static final int FLAG_COMPRESSED = 1 << 16;
    // Bounds far above anything VMware or qemu-img writes, so that a hostile header cannot make a
    // check overflow or read gigabytes of tables: 2^40 sectors is 512 TiB.
    private static final long MAX_SECTORS = 1L << 40;
    private static final long MAX_GRAIN_SECTORS = 1 << 16;
    private static final long MAX_GTES = 1 << 16;
    private static final Pattern EXTENT = Pattern.compile(
            "^\\s*(RW|RDONLY|NOACCESS)\\s+(\\d+)\\s+(\\w+)(?:\\s+\"([^\"]*)\"(?:\\s+(\\d+))?)?\\s*$");
    private static final Pattern PARENT_CID = Pattern.compile("^\\s*parentCID\\s*=\\s*(\\S+)\\s*$");

    private VmdkExtents() {
    }

    /**
     * Every file the VMDK {@code given} is made of: the descriptor file (when it is one of its own),
     * then the extents in order.
     *
     * @throws IOException naming the extent that is missing, truncated, outside the image's folder or
     *                     another file than the one given, or what is wrong with the descriptor
     */
    static List<String> files(Path given, byte[] head) throws IOException {
        if (startsWith(head, SPARSE_MAGIC)) {
            Header h = Header.parse(given, head);
            if (h.descriptorSectors() == 0) {
                throw new IOException(given + ": a VMDK sparse extent without a descriptor (part of a split VMDK?):"
                        + " give the descriptor file that names it");
            }
            String text = descriptorText(given, h.descriptorOffset() * SECTOR, h.descriptorSectors() * SECTOR);
            List<String> files = extents(given, text, true);
            return files;
        }
        byte[] text = EvidenceFile.head(given.toString(), MAX_DESCRIPTOR + 1);
        if (text.length > MAX_DESCRIPTOR) throw new IOException(given + ": a VMDK descriptor file over 1 MiB: not a descriptor");
        List<String> out = new ArrayList<>();
        out.add(given.toString());
        out.addAll(extents(given, cText(text), false));
        return out;
    }

    /** The sparse extent header fields used here. */
    private record Header(long capacity, long grainSize, long descriptorOffset, long descriptorSectors,
                          long gtesPerGt, long gdOffset, int flags) {
        static Header parse(Path file, byte[] b) throws IOException {
            if (b.length < 80) throw new IOException(file + ": VMDK sparse header cut short (" + b.length + " bytes)");
            ByteBuffer le = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
            Header h = new Header(le.getLong(12), le.getLong(20), le.getLong(28), le.getLong(36),
                    Integer.toUnsignedLong(le.getInt(44)), le.getLong(56), le.getInt(8));
            if (h.grainSize <= 0 || h.grainSize > MAX_GRAIN_SECTORS || h.gtesPerGt <= 0 || h.gtesPerGt > MAX_GTES
                    || h.capacity < 0 || h.capacity > MAX_SECTORS || h.descriptorOffset < 0
                    || h.descriptorOffset > MAX_SECTORS || h.descriptorSectors < 0
                    || h.descriptorSectors > MAX_DESCRIPTOR / SECTOR || (h.gdOffset < 0 && h.gdOffset != GD_AT_END)
                    || h.gdOffset > MAX_SECTORS) {
                throw new IOException(file + ": VMDK sparse header damaged (grain size " + h.grainSize
                        + ", entries per grain table " + h.gtesPerGt + ", capacity " + h.capacity + ")");
            }
            return h;
        }
    }

    private static String descriptorText(Path file, long offset, long len) throws IOException {
        try (EvidenceFile f = EvidenceFile.open(file.toString())) {
            if (offset + len > f.size()) {
                throw new IOException(file + ": VMDK truncated: its descriptor lies at bytes " + offset + "-"
                        + (offset + len - 1) + " but the file holds " + f.size());
            }
            return cText(f.bytes(offset, (int) len));
        }
    }

    private static String cText(byte[] b) {
        int n = 0;
        while (n < b.length && b[n] != 0) n++;
        return new String(b, 0, n, StandardCharsets.UTF_8);
    }

    private static List<String> extents(Path given, String descriptor, boolean embedded) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : descriptor.split("\\R")) {
            Matcher pc = PARENT_CID.matcher(line);
            if (pc.matches() && !pc.group(1).equalsIgnoreCase("ffffffff")) {
                throw new IOException(given + ": a differencing VMDK (parentCID " + pc.group(1)
                        + "): the rest of the disk is in its parent, which is not read: cannot be examined alone");
            }
            Matcher m = EXTENT.matcher(line);
            if (!m.matches()) continue;
            String type = m.group(3).toUpperCase();
            long sectors = number(given, m.group(2), line);
            if (type.equals("ZERO")) continue;
            String name = m.group(4);
            if (name == null || name.isEmpty()) throw new IOException(given + ": VMDK extent line names no file: " + line.trim());
            if (name.contains("/") || name.contains("\\") || name.equals("..") || name.equals(".")) {
                throw new IOException(given + ": VMDK extent \"" + name + "\" is outside the image's own folder:"
                        + " only files beside the descriptor are read");
            }
            Path extent = given.resolveSibling(name);
            if (!Files.isRegularFile(extent)) {
                throw new IOException(given + ": VMDK extent \"" + name + "\" is missing (looked for " + extent
                        + (embedded ? "; the file was renamed or moved? a monolithic VMDK must keep the name its descriptor gives it" : "")
                        + ")");
            }
            if (embedded && !Files.isSameFile(extent, given)) {
                throw new IOException(given + ": this VMDK's own descriptor names its data file \"" + name
                        + "\", which is another file beside it (" + extent + "): libvmdk would read that file instead"
                        + " of this one. Give this file its original name in a folder of its own");
            }
            switch (type) {
                case "SPARSE" -> checkSparse(extent, sectors);
                case "FLAT" -> checkFlat(extent, sectors, m.group(5) == null ? 0 : number(given, m.group(5), line));
                default -> throw new IOException(given + ": VMDK extent \"" + name + "\" of type " + type
                        + " (ESX/VMFS extents are not read)");
            }
            out.add(extent.toString());
        }
        if (out.isEmpty()) throw new IOException(given + ": the VMDK descriptor names no extent file");
        return out;
    }

    /** A sector count or offset from an extent line, at most {@link #MAX_SECTORS}. */
    private static long number(Path given, String digits, String line) throws IOException {
        if (digits.length() > 15 || Long.parseLong(digits) > MAX_SECTORS) {
            throw new IOException(given + ": VMDK extent line with an impossible size: " + line.trim());
        }
        return Long.parseLong(digits);
    }

    private static void checkFlat(Path extent, long sectors, long offsetSectors) throws IOException {
        long need = (offsetSectors + sectors) * SECTOR;
        long have = Files.size(extent);
        if (have < need) {
            throw new IOException(extent + ": VMDK flat extent truncated: its descriptor gives it " + sectors
                    + " sectors from sector " + offsetSectors + " (" + need + " bytes) but the file holds " + have);
        }
    }

    /**
     * Checks that a sparse extent holds every grain its tables point to: a copy cut short loses the
     * grains at its end, which libvmdk would read as errors or, past a table, as unallocated zeros.
     */
    private static void checkSparse(Path extent, long sectors) throws IOException {
        try (EvidenceFile f = EvidenceFile.open(extent.toString())) {
            long size = f.size();
            byte[] head = f.bytes(0, SECTOR);
            if (!startsWith(head, SPARSE_MAGIC)) throw new IOException(extent + ": not a VMDK sparse extent (no KDMV signature)");
            Header h = Header.parse(extent, head);
            if (h.capacity() != sectors) {
                throw new IOException(extent + ": VMDK sparse extent holds " + h.capacity()
                        + " sectors but its descriptor says " + sectors);
            }
            if (h.gdOffset() == GD_AT_END) {
                // stream-optimised: the footer (a copy of the header) is the file's last sector but one
                byte[] footer = size >= 3 * SECTOR ? f.bytes(size - 2 * SECTOR, SECTOR) : new byte[0];
                if (!startsWith(footer, SPARSE_MAGIC)) {
                    throw new IOException(extent + ": VMDK stream-optimised extent truncated: no footer at its end ("
                            + size + " bytes)");
                }
                return;
            }
            long perTable = h.grainSize() * h.gtesPerGt();
            long tables = (h.capacity() + perTable - 1) / perTable;
            long gdStart = h.gdOffset() * SECTOR;
            if (h.gdOffset() <= 0 || tables * 4 > size || tables * 4 > Integer.MAX_VALUE || gdStart + tables * 4 > size) {
                throw truncated(extent, "its grain directory", gdStart, tables * 4, size);
            }
            ByteBuffer gd = ByteBuffer.wrap(f.bytes(gdStart, (int) (tables * 4))).order(ByteOrder.LITTLE_ENDIAN);
            boolean compressed = (h.flags() & FLAG_COMPRESSED) != 0;
            int tableBytes = (int) (h.gtesPerGt() * 4);
            for (int t = 0; t < tables; t++) {
                long gt = Integer.toUnsignedLong(gd.getInt(t * 4));
                if (gt == 0) continue;
                if (gt * SECTOR + tableBytes > size) throw truncated(extent, "grain table " + t, gt * SECTOR, tableBytes, size);
                ByteBuffer entries = ByteBuffer.wrap(f.bytes(gt * SECTOR, tableBytes)).order(ByteOrder.LITTLE_ENDIAN);
                for (int e = 0; e < h.gtesPerGt(); e++) {
                    long grain = Integer.toUnsignedLong(entries.getInt(e * 4));
                    if (grain <= 1) continue; // 0: not allocated; 1: a grain of zeros
                    long len = compressed ? 12 : h.grainSize() * SECTOR;
                    if (grain * SECTOR + len > size) {
                        throw truncated(extent, "grain " + (t * h.gtesPerGt() + e), grain * SECTOR, len, size);
                    }
                }
            }
        }
    }

    private static IOException truncated(Path extent, String what, long at, long len, long size) {
        return new IOException(extent + ": VMDK extent truncated: " + what + " lies at bytes " + at + "-" + (at + len - 1)
                + " but the file holds " + size);
    }

    static boolean startsWith(byte[] b, byte[] prefix) {
        if (b.length < prefix.length) return false;
        for (int i = 0; i < prefix.length; i++) {
            if (b[i] != prefix[i]) return false;
        }
        return true;
    }
}
