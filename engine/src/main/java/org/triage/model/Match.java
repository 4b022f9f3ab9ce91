package org.triage.model;

/**
 * One known-hash set a file's digest was found in.
 *
 * @param set      the set's name
 * @param kind     alert or known-good
 * @param category the entry's category as its source gave it, or null
 */
public record Match(String set, SetKind kind, String category) {
}
