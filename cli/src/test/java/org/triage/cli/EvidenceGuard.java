package org.triage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Proves that a test left the evidence as it found it, the one way every CLI test does:
 * {@link #watch} takes {@link Cli#treeDigests} of a folder (names, types, SHA-256 by sha256sum) and,
 * after each test, the same listing must come back. Register it on an instance field with
 * {@code @RegisterExtension} and call {@link #watch} at the end of the set-up; the check runs after
 * the test's own {@code @AfterEach} methods and before its {@code @TempDir} is removed.
 */
final class EvidenceGuard implements AfterEachCallback {
    private Path dir;
    private String before;

    /** Snapshots {@code dir} now: after the test it must be the same. */
    void watch(Path dir) throws Exception {
        this.dir = dir;
        this.before = Cli.treeDigests(dir);
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        if (dir == null) return;
        assertEquals(before, Cli.treeDigests(dir), "the evidence under " + dir + " changed");
    }
}
