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
     * One hasher per core; one reader; two files in flight per reader when there are two or more
     * cores (so that each core can take one file's MD5); 512 KiB chunks, 96 of them (48 MiB).
     */
    public static PipelineSettings defaults() {
        int cores = Math.max(1, Runtime.getRuntime().availableProcessors());
        return new PipelineSettings(cores, cores > 4 ? 1 : 0, 1, 4096, 512 * 1024, 96, 8192, Math.min(cores, 4), 8L << 20);
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

    /** Sets the hashers, and the lanes to match (at most four). */
    public PipelineSettings withHashThreads(int n) {
        return new PipelineSettings(n, lookupThreads, readers, ringSize, chunkSize, buffers, listQueue,
                Math.max(1, Math.min(n, 4)), stride);
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
