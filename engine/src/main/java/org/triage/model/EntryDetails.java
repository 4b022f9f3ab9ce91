package org.triage.model;

/**
 * Filesystem facts about an entry, where the source knows them (disk images above all).
 *
 * @param partition the partition, or null for a bare filesystem or a directory tree
 * @param inode     metadata address (inode, MFT entry), or -1 when unknown
 * @param deleted   true for a deleted entry whose metadata survives
 * @param stream    NTFS alternate data stream name, or null for the default stream
 * @param meta      true for filesystem metadata files ($MFT, $OrphanFiles, journals…)
 */
public record EntryDetails(PartitionInfo partition, long inode, boolean deleted, String stream, boolean meta) {
    /** What a live directory tree can say: the inode, nothing else. */
    public static EntryDetails ofInode(long inode) {
        return new EntryDetails(null, inode, false, null, false);
    }
}
