package org.triage.signature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.triage.model.ContentType;

/** Signatures of generated files, checked against libmagic ({@code file --mime-type}) as well as expectations. */
class FileSignatureTest {

    @Test
    void everyTypeIsToldByItsFirstBytes(@TempDir Path dir) throws Exception {
        boolean haveFile = Files.isExecutable(Path.of("/usr/bin/file"));
        for (Map.Entry<ContentType, byte[]> e : MediaSamples.all().entrySet()) {
            byte[] b = e.getValue();
            assertEquals(e.getKey(), FileSignature.detect(b, b.length), e.getKey().label());
            // Only the first chunk's bytes are needed, and a short first read still works.
            assertEquals(e.getKey(), FileSignature.detect(Arrays.copyOf(b, Math.min(b.length, FileSignature.NEEDED)),
                    Math.min(b.length, FileSignature.NEEDED)));
            if (haveFile) {
                // Wrong extension on purpose: libmagic, like us, must go by content.
                Path p = dir.resolve(e.getKey().label() + "-sample.txt");
                Files.write(p, b);
                Process proc = new ProcessBuilder("file", "-b", "--mime-type", p.toString()).start();
                String mime = new String(proc.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
                proc.waitFor();
                assertTrue(List.of(MediaSamples.mimes(e.getKey())).contains(mime),
                        e.getKey().label() + ": libmagic says " + mime);
            }
        }
        assumeTrue(haveFile, "file(1) is not installed: libmagic cross-check skipped");
    }

    @Test
    void lookalikesAreNotMedia() {
        byte[] bmText = "BM is how this text file starts, like many others do".getBytes(StandardCharsets.US_ASCII);
        assertEquals(ContentType.OTHER, FileSignature.detect(bmText, bmText.length));
        byte[] riff = "RIFF\0\0\0\0WAVEfmt ".getBytes(StandardCharsets.US_ASCII);
        assertEquals(ContentType.OTHER, FileSignature.detect(riff, riff.length));
        assertEquals(ContentType.OTHER, FileSignature.detect(new byte[0], 0));
        assertEquals(ContentType.OTHER, FileSignature.detect(new byte[] {(byte) 0xFF, (byte) 0xD8}, 2));
    }

    @Test
    void extensionsAreCheckedAgainstContent() {
        assertFalse(ContentType.JPEG.mismatches("IMG_0001.JPG".getBytes(StandardCharsets.UTF_8)));
        assertFalse(ContentType.JPEG.mismatches("a.jpeg".getBytes(StandardCharsets.UTF_8)));
        assertTrue(ContentType.JPEG.mismatches("notes.txt".getBytes(StandardCharsets.UTF_8)));
        assertTrue(ContentType.PNG.mismatches("no-extension".getBytes(StandardCharsets.UTF_8)));
        assertTrue(ContentType.PNG.mismatches(".hidden".getBytes(StandardCharsets.UTF_8)));
        assertFalse(ContentType.MP4.mismatches("clip.mov".getBytes(StandardCharsets.UTF_8)));
        assertFalse(ContentType.HEIF.mismatches("IMG_1234.HEIC".getBytes(StandardCharsets.UTF_8)));
        assertFalse(ContentType.OTHER.mismatches("anything.jpg".getBytes(StandardCharsets.UTF_8)));
    }
}
