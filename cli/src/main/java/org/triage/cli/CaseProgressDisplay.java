package org.triage.cli;

import java.io.PrintWriter;
import java.util.Locale;
import org.triage.casework.CaseProgress;
import org.triage.casework.CaseRun;

/**
 * Progress of a whole case run on stderr, as {@link ProgressDisplay} shows a scan's: redrawn in
 * place on a terminal, one plain line every few seconds otherwise, nothing with --quiet. Items
 * done, running and queued; bytes read of the bytes known; speed; the ETA once every item's size
 * is known (a directory's only once its scan has counted it); alert matches so far.
 */
final class CaseProgressDisplay implements AutoCloseable {
    private final long startNanos = System.nanoTime();
    private final StatusTicker ticker;

    private CaseProgressDisplay(CaseRun run, PrintWriter err, double plainIntervalSeconds) {
        this.ticker = new StatusTicker("triage-case-progress-display",
                () -> line(run.progress(), (System.nanoTime() - startNanos) / 1e9), err, ProgressDisplay.stderrIsTerminal(),
                plainIntervalSeconds, "triage: ");
    }

    static CaseProgressDisplay start(CaseRun run, PrintWriter err, double plainIntervalSeconds) {
        return new CaseProgressDisplay(run, err, plainIntervalSeconds);
    }

    /**
     * "case: 2 done, 1 running, 3 queued; 1.2 GB of 4.5 GB, 120 MB/s, ETA 0:28; 2 alert matches";
     * "… 1.2 GB of 4.5 GB+, 120 MB/s, ETA 0:28+ (1 item not counted yet); …" while a size is unknown.
     */
    static String line(CaseProgress p, double seconds) {
        double bps = seconds > 0 ? p.bytes() / seconds : 0;
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "case: %d done, %d running, %d queued; ",
                p.done(), p.running(), p.queued()));
        sb.append(Summaries.bytes(p.bytes())).append(" of ").append(Summaries.bytes(p.totalBytes()));
        // Items not counted yet make the total a floor, and the ETA too: said with a '+'.
        String more = p.totalsKnown() ? "" : "+";
        double eta = bps > 0 ? (p.totalBytes() - p.bytes()) / bps : Double.NaN;
        sb.append(more).append(", ").append(Summaries.bytes((long) bps)).append("/s, ETA ").append(StatusTicker.duration(eta));
        if (!Double.isNaN(eta)) sb.append(more);
        if (!p.totalsKnown()) sb.append(" (").append(Summaries.count(p.uncounted(), "item", "items")).append(" not counted yet)");
        sb.append(String.format(Locale.ROOT, "; %,d alert match%s", p.alerts(), p.alerts() == 1 ? "" : "es"));
        if (p.unreadable() > 0) sb.append(String.format(Locale.ROOT, ", %,d unreadable", p.unreadable()));
        return sb.toString();
    }

    @Override
    public void close() {
        ticker.close();
    }
}
