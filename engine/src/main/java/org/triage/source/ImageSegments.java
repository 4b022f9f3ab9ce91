package org.triage.source;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which files make up a disk image, and in which format libtsk is to read it, decided here before
 * libtsk sees them: libtsk reads zeros without complaint when an EWF segment is missing, so a gap
 * (first, middle or last segment) is found here and named; and libtsk's own format detection tries
 * every library it was built with, among them libafflib, whose probe opens the evidence read-write.
 *
 * <p>The format comes from the file's signature, never its name alone: EWF {@code EVF 09 0D 0A FF 00}
 * at 0; a VMDK sparse extent {@code KDMV} at 0 or a VMDK descriptor {@code # Disk DescriptorFile}
 * (its extents checked by {@link VmdkExtents}); a VHD {@code conectix} footer in the last 512 bytes
 * (a dynamic VHD also has a copy at 0: with that copy and no footer the VHD is truncated); anything
 * else is raw (and a raw file is an image only when {@link ImageProbe} finds a partition table or
 * filesystem in it). EWF logical evidence ({@code LVF}, .L01) holds files, not a disk: refused, named.
 *
 * <p>EWF: every segment file {@code x.E01, x.E02…} (then {@code x.EAA…}) is listed; each must carry
 * its own number in its header, the numbers must run from 1 without a gap, and the last one must end
 * with a {@code done} section (a {@code next} section means a later segment is missing). Split raw
 * ({@code x.000} or {@code x.001}, …): the numbers must run without a gap. Segments are looked up as
 * ewfverify (libewf's glob) looks them up: beside the name given, with its stem, symbolic links
 * followed (a link {@code x.E01} to a file elsewhere finds {@code x.E02} beside the link). A block
 * device is one segment, read as raw.
 *
 * <p>Every header byte is read through {@link EvidenceFile} (O_NOATIME where the kernel allows).
 *
 * @param format   "raw", "split-raw", "ewf", "vmdk", "vhd" or "device"
 * @param segments every file read, in order (for a VMDK the descriptor first: the one handed to libvmdk)
 * @param tskType  how libtsk reads it: {@link Tsk#IMG_RAW} (opened by us, {@link RawImage}),
 *                 {@link Tsk#IMG_EWF} (by us, {@link EwfImage}), {@link Tsk#IMG_VMDK} or {@link Tsk#IMG_VHD}
 */
record ImageSegments(String format, List<String> segments, int tskType) {
    private static final Pattern EWF = Pattern.compile("(?i)^(.*\\.)([ES])(\\d\\d|[A-Z][A-Z])$");
    private static final Pattern SPLIT = Pattern.compile("^(.*\\.)(\\d{3,})$");
    private static final byte[] EWF_SIGNATURE = {'E', 'V', 'F', 9, 13, 10, (byte) 0xff, 0};
    /** EWF logical evidence (L01): files and folders, not a disk. */
    private static final byte[] LVF_SIGNATURE = {'L', 'V', 'F', 9, 13, 10, (byte) 0xff, 0};
    private static final byte[] VHD_SIGNATURE = "conectix".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] VMDK_DESCRIPTOR = VmdkExtents.DESCRIPTOR_START.getBytes(StandardCharsets.US_ASCII);
    private static final int SECTOR = 512;

    /**
     * @throws IOException naming the missing, truncated or inconsistent segment
     */
    static ImageSegments resolve(String given) throws IOException {
        Path p = Path.of(given);
        if (!Files.isRegularFile(p)) return new ImageSegments("device", List.of(given), Tsk.IMG_RAW);
        byte[] head;
        byte[] tail;
        try (EvidenceFile f = EvidenceFile.open(given)) {
            head = f.bytes(0, (int) Math.min(SECTOR, f.size()));
            tail = f.size() >= SECTOR ? f.bytes(f.size() - SECTOR, SECTOR) : new byte[0];
        }
        if (VmdkExtents.startsWith(head, EWF_SIGNATURE)) {
            Matcher m = EWF.matcher(p.getFileName().toString());
            if (m.matches()) return ewf(p, m.group(1), m.group(2));
            String end = lastSectionType(p);
            if (!"done".equals(end)) {
                throw new IOException(given + ": an EWF segment that is not the last (its section chain ends with '" + end
                        + "'), named so that the others cannot be found: give it (or a link to it) the name NAME.E01");
            }
            return new ImageSegments("ewf", List.of(given), Tsk.IMG_EWF);
        }
        if (VmdkExtents.startsWith(head, LVF_SIGNATURE)) {
            throw new IOException(given + ": an EWF logical evidence file (L01): it holds files, not a disk image, and"
                    + " triage does not read it; give the E01 disk image, or export its files to a folder");
        }
        if (VmdkExtents.startsWith(head, VmdkExtents.SPARSE_MAGIC) || VmdkExtents.startsWith(head, VMDK_DESCRIPTOR)) {
            return new ImageSegments("vmdk", VmdkExtents.files(p, head), Tsk.IMG_VMDK);
        }
        if (VmdkExtents.startsWith(tail, VHD_SIGNATURE)) return vhd(p, tail);
        if (VmdkExtents.startsWith(head, VHD_SIGNATURE)) {
            throw new IOException(given + ": a dynamic VHD without its footer at the end: VHD truncated");
        }
        Matcher s = SPLIT.matcher(p.getFileName().toString());
        if (s.matches()) {
            List<String> parts = split(p, s.group(1), s.group(2).length());
            if (parts.size() > 1) return new ImageSegments("split-raw", parts, Tsk.IMG_RAW);
        }
        return new ImageSegments("raw", List.of(given), Tsk.IMG_RAW);
    }

    /**
     * Whether a file's first and last bytes (up to a sector each) carry the signature of an image
     * format read here: EWF (or EWF logical evidence), VMDK (sparse extent or descriptor), VHD
     * (footer at the end, or its copy at 0). A raw image has none: see {@link ImageProbe}.
     */
    /** The signatures {@link #hasFormatSignature} looks for at the start of a file. */
    static byte[][] formatSignatures() {
        return new byte[][] {EWF_SIGNATURE, LVF_SIGNATURE, VmdkExtents.SPARSE_MAGIC, VMDK_DESCRIPTOR, VHD_SIGNATURE};
    }

    static boolean hasFormatSignature(byte[] head, byte[] tail) {
        return VmdkExtents.startsWith(head, EWF_SIGNATURE) || VmdkExtents.startsWith(head, LVF_SIGNATURE)
                || VmdkExtents.startsWith(head, VmdkExtents.SPARSE_MAGIC) || VmdkExtents.startsWith(head, VMDK_DESCRIPTOR)
                || VmdkExtents.startsWith(tail, VHD_SIGNATURE) || VmdkExtents.startsWith(head, VHD_SIGNATURE);
    }

    /** A VHD is one file, unless it is a differencing disk, whose parent holds the rest. */
    private static ImageSegments vhd(Path p, byte[] footer) throws IOException {
        int diskType = ByteBuffer.wrap(footer).order(ByteOrder.BIG_ENDIAN).getInt(60);
        if (diskType == 4) {
            throw new IOException(p + ": a differencing VHD: the rest of the disk is in its parent, which is not read:"
                    + " cannot be examined alone");
        }
        return new ImageSegments("vhd", List.of(p.toString()), Tsk.IMG_VHD);
    }

    /** "E01"… "E99", then "EAA"… "EZZ" (libewf's naming), keeping the case of the given letter. */
    static String ewfExtension(char letter, int number) {
        if (number < 100) return String.format("%c%02d", letter, number);
        int n = number - 100;
        boolean lower = Character.isLowerCase(letter);
        char a = (char) ((lower ? 'a' : 'A') + n / 26);
        char b = (char) ((lower ? 'a' : 'A') + n % 26);
        return "" + letter + a + b;
    }

    private static int ewfNumber(String ext) {
        String rest = ext.substring(1).toUpperCase();
        if (Character.isDigit(rest.charAt(0))) return Integer.parseInt(rest);
        return 100 + (rest.charAt(0) - 'A') * 26 + (rest.charAt(1) - 'A');
    }

    private static ImageSegments ewf(Path given, String stem, String letter) throws IOException {
        TreeMap<Integer, Path> found = siblings(given,
                Pattern.compile(Pattern.quote(stem) + "(?i)" + letter + "(\\d\\d|[A-Z][A-Z])"), n -> ewfNumber(letter + n));
        String name = given.toString();
        String base = name.substring(0, name.length() - 3);
        char l = letter.charAt(0);
        List<String> segments = new ArrayList<>();
        for (int i = 1; i <= found.lastKey(); i++) {
            Path f = found.get(i);
            if (f == null) {
                throw new IOException(name + ": EWF segment " + i + " (" + base + ewfExtension(l, i) + ") is missing"
                        + (i == 1 ? " (the first segment)" : ""));
            }
            int header = ewfSegmentNumber(f);
            if (header != i) {
                throw new IOException(name + ": " + f.getFileName() + " holds EWF segment " + header + ", not " + i);
            }
            segments.add(given.resolveSibling(f.getFileName()).toString());
        }
        int last = found.lastKey();
        String end = lastSectionType(found.get(last));
        if ("next".equals(end)) {
            throw new IOException(name + ": EWF segment " + (last + 1) + " (" + base + ewfExtension(l, last + 1)
                    + ") is missing: segment " + last + " says more follow");
        }
        if (!"done".equals(end)) {
            throw new IOException(name + ": EWF segment " + last + " (" + found.get(last).getFileName()
                    + ") is truncated or damaged: its section chain does not end with 'done' (found '" + end + "')");
        }
        return new ImageSegments("ewf", List.copyOf(segments), Tsk.IMG_EWF);
    }

    /**
     * The regular files (or links to them) beside {@code given} whose names match, by the number
     * group 1 gives; never empty, since {@code given} itself is a regular file that matches.
     */
    private static TreeMap<Integer, Path> siblings(Path given, Pattern names, java.util.function.ToIntFunction<String> number)
            throws IOException {
        TreeMap<Integer, Path> found = new TreeMap<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(given.toAbsolutePath().getParent())) {
            for (Path f : ds) {
                Matcher m = names.matcher(f.getFileName().toString());
                // Links followed, as libewf's glob does: a segment may be a link to a file elsewhere.
                if (m.matches() && Files.isRegularFile(f)) found.put(number.applyAsInt(m.group(1)), f);
            }
        }
        return found;
    }

    private static int ewfSegmentNumber(Path f) throws IOException {
        byte[] b = EvidenceFile.head(f.toString(), 13);
        if (b.length < 13 || !VmdkExtents.startsWith(b, EWF_SIGNATURE)) {
            throw new IOException(f + ": not an EWF segment (bad signature)");
        }
        return Short.toUnsignedInt(ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getShort(9));
    }

    /**
     * Follows an EWF-E01 segment's section chain (76-byte descriptors from offset 13: type[16],
     * next u64, size u64, …) to the last section: "next" or "done", or what was found where the
     * chain broke.
     */
    static String lastSectionType(Path f) throws IOException {
        try (EvidenceFile ch = EvidenceFile.open(f.toString())) {
            long size = ch.size();
            long pos = 13;
            for (int guard = 0; guard < 1_000_000; guard++) {
                if (pos + 76 > size) return "end of file at offset " + pos;
                byte[] raw = ch.bytes(pos, 76);
                if (raw.length < 76) return "end of file at offset " + pos;
                ByteBuffer d = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
                int len = 0;
                while (len < 16 && d.get(len) != 0) len++;
                String type = new String(raw, 0, len, StandardCharsets.US_ASCII);
                if (type.equals("next") || type.equals("done")) return type;
                long next = d.getLong(16);
                if (next <= pos) return type + " pointing back to " + next;
                pos = next;
            }
            return "too many sections";
        }
    }

    private static List<String> split(Path given, String stem, int width) throws IOException {
        TreeMap<Integer, Path> found = siblings(given, Pattern.compile(Pattern.quote(stem) + "(\\d{" + width + "})"),
                Integer::parseInt);
        int first = found.firstKey();
        if (first > 1) {
            throw new IOException(given + ": split raw segment " + stem + String.format("%0" + width + "d", 1)
                    + " is missing (the first segment)");
        }
        List<String> out = new ArrayList<>();
        for (int i = first; i <= found.lastKey(); i++) {
            Path f = found.get(i);
            if (f == null) {
                throw new IOException(given + ": split raw segment " + (i - first + 1) + " ("
                        + given.resolveSibling(Path.of(stem + String.format("%0" + width + "d", i)).getFileName())
                        + ") is missing");
            }
            out.add(given.resolveSibling(f.getFileName()).toString());
        }
        return out;
    }
}
