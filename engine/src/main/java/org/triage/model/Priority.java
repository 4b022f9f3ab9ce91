package org.triage.model;

/**
 * How urgently an evidence item needs an examiner, most urgent first (README, "Priority"; the rule
 * is {@code org.triage.priority.EvidenceTally}'s). Every summary carries the reason in words.
 * <ul>
 * <li>{@link #HIGH}: a file matches an alert set in a category that raises priority; whatever else is true.</li>
 * <li>{@link #UNKNOWN}: not examined: the item could not be opened, nothing in it could be read, or a
 *     stopped scan never reached it. Nothing is known about it, so it ranks above every item that was read.</li>
 * <li>{@link #INCOMPLETE}: examined in part: interrupted, a partition, filesystem or the image could not
 *     be read, its verification failed, or at least 1% of its entries or bytes could not be read.</li>
 * <li>{@link #LOW}: read (all but a small share), and no match that raises priority.</li>
 * </ul>
 * Items are then ranked within a level by category severity and match counts.
 */
public enum Priority {
    HIGH("high"),
    UNKNOWN("unknown"),
    INCOMPLETE("incomplete"),
    LOW("low");

    private final String label;

    Priority(String label) { this.label = label; }

    public String label() { return label; }
}
