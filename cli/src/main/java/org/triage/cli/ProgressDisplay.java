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
    private final PrintWriter err;
    private final boolean terminal;
    private final long intervalMillis;
    private final Thread thread;
    private final long startNanos = System.nanoTime();
    private volatile boolean running = true;
    private int lastWidth;

    private ProgressDisplay(Scan scan, PrintWriter err, boolean terminal, long intervalMillis) {
        this.scan = scan;
        this.err = err;
        this.terminal = terminal;
        this.intervalMillis = intervalMillis;
        this.thread = new Thread(this::loop, "triage-progress");
        thread.setDaemon(true);
        thread.start();
    }

    /** Starts the display; {@code plainIntervalSeconds} sets the plain-line period. */
    static ProgressDisplay start(Scan scan, PrintWriter err, double plainIntervalSeconds) {
        boolean tty = stderrIsTerminal();
        return new ProgressDisplay(scan, err, tty, tty ? 250 : Math.max(100, (long) (plainIntervalSeconds * 1000)));
    }

    static boolean stderrIsTerminal() {
        try {
            return Native.load("c", LibC.class).isatty(2) == 1;
        } catch (LinkageError | RuntimeException e) {
            return false;
        }
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
        String line = TerminalText.safe(line()); // numbers only today; safe if a name is ever added
        if (terminal) {
            int pad = Math.max(0, lastWidth - line.length());
            err.print("\r" + line + " ".repeat(pad));
            lastWidth = line.length();
        } else {
            err.println("triage: progress: " + line);
        }
        err.flush();
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
            sb.append(String.format(Locale.ROOT, ", %s/s, %,.0f files/s, ETA %s", Summaries.bytes((long) bps), fps, duration(eta)));
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
