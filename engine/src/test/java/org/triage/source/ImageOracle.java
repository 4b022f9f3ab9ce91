package org.triage.source;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The independent oracle for image sources: sleuthkit's own command-line tools ({@code mmls},
 * {@code fls -r -p}, {@code icat}) and coreutils' {@code md5sum}/{@code sha1sum}, as an examiner
 * would script them. Also builds the test images with Debian's tools (make-images.sh).
 */
final class ImageOracle {
    /** One regular file (or one NTFS $DATA stream) as the tools see it. */
    record Item(Long partitionOffset, String path, String stream, boolean deleted, String md5, String sha1) {
    }

    private static final Pattern FLS = Pattern.compile("^(\\S)/(\\S) (\\* )?([0-9-]+)(?:\\(realloc\\))?:\\t(.*)$");
    private static final Pattern MMLS = Pattern.compile("^\\d+:\\s+(\\d+(?::\\d+)?)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(.*)$");

    private ImageOracle() {
    }

    /** Builds every test image into {@code dir} (make-images.sh). */
    static void build(Path dir) throws IOException, InterruptedException {
        Path script = dir.resolve("make-images.sh");
        for (String name : List.of("make-images.sh", "exfat-add.py")) {
            try (var in = ImageOracle.class.getResourceAsStream(name)) {
                Files.copy(in, dir.resolve(name));
            }
        }
        run(dir, "bash", script.toString(), dir.toString());
    }

    /** Byte offsets of the allocated partitions mmls finds, or a list holding null when there is no table. */
    static List<Long> partitions(Path image) throws IOException, InterruptedException {
        List<Long> out = new ArrayList<>();
        Process p = new ProcessBuilder("mmls", image.toString()).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(1, TimeUnit.MINUTES);
        if (p.exitValue() != 0) {
            out.add(null);
            return out;
        }
        for (String line : text.split("\n")) {
            Matcher m = MMLS.matcher(line.trim());
            if (m.matches() && !m.group(1).equals("Meta") && !line.contains("-------")) {
                out.add(Long.parseLong(m.group(2)) * 512);
            }
        }
        return out;
    }

    /** Every regular file of every filesystem of the image, with content from icat. */
    static Set<Item> items(Path image) throws IOException, InterruptedException {
        return items(image, new HashSet<>());
    }

    /** As {@link #items(Path)}; files icat cannot read go to {@code unreadable}, without digests. */
    static Set<Item> items(Path image, Set<Item> unreadable) throws IOException, InterruptedException {
        Set<Item> out = new HashSet<>();
        for (Long part : partitions(image)) {
            String sector = part == null ? "0" : Long.toString(part / 512);
            String fsstat = new String(run(image.getParent(), "fsstat", "-o", sector, image.toString()), StandardCharsets.UTF_8);
            boolean ntfs = fsstat.contains("File System Type: NTFS");
            String fls = new String(run(image.getParent(), "fls", "-r", "-p", "-o", sector, image.toString()),
                    StandardCharsets.UTF_8);
            for (String line : fls.split("\n")) {
                Matcher m = FLS.matcher(line);
                if (!m.matches()) continue;
                String metaType = m.group(2);
                if (!metaType.equals("r") && !metaType.equals("v")) continue;
                String inode = m.group(4);
                String path = m.group(5);
                String stream = null;
                String[] parts = inode.split("-");
                if (parts.length == 3 && !parts[1].equals("128")) continue; // NTFS index attributes: not content
                if (ntfs && parts.length == 3) {
                    int slash = path.lastIndexOf('/');
                    int colon = path.indexOf(':', slash + 1);
                    if (colon >= 0) {
                        stream = path.substring(colon + 1);
                        path = path.substring(0, colon);
                    }
                }
                byte[] sums = run(image.getParent(), "bash", "-c",
                        "f=$(mktemp) && icat -o \"$1\" \"$2\" \"$3\" > \"$f\" 2>/dev/null && md5sum < \"$f\" && sha1sum < \"$f\"; rc=$?; rm -f \"$f\"; exit 0",
                        "bash", sector, image.toString(), inode);
                if (sums.length == 0) {
                    // icat cannot read it (no $DATA, or libtsk cannot map it): the source must not list it as a file to read
                    unreadable.add(new Item(part, path, stream, m.group(3) != null, null, null));
                    continue;
                }
                String[] lines = new String(sums, StandardCharsets.US_ASCII).split("\n");
                out.add(new Item(part, path, stream, m.group(3) != null,
                        lines[0].split(" ")[0], lines[1].split(" ")[0]));
            }
        }
        return out;
    }

    static byte[] run(Path dir, String... command) throws IOException, InterruptedException {
        return org.triage.Oracle.run(dir, command);
    }
}
