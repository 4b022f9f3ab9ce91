package org.triage.rematch;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.function.BooleanSupplier;
import org.triage.model.Algorithm;
import org.triage.model.EvidenceSummary;
import org.triage.model.ListingProvenance;
import org.triage.model.RecordListener;
import org.triage.priority.CategoryTable;
import org.triage.store.HashStore;

/**
 * Re-matches one listing after another for {@link org.triage.Rematch}: a {@link ListingReader}
 * for the lines, a {@link ListingBook} for the items. Internal; single-threaded (the workers are
 * the reader's).
 */
public final class ListingRematch {
    /** One listing's items, unranked, and its provenance. */
    public record Outcome(List<EvidenceSummary> summaries, ListingProvenance provenance) {
    }

    private final ListingReader reader;
    private final CategoryTable categories;
    private final RecordListener listener;
    private final Set<String> namesTaken;

    /**
     * @param lookedUp   the digests the store holds, in the scan's order
     * @param window     blocks in flight at most
     * @param namesTaken items named so far, shared by every listing of the re-match
     * @param pdqDistance near matches of listed pictures up to this many bits; negative: none asked
     */
    public ListingRematch(HashStore store, List<Algorithm> lookedUp, ExecutorService workers, int window,
                          CategoryTable categories, RecordListener listener, Set<String> namesTaken, int pdqDistance) {
        this.reader = new ListingReader(store, lookedUp, workers, window, pdqDistance);
        this.categories = categories;
        this.listener = listener;
        this.namesTaken = namesTaken;
    }

    /** @throws IOException when the listing cannot be opened (a read error after that is a line lost, and said) */
    public Outcome read(Path listing, Set<Algorithm> storeAlgorithms, BooleanSupplier stop)
            throws IOException, InterruptedException {
        ListingBook book = new ListingBook(listing.toString(), categories, listener, namesTaken);
        ListingReader.Read read = reader.read(listing, book, stop);
        List<EvidenceSummary> summaries = book.anyItem() ? book.finish(storeAlgorithms, read.stopped()) : List.of();
        return new Outcome(summaries, book.provenance(read));
    }
}
