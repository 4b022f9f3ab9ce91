package org.triage.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The status line both progress displays draw (a scan's, {@link ProgressDisplay}, and a case run's,
 * {@link CaseProgressDisplay}): redrawn in place every 250 ms when stderr is a terminal, else one
 * plain line every {@code plainIntervalSeconds} (logs, pipes), each prefixed for grep. The line is
 * asked for on the ticker's own daemon thread; {@link #close} stops it and wipes the drawn line.
 */
final class StatusTicker implements AutoCloseable {
    private final Supplier<String> line;
    private final PrintWriter err;
    private final boolean terminal;
    private final String plainPrefix;
    private final long intervalMillis;
    private final Thread thread;
    private volatile boolean running = true;
    private int lastWidth;

    StatusTicker(String threadName, Supplier<String> line, PrintWriter err, boolean terminal, double plainIntervalSeconds,
                 String plainPrefix) {
        this.line = line;
        this.err = err;
        this.terminal = terminal;
        this.plainPrefix = plainPrefix;
        this.intervalMillis = terminal ? 250 : Math.max(100, (long) (plainIntervalSeconds * 1000));
        this.thread = new Thread(this::loop, threadName);
        thread.setDaemon(true);
        thread.start();
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
        String text = TerminalText.safe(line.get()); // numbers only today; safe if a name is ever added
        if (terminal) {
            err.print("\r" + text + " ".repeat(Math.max(0, lastWidth - text.length())));
            lastWidth = text.length();
        } else {
            err.println(plainPrefix + text);
        }
        err.flush();
    }

    /** Seconds as m:ss or h:mm:ss; "?" when unknown. */
    static String duration(double s) {
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
