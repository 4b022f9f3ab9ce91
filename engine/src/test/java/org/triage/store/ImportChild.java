package org.triage.store;

import java.nio.file.Path;
import org.triage.model.SetKind;

/**
 * A separate JVM that imports a file and announces each phase on stdout ("AT parse", "AT write",
 * "AT ingest", "AT commit"), so that {@link ImportCrashTest} can kill -9 it at a chosen moment. With
 * a phase named as the third argument it stops there (sleeps) until killed.
 */
public final class ImportChild {
    private ImportChild() {
    }

    public static void main(String[] args) throws Exception {
        Path store = Path.of(args[0]);
        Path file = Path.of(args[1]);
        String stopAt = args.length > 2 ? args[2] : "";
        ImportObserver announce = (phase, id) -> {
            System.out.println("AT " + phase.label());
            System.out.flush();
            if (phase.label().equals(stopAt)) {
                try {
                    Thread.sleep(600_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        try (HashStoreAdmin s = RocksHashStore.openWritable(store, announce)) {
            s.importSet(new ImportRequest(file, "big", SetKind.ALERT, null, null, true, "child"));
            System.out.println("DONE");
        }
    }
}
