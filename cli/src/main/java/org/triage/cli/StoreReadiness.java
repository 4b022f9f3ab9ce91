package org.triage.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.triage.model.HashSetInfo;
import org.triage.model.SetKind;
import org.triage.store.HashStore;

/**
 * Whether a store can answer a scan's question. A scan reports alert matches; against a store with
 * no alert set (emptied by a first import that failed, or holding NSRL alone) it could only ever say
 * "no alert match", exit 0, which reads as "clean". Such a scan is refused (exit 2) rather than run
 * with a warning: a known-good-only sweep has no use that a scan's exit code or report could serve
 * without misleading a script.
 */
final class StoreReadiness {
    private StoreReadiness() {
    }

    /**
     * The store at {@code db}, open read-only (the one {@link Preload} opened, if it is that one)
     * and holding an alert set; null after saying on {@code err} why not (the command exits 2).
     */
    static HashStore openForMatching(Path db, PrintWriter err) {
        HashStore store;
        try {
            store = Preload.store(db);
        } catch (IOException e) {
            err.println("triage: " + TerminalText.safe(e.getMessage()));
            return null;
        }
        String noAlertSet = refusal(store, db);
        if (noAlertSet != null) {
            store.close();
            err.println("triage: " + noAlertSet);
            return null;
        }
        return store;
    }

    /** Why a scan against {@code store} is refused, as one sentence; null when it holds an alert set. */
    static String refusal(HashStore store, Path db) {
        if (store.sets().stream().anyMatch(s -> s.kind() == SetKind.ALERT)) return null;
        String holds = store.sets().isEmpty()
                ? "no sets at all: a first import that failed leaves a store empty"
                : "known-good only: " + store.sets().stream().map(HashSetInfo::name).collect(Collectors.joining(", "));
        return "hash store " + db + " holds no alert set (" + holds + "), so a scan against it could find nothing and"
                + " its 'no alert match' would mean nothing; import an alert list first ('triage hashset import LIST --db "
                + db + " --name NAME')";
    }
}
