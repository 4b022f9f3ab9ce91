package org.triage.source;

/** Identity of a file's content within one source (device and inode), used to hash hard links once. */
public record FileKey(long device, long inode) {
}
