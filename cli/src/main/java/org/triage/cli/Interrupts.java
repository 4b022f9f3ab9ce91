package org.triage.cli;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C (SIGINT) and SIGTERM during a scan: stop reading, let the scan record what it has and
 * write a report marked partial, instead of dying with nothing. A second signal exits at once.
 */
final class Interrupts {
    /** Restores the previous handlers when closed. */
    interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    private Interrupts() {
    }

    static Registration onInterrupt(Runnable stop) {
        try {
            Signal intSig = new Signal("INT");
            Signal termSig = new Signal("TERM");
            boolean[] once = {false};
            SignalHandler handler = sig -> {
                synchronized (once) {
                    if (once[0]) Runtime.getRuntime().halt(ExitCodes.INTERRUPTED);
                    once[0] = true;
                }
                System.err.println("\ntriage: interrupted; finishing the report (press Ctrl-C again to quit at once)");
                stop.run();
            };
            SignalHandler oldInt = Signal.handle(intSig, handler);
            SignalHandler oldTerm = Signal.handle(termSig, handler);
            return () -> {
                Signal.handle(intSig, oldInt);
                Signal.handle(termSig, oldTerm);
            };
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            return () -> { };
        }
    }
}
