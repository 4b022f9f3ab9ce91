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
    private final CaseRun run;
    private final PrintWriter err;
    private final boolean terminal;
    private final long intervalMillis;
    private final long startNanos = System.nanoTime();
    private final Thread thread;
    private volatile boolean running = true;
    private int lastWidth;

    private CaseProgressDisplay(CaseRun run, PrintWriter err, boolean terminal, long intervalMillis) {
        this.run = run;
        this.err = err;
        this.terminal = terminal;
        this.intervalMillis = intervalMillis;
        this.thread = new Thread(this::loop, "triage-case-progress-display");
        thread.setDaemon(true);
        thread.start();
    }

    static CaseProgressDisplay start(CaseRun run, PrintWriter err, double plainIntervalSeconds) {
        boolean tty = ProgressDisplay.stderrIsTerminal();
        return new CaseProgressDisplay(run, err, tty, tty ? 250 : Math.max(100, (long) (plainIntervalSeconds * 1000)));
    }

    private void loop() {
        while (running) {
            try {
                Thread.sleep(intervalMillis);
            } catch (InterruptedException e) {
                return;
            }
            if (running) print();
        }
    }

    private synchronized void print() {
        String line = line(run.progress(), (System.nanoTime() - startNanos) / 1e9);
        if (terminal) {
            err.print("\r" + line + " ".repeat(Math.max(0, lastWidth - line.length())));
            lastWidth = line.length();
        } else {
            err.println("triage: " + line);
        }
        err.flush();
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
        sb.append(more).append(", ").append(Summaries.bytes((long) bps)).append("/s, ETA ").append(duration(eta));
        if (!Double.isNaN(eta)) sb.append(more);
        if (!p.totalsKnown()) sb.append(" (").append(Summaries.count(p.uncounted(), "item", "items")).append(" not counted yet)");
        sb.append(String.format(Locale.ROOT, "; %,d alert match%s", p.alerts(), p.alerts() == 1 ? "" : "es"));
        if (p.unreadable() > 0) sb.append(String.format(Locale.ROOT, ", %,d unreadable", p.unreadable()));
        return sb.toString();
    }

    private static String duration(double s) {
        if (Double.isNaN(s) || Double.isInfinite(s)) return "?";
        long t = Math.max(0, Math.round(s));
        return t >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", t / 3600, t / 60 % 60, t % 60)
                : String.format(Locale.ROOT, "%d:%02d", t / 60, t % 60);
    }

    @Override
    public synchronized void close() {
        running = false;
        thread.interrupt();
        if (terminal && lastWidth > 0) {
            err.print("\r" + " ".repeat(lastWidth) + "\r");
            err.flush();
        }
    }
}
