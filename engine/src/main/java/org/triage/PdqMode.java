package org.triage;

/** Whether a scan PDQ-hashes pictures ({@code --pdq}). */
public enum PdqMode {
    /** Never. */
    OFF,
    /** Always, even when the store holds no PDQ hash (the listing then still carries every picture's PDQ). */
    ON,
    /** When the hash store holds PDQ hashes: the default. */
    AUTO
}
