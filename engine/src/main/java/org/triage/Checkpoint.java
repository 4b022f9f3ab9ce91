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
import org.triage.model.PdqUse;
import org.triage.model.PictureHash;
import org.triage.model.RawPath;
import org.triage.pipeline.Replay;
import org.triage.rematch.CheckpointReader;
import org.triage.rematch.NearMatchLookup;
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
 * <p>Pictures: an entry taken keeps its PDQ hash and quality as recorded, and its near matches are
 * asked of this scan's store at this scan's distance ({@link NearMatchLookup}), as its digests are
 * looked up again; so the listing and report come out as an uninterrupted run's. A picture whose
 * PDQ failed is read again (a stopped scan marks the pictures it had not hashed so, and a decode
 * that failed costs little to try again); so is, when this scan has PDQ on, a picture recorded
 * without PDQ (its scan had it off), and, with {@code --pdq-dihedral}, every picture (the rotations
 * and flips are not in a listing). With PDQ off, entries are taken without their PDQ.
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
            if (r.pdq() != null && r.pdq().hash() == null) return false;
            if (r.container().isEmpty() && r.path().equals(top)) own = true;
        }
        return own;
    }

    /** Records this checkpoint can hand to a scan (every item), members included. */
    public long entries() { return entries; }

    /** Lines of the listings left out: torn (a kill leaves the last one so) or not entries that parse. */
    public long linesLeftOut() { return linesLeftOut; }

    /**
     * One item's share, its digests looked up again in {@code store} and its pictures' near matches
     * asked of it as {@code pdq} says; null when it has none. A unit with a picture this scan must
     * hash itself (see the class comment) is left out: it is read.
     */
    Replay forItem(String source, HashStore store, List<Algorithm> algorithms, PdqUse pdq) {
        Map<RawPath, List<FileRecord>> groups = bySource.get(source);
        if (groups == null || groups.isEmpty()) return null;
        Map<RawPath, List<FileRecord>> looked = new HashMap<>();
        units:
        for (Map.Entry<RawPath, List<FileRecord>> g : groups.entrySet()) {
            List<FileRecord> rs = new ArrayList<>(g.getValue().size());
            for (FileRecord r : g.getValue()) {
                if (pdq.on() && isPicture(r) && (r.pdq() == null || pdq.dihedral())) continue units;
                rs.add(lookedUp(r, store, algorithms, pdq));
            }
            looked.put(g.getKey(), rs);
        }
        return new Replay(looked);
    }

    /** Whether the PDQ stage hashes this record's file: a picture by its signature, read without error. */
    private static boolean isPicture(FileRecord r) {
        return r.error() == null && r.contentType() != null && r.contentType().media() == ContentType.Media.IMAGE;
    }

    /** As the scan's lookup stage: every digest of the scan's algorithms, every set it is in, once each; and near matches. */
    private static FileRecord lookedUp(FileRecord r, HashStore store, List<Algorithm> algorithms, PdqUse pdq) {
        List<Match> found = new ArrayList<>(0);
        for (Algorithm a : algorithms) {
            byte[] d = r.digests().get(a);
            if (d == null) continue;
            for (Match m : store.lookup(a, d)) {
                if (!found.contains(m)) found.add(m);
            }
        }
        PictureHash picture = pdq.on() ? NearMatchLookup.current(r.pdq(), store, pdq.maxDistance()) : null;
        return new FileRecord(r.source(), r.path(), r.type(), r.size(), r.digests(), List.copyOf(found), r.error(),
                r.hardLinkOf(), r.contentType(), r.extMismatch(), r.details(), r.changedDuringRead(), r.container(), r.note(),
                picture);
    }
}
