package org.triage.source;

/** Receives a source's entries as they are listed. */
@FunctionalInterface
public interface EntryVisitor {
    /** @return false to stop the walk */
    boolean visit(SourceEntry entry);
}
