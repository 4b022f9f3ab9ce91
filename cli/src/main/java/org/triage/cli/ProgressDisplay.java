package org.triage.cli;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.PrintWriter;
import java.util.Locale;
import org.triage.Scan;
import org.triage.model.Progress;

/**
 * Progress on stderr while a scan runs: a bar redrawn in place when stderr is a terminal, one plain
 * status line every few seconds otherwise (logs, pipes), nothing with --quiet. Shows bytes/s,
 * files/s, the ETA from the pre-walk's totals, and alert matches so far.
 */
final class ProgressDisplay implements AutoCloseable {
    private interface LibC extends Library {
        int isatty(int fd);
    }

    private final Scan scan;
    private final boolean terminal;
    private final long startNanos = System.nanoTime();
    private final StatusTicker ticker;

    private ProgressDisplay(Scan scan, PrintWriter err, boolean terminal, double plainIntervalSeconds) {
        this.scan = scan;
        this.terminal = terminal;
        this.ticker = new StatusTicker("triage-progress", this::line, err, terminal, plainIntervalSeconds, "triage: progress: ");
    }

    /** Starts the display; {@code plainIntervalSeconds} sets the plain-line period. */
    static ProgressDisplay start(Scan scan, PrintWriter err, double plainIntervalSeconds) {
        return new ProgressDisplay(scan, err, stderrIsTerminal(), plainIntervalSeconds);
    }

    static boolean stderrIsTerminal() {
        try {
            return Native.load("c", LibC.class).isatty(2) == 1;
        } catch (LinkageError | RuntimeException e) {
            return false;
        }
    }

    String line() {
        Progress p = scan.progress();
        double secs = Math.max(1e-3, (System.nanoTime() - startNanos) / 1e9);
        long bytes = p.bytes();
        long files = p.files();
        double bps = bytes / secs;
        double fps = files / secs;
        StringBuilder sb = new StringBuilder();
        double frac = p.fractionDone();
        if (!Double.isNaN(frac)) {
            if (terminal) {
                int w = 20;
                int full = (int) Math.round(frac * w);
                sb.append('[').append("#".repeat(full)).append(".".repeat(w - full)).append("] ");
            }
            sb.append(String.format(Locale.ROOT, "%3.0f%% ", frac * 100));
            sb.append(String.format(Locale.ROOT, "%,d/%,d files, %s/%s", files, p.totalFiles(), Summaries.bytes(bytes),
                    Summaries.bytes(p.totalBytes())));
            double eta = bps > 0 ? (p.totalBytes() - bytes) / bps : Double.NaN;
            sb.append(String.format(Locale.ROOT, ", %s/s, %,.0f files/s, ETA %s", Summaries.bytes((long) bps), fps, StatusTicker.duration(eta)));
        } else {
            sb.append(String.format(Locale.ROOT, "%,d files, %s, %s/s, %,.0f files/s (counting totals...)", files,
                    Summaries.bytes(bytes), Summaries.bytes((long) bps), fps));
        }
        if (p.members() > 0) {
            sb.append(String.format(Locale.ROOT, ", %,d archive member%s (%s expanded)", p.members(),
                    p.members() == 1 ? "" : "s", Summaries.bytes(p.expandedBytes())));
        }
        if (p.images() > 0) {
            sb.append(String.format(Locale.ROOT, ", %,d disk image%s inside (%,d entr%s)", p.images(),
                    p.images() == 1 ? "" : "s", p.imageEntries(), p.imageEntries() == 1 ? "y" : "ies"));
        }
        if (p.pictures() > 0) {
            // After an item's crypto pass the PDQ stage drains: this is the count that still moves.
            sb.append(String.format(Locale.ROOT, ", PDQ %,d/%,d pictures", p.picturesDone(), p.pictures()));
        }
        sb.append(String.format(Locale.ROOT, ", %,d alert match%s", p.alerts(), p.alerts() == 1 ? "" : "es"));
        if (p.errors() > 0) sb.append(String.format(Locale.ROOT, ", %,d unreadable", p.errors()));
        return sb.toString();
    }

    @Override
    public void close() {
        ticker.close();
    }
}
