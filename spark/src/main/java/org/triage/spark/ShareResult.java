package org.triage.spark;

import java.io.Serializable;

/**
 * What a task sends back to the driver: its share's all-files listing (gzip; paths, sizes, digests,
 * never content) and where and how it was read, for the audit trail.
 *
 * @param item       the case's item id
 * @param part       the share, 0-based
 * @param parts      the item's shares
 * @param listing    the share's all-files listing, gzip-compressed
 * @param files      entries the share recorded
 * @param bytes      content bytes the share read
 * @param executor   Spark's executor id ("driver" in local mode)
 * @param host       the machine
 * @param pid        the executor's JVM
 * @param attempt    Spark's attempt number of the task (0 first)
 * @param seconds    the task's scan time
 * @param storeOpens stores this JVM opened so far (1: the store was opened once, and reused by every task since)
 * @param storeOpenMillis what this task spent opening the store (0 when it was open already)
 */
record ShareResult(long item, int part, int parts, byte[] listing, long files, long bytes, String executor, String host,
                   long pid, int attempt, double seconds, int storeOpens, long storeOpenMillis) implements Serializable {
    private static final long serialVersionUID = 1L;
}
