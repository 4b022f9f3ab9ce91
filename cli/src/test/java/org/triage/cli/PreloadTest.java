package org.triage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The start-up store open must read --db the way picocli does, or not at all. */
class PreloadTest {

    @Test
    void readsTheDbOptionInBothForms() {
        assertEquals(Path.of("/cases/db"), Preload.dbArgument(new String[] {"scan", "/mnt/x", "--db", "/cases/db", "-q"}));
        assertEquals(Path.of("rel/db"), Preload.dbArgument(new String[] {"scan", "--db=rel/db", "/mnt/x"}));
    }

    @Test
    void ignoresWhatIsNotTheOption() {
        assertNull(Preload.dbArgument(new String[] {"scan", "/mnt/x"}));
        assertNull(Preload.dbArgument(new String[] {"scan", "--", "--db", "/cases/db"}), "after --, --db is an evidence path");
        assertNull(Preload.dbArgument(new String[] {"scan", "/mnt/x", "--db"}), "no value: picocli reports it");
    }
}
