package org.triage.model;

/**
 * How urgently an evidence item needs an examiner. The rule (see README, "Priority"):
 * any file matching an alert set makes the item {@link #HIGH}; otherwise it is {@link #LOW}.
 * Items are then ranked within a level by category severity and match counts.
 */
public enum Priority {
    HIGH("high"),
    LOW("low");

    private final String label;

    Priority(String label) { this.label = label; }

    public String label() { return label; }
}
