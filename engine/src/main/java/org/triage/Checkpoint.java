package org.triage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.triage.model.Algorithm;
import org.triage.model.ContentType;
import org.triage.model.FileRecord;
import org.triage.model.Match;
import org.triage.model.RawPath;
import org.triage.pipeline.Replay;
import org.triage.rematch.CheckpointReader;
import org.triage.store.HashStore;

/**
 * What earlier, unfinished scans of the same evidence recorded, read from their all-files
 * listings, so that a scan resumed with it ({@link ScanConfig.Builder#resume}) does not read again
 * what is on record: each entry of an item taken from here is handed to the listener as it was
 * recorded (its digests looked up again in this scan's store), in place of being read.
 *
 * <p>What is taken, per entry of the item (the unit: a file of the item, with, for an archive, all
 * its members): only entries whose every record was read without error (an unreadable entry may
 * read now, and a stopped scan marks the files it was reading with an error), and, for an archive,
 * only when its own record is there, which the scan writes after all its members' (so a listing cut
 * anywhere never holds half an archive that would pass as whole). A disk image found in the item,
 * or any entry with a note (an image, a segment), is read again whole. The last line of a listing
 * without its end of line (a kill leaves it torn) and lines that do not parse are left out.
 *
 * <p>Immutable once read; a scan takes what it uses from its own copy.
 */
public final class Checkpoint {
    private final Map<String, Map<RawPath, List<FileRecord>>> bySource;
    private final long entries;
    private final long linesLeftOut;

    private Checkpoint(Map<String, Map<RawPath, List<FileRecord>>> bySource, long entries, long linesLeftOut) {
        this.bySource = bySource;
        this.entries = entries;
        this.linesLeftOut = linesLeftOut;
    }

    /**
     * Reads the listings, in order (an entry in several is taken once).
     *
     * @throws IOException naming the listing that cannot be read
     */
    public static Checkpoint read(List<Path> listings) throws IOException {
        Map<String, Map<RawPath, Map<List<RawPath>, FileRecord>>> raw = new LinkedHashMap<>();
        long[] bad = new long[1];
        for (Path l : listings) {
            try {
                bad[0] += CheckpointReader.read(l, r -> {
                    RawPath top = r.container().isEmpty() ? r.path() : r.container().get(0);
                    List<RawPath> key = new ArrayList<>(r.container());
                    key.add(r.path());
                    raw.computeIfAbsent(r.source(), k -> new HashMap<>()).computeIfAbsent(top, k -> new LinkedHashMap<>())
                            .putIfAbsent(key, r);
                });
            } catch (IOException e) {
                throw new IOException("cannot read the listing " + l + " to resume from: " + e.getMessage(), e);
            }
        }
        Map<String, Map<RawPath, List<FileRecord>>> out = new HashMap<>();
        long n = 0;
        for (Map.Entry<String, Map<RawPath, Map<List<RawPath>, FileRecord>>> s : raw.entrySet()) {
            Map<RawPath, List<FileRecord>> groups = new HashMap<>();
            for (Map.Entry<RawPath, Map<List<RawPath>, FileRecord>> g : s.getValue().entrySet()) {
                List<FileRecord> records = new ArrayList<>(g.getValue().values());
                if (!whole(g.getKey(), records)) continue;
                groups.put(g.getKey(), List.copyOf(records));
                n += records.size();
            }
            out.put(s.getKey(), groups);
        }
        return new Checkpoint(out, n, bad[0]);
    }

    /** Whether a unit may be taken as recorded: its own record there, nothing unread, no image. */
    private static boolean whole(RawPath top, List<FileRecord> records) {
        boolean own = false;
        for (FileRecord r : records) {
            if (r.error() != null || r.note() != null || r.contentType() == ContentType.DISK_IMAGE) return false;
            if (r.container().isEmpty() && r.path().equals(top)) own = true;
        }
        return own;
    }

    /** Records this checkpoint can hand to a scan (every item), members included. */
    public long entries() { return entries; }

    /** Lines of the listings left out: torn (a kill leaves the last one so) or not entries that parse. */
    public long linesLeftOut() { return linesLeftOut; }

    /** One item's share, its digests looked up again in {@code store}; null when it has none. */
    Replay forItem(String source, HashStore store, List<Algorithm> algorithms) {
        Map<RawPath, List<FileRecord>> groups = bySource.get(source);
        if (groups == null || groups.isEmpty()) return null;
        Map<RawPath, List<FileRecord>> looked = new HashMap<>();
        for (Map.Entry<RawPath, List<FileRecord>> g : groups.entrySet()) {
            List<FileRecord> rs = new ArrayList<>(g.getValue().size());
            for (FileRecord r : g.getValue()) rs.add(lookedUp(r, store, algorithms));
            looked.put(g.getKey(), rs);
        }
        return new Replay(looked);
    }

    /** As the scan's lookup stage: every digest of the scan's algorithms, every set it is in, once each. */
    private static FileRecord lookedUp(FileRecord r, HashStore store, List<Algorithm> algorithms) {
        List<Match> found = new ArrayList<>(0);
        for (Algorithm a : algorithms) {
            byte[] d = r.digests().get(a);
            if (d == null) continue;
            for (Match m : store.lookup(a, d)) {
                if (!found.contains(m)) found.add(m);
            }
        }
        return new FileRecord(r.source(), r.path(), r.type(), r.size(), r.digests(), List.copyOf(found), r.error(),
                r.hardLinkOf(), r.contentType(), r.extMismatch(), r.details(), r.changedDuringRead(), r.container(), r.note());
    }
}
