package org.triage.model;

/**
 * The partition a file was found in, on a disk image or device.
 *
 * @param index  the partition's index in the volume system, as The Sleuth Kit numbers it
 * @param offset byte offset of the partition from the start of the image
 * @param type   the partition's description (e.g. "Linux (0x83)", "Basic data partition")
 */
public record PartitionInfo(int index, long offset, String type) {
}
