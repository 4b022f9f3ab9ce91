package org.triage.source;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which files make up a disk image, checked before libtsk sees them: libtsk reads zeros without
 * complaint when an EWF segment is missing, so a gap (first, middle or last segment) is found here
 * and named.
 *
 * <p>EWF: every segment file {@code x.E01, x.E02…} (then {@code x.EAA…}) is listed; each must carry
 * its own number in its header, the numbers must run from 1 without a gap, and the last one must end
 * with a {@code done} section (a {@code next} section means a later segment is missing). Split raw
 * ({@code x.000} or {@code x.001}, …): the numbers must run without a gap. Anything else is one file
 * (raw, VMDK, VHD, or a block device), its format left to libtsk.
 *
 * @param format   "ewf", "split-raw", "device" or "image" (libtsk detects)
 * @param segments the files in order
 * @param tskType  the libtsk image type to open them with
 */
record ImageSegments(String format, List<String> segments, int tskType) {
    private static final Pattern EWF = Pattern.compile("(?i)^(.*\\.)([ES])(\\d\\d|[A-Z][A-Z])$");
    private static final Pattern SPLIT = Pattern.compile("^(.*\\.)(\\d{3,})$");
    private static final byte[] EWF_SIGNATURE = {'E', 'V', 'F', 9, 13, 10, (byte) 0xff, 0};

    /**
     * @throws IOException naming the missing or inconsistent segment
     */
    static ImageSegments resolve(String given) throws IOException {
        Path p = Path.of(given);
        if (!Files.isRegularFile(p)) return new ImageSegments("device", List.of(given), Tsk.IMG_RAW);
        Matcher m = EWF.matcher(p.getFileName().toString());
        if (m.matches() && isEwf(p)) return ewf(p, m.group(1), m.group(2));
        Matcher s = SPLIT.matcher(p.getFileName().toString());
        if (s.matches()) {
            List<String> parts = split(p, s.group(1), s.group(2).length());
            if (parts.size() > 1) return new ImageSegments("split-raw", parts, Tsk.IMG_RAW);
        }
        return new ImageSegments("image", List.of(given), Tsk.IMG_DETECT);
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

    /** The regular files beside {@code given} whose names match, by the number group 1 gives. */
    private static TreeMap<Integer, Path> siblings(Path given, Pattern names, java.util.function.ToIntFunction<String> number)
            throws IOException {
        TreeMap<Integer, Path> found = new TreeMap<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(given.toAbsolutePath().getParent())) {
            for (Path f : ds) {
                Matcher m = names.matcher(f.getFileName().toString());
                if (m.matches() && Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) found.put(number.applyAsInt(m.group(1)), f);
            }
        }
        return found;
    }

    private static boolean isEwf(Path p) throws IOException {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(8);
            ch.read(b, 0);
            return java.util.Arrays.equals(b.array(), EWF_SIGNATURE);
        }
    }

    private static int ewfSegmentNumber(Path f) throws IOException {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(13).order(ByteOrder.LITTLE_ENDIAN);
            if (ch.read(b, 0) < 13 || !java.util.Arrays.equals(b.array(), 0, 8, EWF_SIGNATURE, 0, 8)) {
                throw new IOException(f + ": not an EWF segment (bad signature)");
            }
            return Short.toUnsignedInt(b.getShort(9));
        }
    }

    /**
     * Follows an EWF-E01 segment's section chain (76-byte descriptors from offset 13: type[16],
     * next u64, size u64, …) to the last section: "next" or "done", or what was found where the
     * chain broke.
     */
    static String lastSectionType(Path f) throws IOException {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            long size = ch.size();
            long pos = 13;
            ByteBuffer d = ByteBuffer.allocate(76).order(ByteOrder.LITTLE_ENDIAN);
            for (int guard = 0; guard < 1_000_000; guard++) {
                d.clear();
                if (pos + 76 > size || ch.read(d, pos) < 76) return "end of file at offset " + pos;
                int len = 0;
                while (len < 16 && d.get(len) != 0) len++;
                String type = new String(d.array(), 0, len, StandardCharsets.US_ASCII);
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
