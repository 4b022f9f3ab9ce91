package org.triage.model;

/**
 * Filesystem facts about an entry, where the source knows them (disk images above all).
 *
 * @param partition the partition, or null for a bare filesystem or a directory tree
 * @param inode     metadata address (inode, MFT entry), or -1 when unknown
 * @param deleted   true for a deleted entry whose metadata survives
 * @param stream    NTFS alternate data stream name, or null for the default stream
 * @param meta      true for filesystem metadata files ($MFT, $OrphanFiles, journals…)
 * @param runs      for a file of the evidence's own disk image that was read: where its content lies
 *                  in the image; null otherwise (not read yet, not from an image, an archive member or a
 *                  file of an image found inside the item, compressed or encrypted content)
 */
public record EntryDetails(PartitionInfo partition, long inode, boolean deleted, String stream, boolean meta,
                           ByteRuns runs) {
    /** Facts known when the entry is listed, before it is read: no runs. */
    public EntryDetails(PartitionInfo partition, long inode, boolean deleted, String stream, boolean meta) {
        this(partition, inode, deleted, stream, meta, null);
    }

    /** What a live directory tree can say: the inode, nothing else. */
    public static EntryDetails ofInode(long inode) {
        return new EntryDetails(null, inode, false, null, false);
    }

    /** These facts with where the content lies. */
    public EntryDetails withRuns(ByteRuns where) {
        return new EntryDetails(partition, inode, deleted, stream, meta, where);
    }
}
