package org.triage.casework;

/**
 * One item in the ranked queue.
 *
 * @param rank       1: examine first
 * @param state      the item's state (see {@link ItemState}); "running" only while a run holds the case
 * @param level      where it ranks
 * @param reason     the level and why, in words: "HIGH: 12 known pictures, Category A 3, Category B 9
 *                   (sets caid-2026-11, lab); 2 unreadable entries"
 * @param percent    share of the item's bytes read, 0-100, while running with totals counted; else NaN
 * @param etaSeconds seconds left at the speed so far, while running; else NaN
 * @param item       the item, its state and counts
 */
public record QueueEntry(int rank, String state, QueueLevel level, String reason, double percent, double etaSeconds,
                         ItemState item) {
}
