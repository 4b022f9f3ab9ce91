package org.triage.model;

/**
 * Whether a scan PDQ-hashed its pictures, and why: said on stderr and in the report, since a scan
 * without PDQ cannot have found a re-encoded copy.
 *
 * @param on          whether pictures were PDQ-hashed
 * @param reason      why, in words ("the hash store holds 1,200 PDQ hashes", "--pdq off")
 * @param maxDistance near matches up to this many differing bits
 * @param dihedral    whether the seven rotations and flips of every picture were matched too
 */
public record PdqUse(boolean on, String reason, int maxDistance, boolean dihedral) {
    /** In one line: "PDQ on: ..." or "PDQ off: ...". */
    public String describe() {
        return "PDQ " + (on ? "on" : "off") + ": " + reason;
    }
}
