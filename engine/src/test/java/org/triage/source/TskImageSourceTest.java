package org.triage.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.triage.model.EntryType;

/**
 * Images built by Debian's tools, read through {@link TskImageSource}, checked against sleuthkit's
 * own fls + icat and coreutils' md5sum/sha1sum ({@link ImageOracle}).
 */
class TskImageSourceTest {
    @TempDir
    static Path dir;

    /** Everything one source delivers: entries, and the digests of the files read. */
    record Scanned(List<SourceEntry> entries, Set<ImageOracle.Item> items, List<String> errors) {
    }

    @BeforeAll
    static void build() throws Exception {
        ImageOracle.build(dir);
    }

    static Scanned scan(Source source) throws Exception {
        List<SourceEntry> entries = new ArrayList<>();
        source.walk(entries::add);
        Set<ImageOracle.Item> items = new HashSet<>();
        List<String> errors = new ArrayList<>();
        byte[] buf = new byte[256 * 1024];
        for (SourceEntry e : entries) {
            if (e.error() != null) errors.add(e.error());
            if (e.type() != EntryType.FILE) continue;
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            try (ContentReader in = source.open(e)) {
                for (int n; (n = in.read(buf, 0, buf.length)) >= 0; ) {
                    md5.update(buf, 0, n);
                    sha1.update(buf, 0, n);
                }
            } catch (java.io.IOException ex) {
                errors.add(ex.getMessage());
                continue;
            }
            var d = e.details();
            items.add(new ImageOracle.Item(d.partition() == null ? null : d.partition().offset(), e.path().display(),
                    d.stream(), d.deleted(), HexFormat.of().formatHex(md5.digest()), HexFormat.of().formatHex(sha1.digest())));
        }
        return new Scanned(entries, items, errors);
    }

    static Scanned scan(String image) throws Exception {
        try (TskImageSource s = TskImageSource.open(dir.resolve(image).toString(), false, true)) {
            return scan(s);
        }
    }

    static String md5(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(Files.readAllBytes(file)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"fat32.img", "ext4.img", "ntfs.img", "exfat.img", "mbr.img", "gpt.img", "gpt.E01", "gpt.raw.000"})
    void everyFileMatchesFlsAndIcat(String image) throws Exception {
        Scanned mine = scan(image);
        Set<ImageOracle.Item> oracle = ImageOracle.items(dir.resolve(image));
        assertEquals(List.of(), mine.errors(), image);
        assertEquals(new TreeSet<>(strings(oracle)), new TreeSet<>(strings(mine.items())), image);
        assertFalse(oracle.isEmpty());
    }

    private static List<String> strings(Set<ImageOracle.Item> items) {
        List<String> out = new ArrayList<>();
        for (ImageOracle.Item i : items) out.add(i.toString());
        return out;
    }
}
