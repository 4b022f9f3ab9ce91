package org.triage.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every test that scans a folder starts from: a fresh temporary directory {@link #tmp} holding
 * an empty {@code evidence/} folder and the path {@code db} where the test's store goes (not yet
 * created), and the check that the evidence comes out of the test unchanged, armed by the test with
 * {@code evidenceUnchanged.watch(evidence)} once it has written its files. JUnit runs this set-up
 * before the subclass's own {@code @BeforeEach} methods.
 */
abstract class EvidenceFixture {
    @TempDir
    Path tmp;
    Path evidence;
    Path db;
    @RegisterExtension
    final EvidenceGuard evidenceUnchanged = new EvidenceGuard();

    @BeforeEach
    final void emptyEvidence() throws IOException {
        evidence = Files.createDirectories(tmp.resolve("evidence"));
        db = tmp.resolve("db");
    }
}
