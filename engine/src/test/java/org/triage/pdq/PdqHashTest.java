package org.triage.pdq;

import org.triage.model.PdqHash;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The hash's bit order and text form against the reference's definition (bit k is coefficient
 * (k / 16, k % 16); the text is the 256-bit number in big-endian hex), checked with BigInteger as
 * the independent arithmetic.
 */
class PdqHashTest {

    @Test
    void bitKIsBitKOfTheBigEndianNumber() {
        Random random = new Random(12);
        for (int n = 0; n < 200; n++) {
            BigInteger number = new BigInteger(256, random);
            String hex = String.format("%064x", number);
            PdqHash h = PdqHash.parse(hex);
            assertEquals(hex, h.hex());
            for (int k = 0; k < 256; k++) assertEquals(number.testBit(k), h.bit(k), hex + " bit " + k);
            for (int s = 0; s < 16; s++) {
                assertEquals(number.shiftRight(16 * s).intValue() & 0xFFFF, h.slot(s), hex + " slot " + s);
            }
        }
    }

    @Test
    void distanceIsThePopulationCountOfTheExclusiveOr() {
        Random random = new Random(13);
        for (int n = 0; n < 200; n++) {
            BigInteger a = new BigInteger(256, random);
            BigInteger b = n % 2 == 0 ? a.flipBit(random.nextInt(256)).flipBit(random.nextInt(256)) : new BigInteger(256, random);
            assertEquals(a.xor(b).bitCount(),
                    PdqHash.parse(String.format("%064x", a)).distance(PdqHash.parse(String.format("%064x", b))));
        }
    }

    @Test
    void theLowestBitIsTheLastHexDigit() {
        PdqHash one = PdqHash.parse("0".repeat(63) + "1");
        assertTrue(one.bit(0));
        assertFalse(one.bit(255));
        assertEquals(new PdqHash(1, 0, 0, 0), one);
        PdqHash top = PdqHash.parse("8" + "0".repeat(63));
        assertTrue(top.bit(255));
        assertEquals(new PdqHash(0, 0, 0, Long.MIN_VALUE), top);
    }

    @Test
    void badTextIsRefusedWithTheText() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PdqHash.parse("abc"));
        assertTrue(e.getMessage().contains("\"abc\""), e.getMessage());
        String notHex = "g" + "0".repeat(63);
        e = assertThrows(IllegalArgumentException.class, () -> PdqHash.parse(notHex));
        assertTrue(e.getMessage().contains(notHex), e.getMessage());
        assertTrue(PdqHash.parse("D8F8" + "0".repeat(60)).bit(255), "upper case is read too");
    }

    @Test
    void badRastersAreRefusedNamingTheValue() {
        byte[] data = new byte[100];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PdqPixels.packed(data, 10, 10, PixelLayout.RGB));
        assertTrue(e.getMessage().contains("need 300 bytes; the raster has 100"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new PdqPixels(data, 0, 10, 2, 5, PixelLayout.GREY));
        assertTrue(e.getMessage().contains("row stride 5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new PdqPixels(data, 0, 0, 2, 5, PixelLayout.GREY));
        assertTrue(e.getMessage().contains("0x2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new PixelLayout(3, 0, 1, 3));
        assertTrue(e.getMessage().contains("blue offset 3"), e.getMessage());
    }
}
