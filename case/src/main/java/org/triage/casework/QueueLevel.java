package org.triage.casework;

/**
 * Where an item stands in the case's queue, most urgent first: the order of manual review.
 * HIGH, NOT EXAMINED, INCOMPLETE and LOW are the engine's priorities (high, unknown, incomplete,
 * low) for items whose scan ended; RUNNING and QUEUED are items not yet known, which rank above
 * LOW (a LOW item was read and holds nothing known) and below every item that needs an examiner
 * now. A running item with a match that raises priority is HIGH at once.
 */
public enum QueueLevel {
    HIGH("HIGH"),
    NOT_EXAMINED("NOT EXAMINED"),
    INCOMPLETE("INCOMPLETE"),
    RUNNING("RUNNING"),
    QUEUED("QUEUED"),
    LOW("LOW");

    private final String words;

    QueueLevel(String words) { this.words = words; }

    /** As the status prints it: "NOT EXAMINED". */
    public String words() { return words; }
}
