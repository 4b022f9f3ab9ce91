package org.triage.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The packed sort against a plain oracle: lower-case hex strings sorted as Strings are in unsigned
 * byte order, and a LinkedHashMap keeps the first occurrence of each.
 */
class DigestTableTest {
    private static final HexFormat HEX = HexFormat.of();

    private static void check(int width, List<byte[]> digests) {
        DigestTable table = new DigestTable(width);
        Map<String, Integer> firstIndex = new LinkedHashMap<>();
        for (int i = 0; i < digests.size(); i++) {
            table.add(digests.get(i), 0, i);
            firstIndex.putIfAbsent(HEX.formatHex(digests.get(i)), i);
        }
        List<String> expected = new ArrayList<>(firstIndex.keySet());
        expected.sort(null);
        int[] order = table.sortDistinct();
        List<String> actual = new ArrayList<>();
        for (int idx : order) {
            actual.add(HEX.formatHex(table.digests(), idx * width, idx * width + width));
            assertEquals(firstIndex.get(actual.get(actual.size() - 1)), table.category(idx), "first occurrence kept");
        }
        assertEquals(expected, actual);
    }

    @Test
    void randomDigestsWithRepeatsSortUnsignedAndKeepTheFirst() {
        Random r = new Random(7);
        for (int width : new int[] {16, 20, 32}) {
            List<byte[]> digests = new ArrayList<>();
            for (int i = 0; i < 50_000; i++) {
                if (i > 0 && r.nextInt(10) == 0) {
                    digests.add(digests.get(r.nextInt(digests.size())).clone());
                } else {
                    byte[] d = new byte[width];
                    r.nextBytes(d);
                    digests.add(d);
                }
            }
            check(width, digests);
        }
    }

    @Test
    void digestsSharingLongPrefixesAndHighBytesSortCorrectly() {
        List<byte[]> digests = new ArrayList<>();
        for (int i = 4_000; i >= 0; i--) {
            byte[] d = new byte[32];
            d[31] = (byte) i;            // differs only in the last bytes: every word but the last ties
            d[30] = (byte) (i >> 8);
            if (i % 3 == 0) d[0] = (byte) 0x80; // high bit set: must sort after 0x00..0x7f
            if (i % 5 == 0) d[12] = (byte) 0xff;
            digests.add(d);
        }
        digests.add(new byte[32]);
        check(32, digests);
    }

    @Test
    void emptyTableSortsToNothing() {
        assertEquals(0, new DigestTable(20).sortDistinct().length);
    }
}
