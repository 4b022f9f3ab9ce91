package org.triage.cli;

import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The CLI's logging backend for the engine's System.Logger calls: one short line per message on
 * stderr, warnings and errors only by default; each -v shows more. Messages are escaped
 * ({@link TerminalText}): they quote names from the evidence.
 */
final class Logging {
    private static int verbosity;

    private Logging() {
    }

    static synchronized void configure(int level) {
        verbosity = level;
        Level jul = switch (level) {
            case 0 -> Level.WARNING;
            case 1 -> Level.INFO;
            default -> Level.FINE;
        };
        Logger root = Logger.getLogger("");
        for (Handler h : root.getHandlers()) root.removeHandler(h);
        ConsoleHandler console = new ConsoleHandler();
        console.setLevel(jul);
        console.setFormatter(new Formatter() {
            @Override
            public String format(LogRecord r) {
                StringBuilder sb = new StringBuilder("triage: ");
                if (r.getLevel().intValue() >= Level.WARNING.intValue()) sb.append(r.getLevel().getName().toLowerCase()).append(": ");
                // Messages quote evidence names: escaped, so a name cannot write to the terminal or forge a line.
                sb.append(TerminalText.safe(formatMessage(r))).append(System.lineSeparator());
                Throwable thrown = r.getThrown();
                if (thrown != null && verbosity > 0) {
                    java.io.StringWriter w = new java.io.StringWriter();
                    thrown.printStackTrace(new java.io.PrintWriter(w));
                    w.toString().lines().forEach(l -> sb.append(TerminalText.safe(l)).append(System.lineSeparator()));
                } else if (thrown != null) {
                    // The examiner gets the reason; the Java class and trace are for -v.
                    String why = thrown.getMessage() != null ? thrown.getMessage() : thrown.getClass().getSimpleName();
                    sb.append("  cause: ").append(TerminalText.safe(why)).append(System.lineSeparator());
                }
                return sb.toString();
            }
        });
        root.addHandler(console);
        root.setLevel(jul);
    }

    /** How many -v the command line had (0 by default). */
    static synchronized int verbosity() {
        return verbosity;
    }

}
