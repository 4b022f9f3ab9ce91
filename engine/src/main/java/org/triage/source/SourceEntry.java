package org.triage.source;

import org.triage.model.EntryDetails;
import org.triage.model.EntryType;
import org.triage.model.RawPath;

/**
 * One entry listed by a source.
 *
 * @param path       path relative to the evidence item, exact bytes
 * @param type       what the entry is (from metadata, links not followed)
 * @param size       size from metadata (0 when unknown)
 * @param key        content identity (device, inode), or null when the source has none
 * @param linkCount  number of hard links the metadata reports (1 when unknown)
 * @param hardLinkOf for the second and later paths of one hard-linked file: the first path listed,
 *                   whose content is read once for all; null otherwise
 * @param error      why this entry could not be listed or stat'ed, or null
 * @param details    filesystem facts (partition, inode, deleted, stream, meta), or null
 */
public record SourceEntry(RawPath path, EntryType type, long size, FileKey key, long linkCount,
                          RawPath hardLinkOf, String error, EntryDetails details) {

    /** An entry of a live directory tree, where the only detail is the inode. */
    public SourceEntry(RawPath path, EntryType type, long size, FileKey key, long linkCount, RawPath hardLinkOf,
                       String error) {
        this(path, type, size, key, linkCount, hardLinkOf, error,
                key == null ? null : EntryDetails.ofInode(key.inode()));
    }
}
