package org.triage.cli;

import java.util.EnumSet;
import org.triage.hash.DigestWarmup;
import org.triage.model.Algorithm;

/**
 * Start-up work done beside the command-line parsing instead of after it: a scan's first
 * hundreds of milliseconds are class initialisation (Jackson, RocksDB's native library) and JIT
 * warm-up, time that counts against every scan of a small device. On a spare thread it overlaps
 * with picocli and the store opening; if the command needs none of it, it costs a little CPU.
 */
final class Preload {
    private Preload() {
    }

    static void start(String[] args) {
        if (args.length == 0 || !args[0].equals("scan")) return;
        Thread t = new Thread(() -> {
            try {
                org.rocksdb.RocksDB.loadLibrary();
                new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\"warm\": [1, \"a\", null]}");
            } catch (Exception | LinkageError e) {
                // The command itself reports whatever really fails.
            }
        }, "triage-preload");
        t.setDaemon(true);
        t.start();
        DigestWarmup.start(EnumSet.allOf(Algorithm.class));
    }
}
