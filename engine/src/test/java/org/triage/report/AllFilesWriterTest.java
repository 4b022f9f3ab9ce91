package org.triage.report;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.FileOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.triage.model.ContentType;
import org.triage.model.Digests;
import org.triage.model.EntryType;
import org.triage.model.FileRecord;
import org.triage.model.RawPath;

/** The all-files listing when its disk fills: the device /dev/full answers every write with ENOSPC. */
class AllFilesWriterTest {

    private static FileRecord record(int i) {
        return new FileRecord("/evidence", RawPath.of("dir/file" + i + ".bin"), EntryType.FILE, i, Digests.NONE,
                List.of(), null, null, ContentType.OTHER, false, null);
    }

    @Test
    void aFullDiskStopsTheListingOnceAndKeepsNoBacklog() throws Exception {
        Path full = Path.of("/dev/full");
        assumeTrue(Files.isWritable(full), "/dev/full is needed");
        AllFilesWriter listing = new AllFilesWriter(new FileOutputStream(full.toFile()), full.toString());
        assertNull(listing.failure());
        // Issue 9, item 2: the first failed write threw, the pending lines were never dropped (the
        // heap grew with every record) and every later batch failed and was logged again.
        for (int i = 0; i < 5_000; i++) {
            int n = i;
            assertDoesNotThrow(() -> listing.onRecord(record(n)));
            if (i % 100 == 99) {
                assertDoesNotThrow(listing::onBatchEnd);
                assertEquals(0, listing.pendingBytes(), "a failed listing keeps nothing in memory");
            }
        }
        assertEquals(0, listing.pendingBytes());
        assertDoesNotThrow(listing::close, "the failure is reported through failure(), not thrown again");
        assertNotNull(listing.failure());
        assertTrue(listing.failure().getMessage().contains("No space left on device"), listing.failure().toString());
    }

    /** Issue 16 item 8: a file that changed while it was read carries both states in its line. */
    @Test
    void aFileThatChangedWhileReadCarriesBothStates() throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.time.Instant t0 = java.time.Instant.parse("2024-05-01T10:00:00.123456789Z");
        java.time.Instant t1 = java.time.Instant.parse("2024-05-01T10:00:01Z");
        try (AllFilesWriter listing = new AllFilesWriter(out, "memory")) {
            listing.onRecord(new FileRecord("/evidence", RawPath.of("log"), EntryType.FILE, 100, Digests.NONE, List.of(),
                    "changed while it was read", null, null, false, null,
                    new org.triage.model.ContentChange(100, t0, 50, t1, 50)));
            listing.onRecord(record(1));
        }
        String[] lines = out.toString(java.nio.charset.StandardCharsets.UTF_8).split("\n");
        com.fasterxml.jackson.databind.JsonNode changed = new com.fasterxml.jackson.databind.ObjectMapper().readTree(lines[0])
                .get("changed_during_read");
        assertNotNull(changed, lines[0]);
        assertEquals(100, changed.get("before").get("size").asLong());
        assertEquals("2024-05-01T10:00:00.123456789Z", changed.get("before").get("mtime").asText());
        assertEquals(50, changed.get("after").get("size").asLong());
        assertEquals("2024-05-01T10:00:01Z", changed.get("after").get("mtime").asText());
        assertEquals(50, changed.get("bytes_read").asLong());
        assertTrue(!lines[1].contains("changed_during_read"), "only on a changed file: " + lines[1]);
    }
}
