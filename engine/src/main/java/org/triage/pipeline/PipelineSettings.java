package org.triage.pipeline;

/**
 * Sizes of the pipeline. Memory for content is {@code buffers * chunkSize}, whatever the drive.
 *
 * @param hashThreads   hashing stages (default: one per core)
 * @param lookupThreads lookup stages; 0 = the record stage looks up (the default up to 4 cores)
 * @param readers       reader threads per evidence item (one per physical disk avoids seeking)
 * @param ringSize      ring slots, a power of two
 * @param chunkSize     bytes per content buffer
 * @param buffers       content buffers in the pool
 * @param listQueue     listed entries waiting for a reader (read-ahead of the walk)
 * @param lanes         files each reader keeps open and reads in turns (read-ahead across files)
 * @param stride        bytes read from one file before turning to the next open one
 */
public record PipelineSettings(int hashThreads, int lookupThreads, int readers, int ringSize, int chunkSize,
                               int buffers, int listQueue, int lanes, long stride) {

    /**
     * One hasher per core; one reader with two files in flight per core (at most eight), read in
     * turns of 4 MiB; 512 KiB chunks, enough for six turns of every file in flight (192 on two
     * cores: 96 MiB, outside the heap).
     *
     * <p>Measured on a 2 GiB ext4 image, MD5 only, two cores: one file in flight per core with
     * 8 MiB turns and 96 chunks left the hashers idle a third of the time (a core's next file was
     * not yet read, or every buffer was queued behind the other core's file): 1,050 MB/s; two per
     * core, 4 MiB turns, 192 chunks: 1,420 MB/s. A 4 MiB turn still costs a spinning disk one seek
     * per 4 MiB (about 30 ms of transfer per 8 ms seek).
     */
    public static PipelineSettings defaults() {
        int cores = Math.max(1, Runtime.getRuntime().availableProcessors());
        int chunk = 512 * 1024;
        long stride = 4L << 20;
        return new PipelineSettings(cores, cores > 4 ? 1 : 0, 1, 4096, chunk, buffersFor(lanesFor(cores), stride, chunk),
                LIST_QUEUE, lanesFor(cores), stride);
    }

    /**
     * Entries the walk may list ahead of the readers: 65,536, a few megabytes of heap at most. A
     * tree of up to that many entries is then listed whole while it is read, and the walk's own
     * counts are the progress totals: no second, metadata-only walk just for the ETA (which cost
     * every interactive scan a second readdir and stat of every entry).
     */
    static final int LIST_QUEUE = 65_536;

    private static int lanesFor(int hashers) {
        return Math.max(1, Math.min(2 * hashers, 8));
    }

    /** Six turns of every file in flight, at least 96 and at most 512 chunks. */
    private static int buffersFor(int lanes, long stride, int chunk) {
        return (int) Math.min(512, Math.max(96, lanes * Math.max(1, stride / chunk) * 6));
    }

    public PipelineSettings {
        if (hashThreads < 1) throw new IllegalArgumentException("hash threads must be at least 1, was " + hashThreads);
        if (lookupThreads < 0) throw new IllegalArgumentException("lookup threads must not be negative, was " + lookupThreads);
        if (readers < 1) throw new IllegalArgumentException("readers must be at least 1, was " + readers);
        if (Integer.bitCount(ringSize) != 1) throw new IllegalArgumentException("ring size must be a power of two, was " + ringSize);
        if (buffers < 2) throw new IllegalArgumentException("buffers must be at least 2, was " + buffers);
        if (listQueue < 1) throw new IllegalArgumentException("list queue must be at least 1, was " + listQueue);
        if (lanes < 1) throw new IllegalArgumentException("lanes must be at least 1, was " + lanes);
        if (stride < 1) throw new IllegalArgumentException("stride must be positive, was " + stride);
    }

    /** Sets the hashers, and the files in flight and buffers to match (two files per hasher, at most eight). */
    public PipelineSettings withHashThreads(int n) {
        int lanes = lanesFor(n);
        return new PipelineSettings(n, lookupThreads, readers, ringSize, chunkSize,
                Math.max(buffers, buffersFor(lanes, stride, chunkSize)), listQueue, lanes, stride);
    }

    public PipelineSettings withReaders(int n) {
        return new PipelineSettings(hashThreads, lookupThreads, n, ringSize, chunkSize, buffers, listQueue, lanes, stride);
    }

    public PipelineSettings withChunk(int size, int count) {
        return new PipelineSettings(hashThreads, lookupThreads, readers, ringSize, size, count, listQueue, lanes, stride);
    }

    public PipelineSettings withLanes(int n, long strideBytes) {
        return new PipelineSettings(hashThreads, lookupThreads, readers, ringSize, chunkSize, buffers, listQueue, n,
                strideBytes);
    }
}
