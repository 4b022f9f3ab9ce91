package org.triage.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.triage.model.Algorithm;
import org.triage.model.EvidenceSummary;
import org.triage.model.ListingHeader;
import org.triage.model.PdqUse;
import org.triage.model.RecordListener;
import org.triage.model.ScanResult;
import org.triage.priority.CategoryTable;
import org.triage.report.AllFilesWriter;
import org.triage.report.JsonReportWriter;
import org.triage.report.OutputTarget;
import org.triage.report.ReportCollector;
import org.triage.report.ReportContext;
import org.triage.report.VicsWriter;
import org.triage.store.HashStore;

/**
 * The writers of one triage's outputs, for {@code triage scan} and {@code triage acquire --db}
 * alike: the collector the report and summary read, the all-files listing and the VICS file as
 * records come, then, at the end, the report, the VICS file's close and the human summary.
 *
 * <p>What was found is not lost to an output that cannot be written: each failure is kept, said
 * once after the summary ({@link #finish}), and the others are still written. Used by the command's
 * thread; the listeners run on the scan's recording thread.
 */
final class ScanWriters {
    private final ScanOutputs outputs;
    private final ReportCollector collected = new ReportCollector();
    private final AllFilesWriter listing;
    private final VicsWriter vics;
    private final List<String> failed = new ArrayList<>();
    private boolean listingClosed;

    private ScanWriters(ScanOutputs outputs, AllFilesWriter listing, VicsWriter vics) {
        this.outputs = outputs;
        this.listing = listing;
        this.vics = vics;
    }

    /**
     * Opens the listing (created now) and the VICS writer.
     *
     * @throws IOException naming the listing and why it cannot be written
     */
    static ScanWriters open(ScanOutputs outputs, CategoryTable table) throws IOException {
        OutputTarget listingTarget = outputs.get("--all-files");
        AllFilesWriter listing;
        try {
            listing = listingTarget == null ? null : new AllFilesWriter(listingTarget);
        } catch (IOException e) {
            throw new IOException("cannot write all-files listing " + listingTarget + ": " + OutputTarget.reason(e), e);
        }
        OutputTarget vicsTarget = outputs.get("--vics");
        return new ScanWriters(outputs, listing, vicsTarget == null ? null : new VicsWriter(vicsTarget, table));
    }

    /** Every record goes to these, in this order: the collector, the listing, the VICS file. */
    RecordListener listener() {
        List<RecordListener> listeners = new ArrayList<>();
        listeners.add(collected);
        if (listing != null) listeners.add(listing);
        if (vics != null) listeners.add(vics);
        return RecordListener.all(listeners);
    }

    ReportCollector collected() {
        return collected;
    }

    /**
     * Said on stderr before a long run (and in the report): items named twice and scanned once,
     * whether re-encoded copies can be found at all (PDQ), digests added because the store holds them.
     */
    static void announce(List<String> notes, PdqUse pdq, List<Algorithm> addedForStore, PrintWriter err) {
        for (String note : notes) err.println("triage: " + TerminalText.safe(note));
        err.println("triage: " + pdq.describe());
        if (!addedForStore.isEmpty()) {
            err.println("triage: also computing " + Summaries.ids(addedForStore) + ": the hash store holds such digests");
        }
    }

    /**
     * The listing's first line, before any record: what it is, so that it can be re-matched later
     * on its own (triage rematch). Its notes are the scan's, and with PDQ on, that the pictures carry
     * PDQ hashes (and within what distance).
     */
    void header(String caseId, String examiner, List<String> evidence, List<Algorithm> algorithms, Path db, HashStore store,
                List<String> notes, PdqUse pdq) {
        if (listing == null) return;
        List<String> all = new ArrayList<>(notes);
        if (pdq.on()) all.add(pdq.describe());
        listing.header(new ListingHeader("triage " + VersionProvider.version(), java.time.Instant.now(), caseId, examiner,
                evidence, algorithms, db.toAbsolutePath().toString(), store.sets().stream().map(ListingHeader.SetSeen::of).toList(),
                all));
    }

    /** Ends the listing once the scan is over (its failure, if any, is said in {@link #finish}). Idempotent. */
    void closeListing() {
        if (listing != null && !listingClosed) listing.close();
        listingClosed = true;
    }

    /**
     * Writes the report (with {@code extra} members, or none) and closes the VICS file, then prints
     * the summary (to stderr when an output went to stdout) and each output that could not be written.
     *
     * @param done what was done to the items, for the summary's first line ("scanned")
     * @return whether every output asked for was written
     */
    boolean finish(ScanResult result, ReportContext ctx, Map<String, ?> extra, CategoryTable table, boolean quiet, String done,
                   PrintWriter out, PrintWriter err) {
        OutputTarget listingTarget = outputs.get("--all-files");
        if (listing != null && listing.failure() != null) {
            failed.add("cannot write all-files listing " + listingTarget + ": " + OutputTarget.reason(listing.failure()));
        }
        OutputTarget reportTarget = outputs.get("--report");
        if (reportTarget != null) {
            try {
                JsonReportWriter.write(reportTarget, result, ctx, collected, extra);
            } catch (IOException e) {
                failed.add("cannot write report " + reportTarget + ": " + OutputTarget.reason(e));
                reportTarget = null;
            }
        }
        if (vics != null) {
            for (EvidenceSummary s : result.evidence()) vics.taken(s.source(), s.taken());
            try {
                vics.close();
            } catch (IOException e) {
                failed.add("cannot write VICS file " + outputs.get("--vics") + ": " + OutputTarget.reason(e));
            }
        }
        if (!quiet) {
            // With an output on standard output, the human summary must not mix into it.
            Summaries.print(outputs.usesStdout() ? err : out, result, table, collected,
                    reportTarget == null ? null : reportTarget.file(),
                    listingTarget == null || listing.failure() != null ? null : listingTarget.file(), done);
        } else {
            Summaries.printProblems(err, result, collected); // --quiet silences progress and the summary, never an error
        }
        for (String f : failed) err.println("triage: " + TerminalText.safe(f));
        return failed.isEmpty();
    }
}
