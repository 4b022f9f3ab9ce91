package org.triage.source;

import java.util.HashMap;
import java.util.Map;
import org.triage.model.RawPath;

/**
 * Remembers the first path of each hard-linked regular file met in a walk, so that later paths of
 * the same (device, inode) point at it instead of being read again.
 *
 * <p>Memory stays bounded by the files whose links have not all been seen yet: only files with
 * more than one link are kept, and a file is forgotten once as many paths as its link count have
 * been seen. Links that lie outside the tree keep their file remembered to the end of the walk.
 * Not thread-safe; one per walk.
 */
final class HardLinkTracker {
    private static final class Seen {
        final RawPath first;
        final long links;
        long count = 1;

        Seen(RawPath first, long links) {
            this.first = first;
            this.links = links;
        }
    }

    private final Map<FileKey, Seen> seen = new HashMap<>();

    /**
     * Records one path of a regular file.
     *
     * @param linkCount the link count stat gave for this path
     * @return null when this is the first path of the file (or it has one link), else the first path
     */
    RawPath record(FileKey key, long linkCount, RawPath path) {
        if (linkCount <= 1) return null;
        Seen s = seen.get(key);
        if (s == null) {
            seen.put(key, new Seen(path, linkCount));
            return null;
        }
        if (++s.count >= s.links) seen.remove(key);
        return s.first;
    }

    /** Files remembered now: those with links still to be seen. */
    int pending() { return seen.size(); }
}
