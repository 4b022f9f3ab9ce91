package org.triage.store;

/**
 * Thrown by a test's {@link ImportObserver} to stop an import as a kill would: an Error, so the
 * import removes nothing (an exception would make it clean up), and the next writable open must.
 */
final class SimulatedCrash extends Error {
    private static final long serialVersionUID = 1L;

    SimulatedCrash(ImportObserver.Phase phase) {
        super("simulated crash entering " + phase.label());
    }
}
