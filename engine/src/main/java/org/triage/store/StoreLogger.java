package org.triage.store;

import java.util.List;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.Logger;

/**
 * Sends RocksDB's info log to {@link System.Logger} instead of a LOG file in the store directory,
 * so that opening a store (read-only above all) leaves the directory as it was. Only warnings and
 * worse cross into Java: every message is a native-to-Java call.
 *
 * <p>Called from RocksDB's own threads. Owned by {@link StoreOptions}; closed after the database.
 */
final class StoreLogger extends Logger {
    private static final System.Logger LOG = System.getLogger("org.triage.store.rocksdb");

    /**
     * Messages RocksDB logs as warnings that are routine for a store built by SST ingestion: the
     * tail-prefetch heuristic (once per file ingested) and files from SstFileWriter having no unique
     * id in the manifest to verify (once per process).
     */
    private static final List<String> ROUTINE = List.of("Tail prefetch size", "opened without unique ID to verify");

    StoreLogger() {
        super(InfoLogLevel.WARN_LEVEL);
    }

    @Override
    protected void log(InfoLogLevel level, String message) {
        if (isRoutine(message)) {
            LOG.log(System.Logger.Level.DEBUG, message);
            return;
        }
        LOG.log(switch (level) {
            case DEBUG_LEVEL -> System.Logger.Level.DEBUG;
            case INFO_LEVEL, HEADER_LEVEL -> System.Logger.Level.INFO;
            case WARN_LEVEL -> System.Logger.Level.WARNING;
            default -> System.Logger.Level.ERROR;
        }, message);
    }

    private static boolean isRoutine(String message) {
        for (String r : ROUTINE) {
            if (message.contains(r)) return true;
        }
        return false;
    }
}
