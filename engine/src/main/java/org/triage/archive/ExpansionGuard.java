package org.triage.archive;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.LongSupplier;

/**
 * One member's decompressed bytes, refused once they expand too far: past
 * {@link ArchiveLimits#ratioAfter()} bytes, more than {@link ArchiveLimits#ratio()} times the
 * archive bytes consumed since the member began (counted below the decompressor, so read-ahead
 * only makes it more lenient), or past the archive's {@link ExpansionBudget}. A refusal is sticky:
 * every later read throws it again, so nothing downstream can mistake a refused member for a
 * short one. Closing does not close the archive's stream (the next member is read from it).
 * Made by {@link #over}, which keeps a member's {@link DirectContent} reads (the bounds hold on
 * either way in).
 */
class ExpansionGuard extends FilterInputStream {
    private final ExpansionBudget budget;
    private final LongSupplier consumed;
    private final long consumedAtStart;
    private long out;
    private IOException refused;

    /** A guard over {@code member}, itself {@link DirectContent} when the member is. */
    static ExpansionGuard over(InputStream member, ExpansionBudget budget, LongSupplier consumed) {
        return member instanceof DirectContent ? new Direct(member, budget, consumed) : new ExpansionGuard(member, budget, consumed);
    }

    private ExpansionGuard(InputStream member, ExpansionBudget budget, LongSupplier consumed) {
        super(member);
        this.budget = budget;
        this.consumed = consumed;
        this.consumedAtStart = consumed.getAsLong();
    }

    boolean refused() { return refused != null; }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        refusedBefore();
        return count(in.read(b, off, len));
    }

    /** A refusal is sticky: thrown again at every read after it. */
    final void refusedBefore() throws IOException {
        if (refused != null) throw refused;
    }

    /** Counts {@code n} bytes just expanded against the bounds; returns {@code n}. */
    final int count(int n) throws IOException {
        if (n <= 0) return n;
        out += n;
        try {
            budget.spend(n);
            ArchiveLimits l = budget.limits();
            long in = Math.max(1, consumed.getAsLong() - consumedAtStart);
            if (out > l.ratioAfter() && out / in >= l.ratio()) {
                throw new ExpansionBudget.Refused("refused: expansion ratio over " + l.ratio());
            }
        } catch (ExpansionBudget.Refused r) {
            refused = r;
            throw r;
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] sink = new byte[(int) Math.min(8192, Math.max(1, n))];
        long done = 0;
        while (done < n) {
            int k = read(sink, 0, (int) Math.min(sink.length, n - done));
            if (k < 0) break;
            done += k;
        }
        return done;
    }

    @Override
    public boolean markSupported() { return false; }

    @Override
    public void close() {
        // the archive's stream stays open for the next member
    }

    /** The guard over a member that can be read straight into the caller's buffer. */
    private static final class Direct extends ExpansionGuard implements DirectContent {
        private final DirectContent direct;

        Direct(InputStream member, ExpansionBudget budget, LongSupplier consumed) {
            super(member, budget, consumed);
            this.direct = (DirectContent) member;
        }

        @Override
        public int read(java.nio.ByteBuffer dst) throws IOException {
            refusedBefore();
            return count(direct.read(dst));
        }
    }
}
