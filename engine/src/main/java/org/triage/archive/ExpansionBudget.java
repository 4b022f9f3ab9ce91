package org.triage.archive;

/**
 * What one archive found in the evidence may still expand to, every level inside it counted
 * together (42.zip's fan-out is bounded here: its every member is small, only their sum is not).
 * Owned by the one reader thread that expands the archive.
 */
public final class ExpansionBudget {
    private final ArchiveLimits limits;
    private final long total;
    private final long archiveBytes;
    private long expanded;

    /** @param archiveBytes the size of the archive as found in the evidence */
    public ExpansionBudget(ArchiveLimits limits, long archiveBytes) {
        this.limits = limits;
        this.archiveBytes = archiveBytes;
        long byRatio = archiveBytes > Long.MAX_VALUE / limits.ratio() ? Long.MAX_VALUE : archiveBytes * limits.ratio();
        this.total = Math.max(limits.totalFloor(), byRatio);
    }

    public ArchiveLimits limits() { return limits; }

    /** Counts {@code n} more expanded bytes; throws once the archive as a whole is over its bound. */
    void spend(long n) throws Refused {
        expanded += n;
        if (expanded > total) throw new Refused(exhaustedReason());
    }

    public boolean exhausted() { return expanded > total; }

    String exhaustedReason() {
        return "refused: expansion ratio over " + limits.ratio() + " for the archive as a whole (more than " + total
                + " bytes expanded from " + archiveBytes + ")";
    }

    /** A member refused by a bound; its message is the record's error. */
    static final class Refused extends java.io.IOException {
        Refused(String why) {
            super(why);
        }
    }
}
