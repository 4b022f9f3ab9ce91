package org.triage.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.triage.Triage;
import org.triage.store.HashStore;

/**
 * Start-up work done beside the command-line parsing instead of after it. Picocli's first command
 * line costs about 0.1 s of one core (its classes predate class-data sharing and are loaded and
 * verified on every start); meanwhile, on a spare thread, the hash store named by {@code --db} is
 * opened read-only (RocksDB's native library and the store's metadata) and the
 * libc binding is loaded. The scan then takes the store that is already open ({@link #store}); if
 * parsing fails or names another store, the speculative one is simply closed or left to the
 * process's exit, having been opened read-only.
 */
final class Preload {
    private static volatile Path storePath;
    private static volatile CompletableFuture<HashStore> store;

    private Preload() {
    }

    static void start(String[] args) {
        if (args.length == 0 || !(args[0].equals("scan") || args[0].equals("rematch"))) return;
        Path db = dbArgument(args);
        CompletableFuture<HashStore> opened = new CompletableFuture<>();
        if (db != null) {
            storePath = db;
            store = opened;
        }
        Thread t = new Thread(() -> {
            try {
                if (db != null) {
                    try {
                        opened.complete(Triage.openStore(db));
                    } catch (IOException | RuntimeException e) {
                        opened.completeExceptionally(e);
                    }
                }
            } catch (Exception | LinkageError e) {
                // The command itself reports whatever really fails.
                opened.completeExceptionally(e);
            }
        }, "triage-preload");
        t.setDaemon(true);
        t.start();
        Triage.warmUp();
    }

    /**
     * The store at {@code db}, read-only: the one opened at start-up if it is that one, else
     * opened now. Errors are those of {@link Triage#openStore}.
     */
    static HashStore store(Path db) throws IOException {
        CompletableFuture<HashStore> early = store;
        store = null;
        if (early != null) {
            if (db.toAbsolutePath().normalize().equals(storePath.toAbsolutePath().normalize())) {
                try {
                    return early.get();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof IOException io) throw io;
                    // anything else: open it here, where the error is reported as usual
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while opening the hash store", e);
                }
            } else {
                early.thenAccept(HashStore::close);
            }
        }
        return Triage.openStore(db);
    }

    /** The value of {@code --db DIR} or {@code --db=DIR}, as picocli will read it; null if absent. */
    static Path dbArgument(String[] args) {
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--")) return null;
            try {
                if (a.equals("--db") && i + 1 < args.length) return Path.of(args[i + 1]);
                if (a.startsWith("--db=")) return Path.of(a.substring("--db=".length()));
            } catch (java.nio.file.InvalidPathException e) {
                return null;
            }
        }
        return null;
    }
}
