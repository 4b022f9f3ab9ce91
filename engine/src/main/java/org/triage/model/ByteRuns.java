package org.triage.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a file's content lies in the disk image it was read from: libtsk's block map of the data
 * attribute that was read, cut to the bytes read, as byte offsets in the image (for an E01, in the
 * media it holds). Kept with the record so that a report made long after the scan (DFXML's
 * {@code byte_runs}) can say where each file was, without opening the image again.
 *
 * <p>The runs follow one another in the file: each starts where the one before ends, so a run's
 * file offset is the sum of the lengths before it. A hole (a sparse run, or a stretch libtsk maps
 * to no block) reads as zeros and has no image offset. Content stored inside the file's metadata
 * record (NTFS resident data, ext4 inline data) has no run at all: {@link #resident()}.
 *
 * <p>Bounded: a badly fragmented file keeps its first {@link #LIMIT} runs, and {@link #total()}
 * says how many it has.
 *
 * @param runs     the runs in file order, at most {@link #LIMIT}
 * @param total    how many runs the content has (more than {@code runs.size()} when the list was cut)
 * @param resident true when the content lives inside the metadata record (then {@code runs} is empty)
 */
public record ByteRuns(List<Run> runs, long total, boolean resident) {
    /** Runs kept per file: a listing line stays small even for a file in pieces all over the disk. */
    public static final int LIMIT = 1000;

    /** Content stored inside the file's metadata record: no run, no image offset. */
    public static final ByteRuns RESIDENT = new ByteRuns(List.of(), 0, true);

    public ByteRuns {
        runs = List.copyOf(runs);
        if (runs.size() > LIMIT) throw new IllegalArgumentException("more than " + LIMIT + " runs: " + runs.size());
        if (total < runs.size()) throw new IllegalArgumentException("total " + total + " is below the " + runs.size() + " runs listed");
        if (resident && !runs.isEmpty()) throw new IllegalArgumentException("resident content with " + runs.size() + " runs");
    }

    /** Whether runs were left out ({@link #LIMIT}). */
    public boolean truncated() {
        return total > runs.size();
    }

    /**
     * One stretch of the content.
     *
     * @param imageOffset byte offset in the image, or -1 for a hole (reads as zeros)
     * @param length      bytes
     */
    public record Run(long imageOffset, long length) {
        public Run {
            if (length <= 0) throw new IllegalArgumentException("run length " + length + " is not positive");
            if (imageOffset < -1) throw new IllegalArgumentException("image offset " + imageOffset);
        }

        public boolean hole() {
            return imageOffset < 0;
        }
    }

    /**
     * Gathers runs in file order: joins a run to the one before when it continues it in the image
     * (or both are holes), and counts, without keeping, those past {@link #LIMIT}. One per file, one
     * thread.
     */
    public static final class Builder {
        private final List<Run> runs = new ArrayList<>();
        private long total;
        private long lastOffset = Long.MIN_VALUE;
        private long lastLength;

        /** Adds {@code length} bytes at {@code imageOffset} (-1: a hole); nothing for a length of 0. */
        public Builder add(long imageOffset, long length) {
            if (length <= 0) return this;
            boolean joins = total > 0 && (imageOffset < 0 ? lastOffset < 0 : lastOffset >= 0 && lastOffset + lastLength == imageOffset);
            if (joins) {
                lastLength += length;
                if (total <= LIMIT) runs.set(runs.size() - 1, new Run(lastOffset, lastLength));
                return this;
            }
            total++;
            lastOffset = imageOffset < 0 ? -1 : imageOffset;
            lastLength = length;
            if (total <= LIMIT) runs.add(new Run(lastOffset, lastLength));
            return this;
        }

        public ByteRuns build() {
            return new ByteRuns(runs, total, false);
        }
    }
}
