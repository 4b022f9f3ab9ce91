package org.triage.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The partitioned sort against a TreeMap of the same input: every distinct digest once, in unsigned
 * order, with its first occurrence's category; also when buckets spill to disk and when skewed
 * input (all digests sharing their first bytes) forces buckets to be partitioned again.
 */
class DigestSpillTest {
    @TempDir
    Path tmp;

    @Test
    void skewedInputSpillsAndIsPartitionedAgainYetComesOutSortedAndDistinct() throws Exception {
        SplittableRandom rnd = new SplittableRandom(11);
        DigestSpill spill = new DigestSpill(16, 0, tmp, "md5", 1_000);
        Map<String, Integer> first = new LinkedHashMap<>();
        List<byte[]> seen = new ArrayList<>();
        for (int i = 0; i < 60_000; i++) {
            byte[] d = new byte[16];
            if (i % 5 == 4 && !seen.isEmpty()) {
                d = seen.get(rnd.nextInt(seen.size())); // a repeat, with another category
            } else {
                for (int j = 2; j < 16; j++) d[j] = (byte) rnd.nextInt(256);
                d[0] = 0; // every digest in bucket 0, most in one sub-bucket: forces the re-partition
                d[1] = (byte) (i % 3 == 0 ? 7 : rnd.nextInt(4));
                seen.add(d);
            }
            first.putIfAbsent(HexFormat.of().formatHex(d), i % 9);
            spill.add(d, 0, i % 9);
        }
        try (Stream<Path> files = Files.list(tmp)) {
            assertTrue(files.findAny().isPresent(), "64 KiB buffers of 60,000 records must have spilled");
        }
        TreeMap<String, Integer> expected = new TreeMap<>(first); // hex order is unsigned byte order
        List<String> got = new ArrayList<>();
        List<Integer> categories = new ArrayList<>();
        for (int b = 0; b < DigestSpill.BUCKETS; b++) {
            spill.bucket(b, (table, order) -> {
                for (int idx : order) {
                    got.add(HexFormat.of().formatHex(Arrays.copyOfRange(table.digests(), idx * 16, idx * 16 + 16)));
                    categories.add(table.category(idx));
                }
            });
        }
        assertEquals(new ArrayList<>(expected.keySet()), got);
        assertEquals(new ArrayList<>(expected.values()), categories);
    }
}
