package org.triage.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.triage.Triage;
import org.triage.store.HashStore;

/**
 * The known-hash stores this JVM has open, read-only, by path: opened by the first task that needs
 * one and reused by every task after it (several at once: a read-only RocksDB is thread-safe), never
 * re-opened per task. An executor JVM opens the store once; in local mode the driver's run shares
 * the same instance. Closed when the JVM ends.
 */
final class ExecutorStore {
    private static final Map<Path, HashStore> OPEN = new ConcurrentHashMap<>();
    private static final AtomicInteger OPENS = new AtomicInteger();
    private static final ThreadLocal<Long> LAST_OPEN_MILLIS = ThreadLocal.withInitial(() -> 0L);

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> OPEN.values().forEach(HashStore::close), "triage-store-close"));
    }

    private ExecutorStore() {
    }

    /**
     * The store at {@code dir}, opened read-only on first use.
     *
     * @throws IOException naming the store when it cannot be opened
     */
    static HashStore open(Path dir) throws IOException {
        Path key = dir.toAbsolutePath().normalize();
        LAST_OPEN_MILLIS.set(0L);
        try {
            return OPEN.computeIfAbsent(key, k -> {
                long t0 = System.nanoTime();
                try {
                    HashStore s = Triage.openStore(k);
                    OPENS.incrementAndGet();
                    LAST_OPEN_MILLIS.set((System.nanoTime() - t0) / 1_000_000);
                    return s;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw new IOException("cannot open the hash store " + key + " on " + org.triage.casework.RunIdentity.current("").host() + ": " + e.getCause().getMessage(),
                    e.getCause());
        }
    }

    /** Stores opened by this JVM so far. */
    static int opens() { return OPENS.get(); }

    /** What this thread's last {@link #open} spent opening (0 when the store was open already). */
    static long lastOpenMillis() { return LAST_OPEN_MILLIS.get(); }
}
