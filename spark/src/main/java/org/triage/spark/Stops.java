package org.triage.spark;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGINT and SIGTERM stop the run (each item's scan ends with what it has, the cluster job is
 * cancelled) instead of ending the JVM at once: the {@code triage} command that started this JVM
 * forwards its Ctrl-C, and a lab's scheduler sends TERM. Restores the JVM's handlers on close.
 */
final class Stops implements AutoCloseable {
    private final SignalHandler oldInt;
    private final SignalHandler oldTerm;

    private Stops(Runnable stop) {
        SignalHandler h = s -> stop.run();
        this.oldInt = Signal.handle(new Signal("INT"), h);
        this.oldTerm = Signal.handle(new Signal("TERM"), h);
    }

    static Stops on(Runnable stop) {
        return new Stops(stop);
    }

    @Override
    public void close() {
        Signal.handle(new Signal("INT"), oldInt);
        Signal.handle(new Signal("TERM"), oldTerm);
    }
}
