package org.triage.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * EWF segment names as libewf writes them (its documentation: E01…E99, then EAA…EZZ, keeping case);
 * formats recognised by signature, never by name; hostile VMDK headers and descriptors refused with
 * a message, never an exception of the JDK's. The files are written here from VMware's "Virtual
 * Disk Format 5.0" layout and the EWF signature, not by the code under test.
 */
class ImageSegmentsTest {
    @TempDir
    Path dir;

    @Test
    void ewfSegmentNamesFollowLibewf() {
        assertEquals("E01", ImageSegments.ewfExtension('E', 1));
        assertEquals("E99", ImageSegments.ewfExtension('E', 99));
        assertEquals("EAA", ImageSegments.ewfExtension('E', 100));
        assertEquals("EAB", ImageSegments.ewfExtension('E', 101));
        assertEquals("EBA", ImageSegments.ewfExtension('E', 126));
        assertEquals("eaa", ImageSegments.ewfExtension('e', 100));
        assertEquals("s02", ImageSegments.ewfExtension('s', 2));
    }

    @Test
    void theNameAloneMakesNoFormat() throws Exception {
        // A raw image named like an E01 or a VMDK is raw; libtsk is never left to guess.
        Path e01 = Files.write(dir.resolve("x.E01"), new byte[4096]);
        Path vmdk = Files.write(dir.resolve("y.vmdk"), new byte[4096]);
        for (Path p : List.of(e01, vmdk)) {
            ImageSegments s = ImageSegments.resolve(p.toString());
            assertEquals("raw", s.format());
            assertEquals(Tsk.IMG_RAW, s.tskType());
            assertEquals(List.of(p.toString()), s.segments());
        }
    }

    @Test
    void anEwfSegmentUnderAnotherNameThatIsNotTheLastIsNamed() throws Exception {
        // Signature and segment number 1, then a section chain that ends in a 'next' section.
        ByteBuffer b = ByteBuffer.allocate(13 + 76).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {'E', 'V', 'F', 9, 13, 10, (byte) 0xff, 0, 1}).putShort((short) 1).putShort((short) 0);
        b.put("next".getBytes(StandardCharsets.US_ASCII));
        Path f = Files.write(dir.resolve("evidence.bin"), b.array());
        IOException e = assertThrows(IOException.class, () -> ImageSegments.resolve(f.toString()));
        assertTrue(e.getMessage().contains("evidence.bin") && e.getMessage().contains("NAME.E01"), e.getMessage());
    }

    @Test
    void hostileVmdkHeadersAndDescriptorsAreRefusedWithAMessage() throws Exception {
        // A sparse header whose grain size is 0 (a division by zero for a naive reader).
        ByteBuffer h = ByteBuffer.allocate(512).order(ByteOrder.LITTLE_ENDIAN);
        h.put("KDMV".getBytes(StandardCharsets.US_ASCII)).putInt(1).putInt(3).putLong(40960).putLong(0)
                .putLong(1).putLong(1).putInt(512).putLong(0).putLong(21);
        Path zeroGrain = Files.write(dir.resolve("zero.vmdk"), h.array());
        IOException e = assertThrows(IOException.class, () -> ImageSegments.resolve(zeroGrain.toString()));
        assertTrue(e.getMessage().contains("VMDK sparse header damaged"), e.getMessage());

        // A descriptor whose extent has more sectors than a long holds.
        Files.write(dir.resolve("big-flat.vmdk"), new byte[512]);
        Path huge = Files.writeString(dir.resolve("big.vmdk"), "# Disk DescriptorFile\nversion=1\nparentCID=ffffffff\n"
                + "RW 99999999999999999999999 FLAT \"big-flat.vmdk\" 0\n");
        e = assertThrows(IOException.class, () -> ImageSegments.resolve(huge.toString()));
        assertTrue(e.getMessage().contains("impossible size"), e.getMessage());

        // A differencing VMDK: its parent holds the rest of the disk.
        Path child = Files.writeString(dir.resolve("child.vmdk"), "# Disk DescriptorFile\nversion=1\nparentCID=1234abcd\n"
                + "RW 1 FLAT \"big-flat.vmdk\" 0\n");
        e = assertThrows(IOException.class, () -> ImageSegments.resolve(child.toString()));
        assertTrue(e.getMessage().contains("differencing VMDK"), e.getMessage());

        // A flat extent that is there and long enough: the descriptor and the extent are the segments.
        Path ok = Files.writeString(dir.resolve("ok.vmdk"), "# Disk DescriptorFile\nversion=1\nparentCID=ffffffff\n"
                + "RW 1 FLAT \"big-flat.vmdk\" 0\n");
        ImageSegments s = ImageSegments.resolve(ok.toString());
        assertEquals("vmdk", s.format());
        assertEquals(List.of(ok.toString(), dir.resolve("big-flat.vmdk").toString()), s.segments());
    }
}
