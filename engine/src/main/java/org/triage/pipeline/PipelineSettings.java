package org.triage.pipeline;

/**
 * Sizes of the pipeline. Memory for content is {@code buffers * chunkSize}, whatever the drive.
 *
 * @param hashThreads   hashing stages (default: one per core)
 * @param lookupThreads lookup stages
 * @param readers       reader threads per evidence item (one per physical disk avoids seeking)
 * @param ringSize      ring slots, a power of two
 * @param chunkSize     bytes per content buffer
 * @param buffers       content buffers in the pool
 * @param listQueue     listed entries waiting for a reader (read-ahead of the walk)
 */
public record PipelineSettings(int hashThreads, int lookupThreads, int readers, int ringSize, int chunkSize,
                               int buffers, int listQueue) {

    public static PipelineSettings defaults() {
        int cores = Runtime.getRuntime().availableProcessors();
        return new PipelineSettings(Math.max(1, cores), 1, 1, 4096, 512 * 1024, 64, 8192);
    }

    public PipelineSettings {
        if (hashThreads < 1) throw new IllegalArgumentException("hash threads must be at least 1, was " + hashThreads);
        if (lookupThreads < 1) throw new IllegalArgumentException("lookup threads must be at least 1, was " + lookupThreads);
        if (readers < 1) throw new IllegalArgumentException("readers must be at least 1, was " + readers);
        if (Integer.bitCount(ringSize) != 1) throw new IllegalArgumentException("ring size must be a power of two, was " + ringSize);
        if (buffers < 2) throw new IllegalArgumentException("buffers must be at least 2, was " + buffers);
        if (listQueue < 1) throw new IllegalArgumentException("list queue must be at least 1, was " + listQueue);
    }

    public PipelineSettings withHashThreads(int n) {
        return new PipelineSettings(n, lookupThreads, readers, ringSize, chunkSize, buffers, listQueue);
    }

    public PipelineSettings withReaders(int n) {
        return new PipelineSettings(hashThreads, lookupThreads, n, ringSize, chunkSize, buffers, listQueue);
    }

    public PipelineSettings withChunk(int size, int count) {
        return new PipelineSettings(hashThreads, lookupThreads, readers, ringSize, size, count, listQueue);
    }
}
