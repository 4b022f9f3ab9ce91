package org.triage.source;

import com.sun.jna.Pointer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.triage.model.EntryDetails;
import org.triage.model.EntryType;
import org.triage.model.ImageInfo;
import org.triage.model.PartitionInfo;
import org.triage.model.RawPath;

/**
 * A disk image (raw, split raw, EWF, VMDK/VHD where libtsk reads them) or a block device as one
 * evidence item, read through The Sleuth Kit ({@link Tsk}): every partition, every filesystem
 * libtsk opens, allocated and deleted entries, NTFS alternate data streams as entries of their own.
 *
 * <p>Design. Opening checks the segments and decides the format by signature ({@link ImageSegments}),
 * opens the image read-only with that type given (raw, split raw and devices by us with O_NOATIME,
 * {@link RawImage}; EWF through our libewf handle, {@link EwfImage}; VMDK and VHD by libtsk's
 * libvmdk/libvhdi, never by libtsk's detection, whose libafflib probe opens files read-write), reads
 * the partition table (none: a bare filesystem at offset 0) and opens the filesystem of every
 * allocated partition. What cannot be opened (a corrupt partition table or boot sector, a
 * truncated filesystem) does not stop the others: it becomes an entry with its error set, naming
 * the image, the partition and the byte offset, delivered first by {@link #walk}. The walk lists
 * every filesystem into compact {@link TskWalk.Listed} records, then, in disk order, sorts them by
 * the image offset of their first allocated block (entries without blocks first), so that reading
 * files in the order they are delivered streams over the disk instead of seeking; a fragmented
 * file sorts by its first run. Memory is one small record per entry.
 *
 * <p>Paths are within their filesystem, '/'-separated, without a leading slash; the partition is in
 * {@link EntryDetails#partition()} and an NTFS stream name in {@link EntryDetails#stream()}, never
 * glued onto the path.
 *
 * <p>Ownership and threading: owns the image, its volume system and filesystems, and the
 * verification thread. {@link #walk} runs on one thread; {@link #open} may be called from several
 * reader threads at once (each gets its own libtsk file handle; libtsk serialises the image reads).
 * Close after the walk returned and every reader is closed: filesystems, then the image.
 */
public final class TskImageSource implements Source {
    private static final System.Logger LOG = System.getLogger(TskImageSource.class.getName());

    /** A filesystem to list: its partition (null when bare), handle, and its inode screening (null: none). */
    private record Volume(PartitionInfo partition, Tsk.Filesystem fs, ExtInodeGuard.Filesystem ext) {
    }

    private final String name;
    private final ImageSegments segments;
    private final Tsk.Image image;
    /** The EWF image behind {@link #image} when the segments are EWF (libtsk reads through our libewf handle), else null. */
    private final EwfImage ewf;
    /** The raw image behind {@link #image} for raw, split raw and devices (libtsk reads our descriptors), else null. */
    private final RawImage raw;
    /** A raw image stored inside another source, read through that source's reader, else null. */
    private final ReaderImage inner;
    /** Screens ext inode tables in what libtsk reads (raw and EWF images, read through us), else null. */
    private final ExtInodeGuard guard;
    private final List<Volume> volumes = new ArrayList<>();
    private final List<SourceEntry> problems = new ArrayList<>();
    private final boolean diskOrder;
    /** Set before the walk ({@link #picturesFirst}); read on the walking thread. */
    private volatile boolean picturesFirst;
    private final ImageVerifier verifier;
    private final ImageInfo info;
    private volatile ListedTotals totalsListener;
    private String lastFsError;

    private TskImageSource(String name, ImageSegments segments, Tsk.Image image, EwfImage ewf, RawImage raw,
                           ReaderImage inner, boolean diskOrder, MediaDigest.Factory verifyWith) {
        this.name = name;
        this.segments = segments;
        this.image = image;
        this.ewf = ewf;
        this.raw = raw;
        this.inner = inner;
        this.guard = raw != null ? raw.guard() : ewf != null ? ewf.guard() : inner != null ? inner.guard() : null;
        this.diskOrder = diskOrder;
        String vsType = openVolumes();
        String[] stored = ewf != null ? ewf.storedHashes() : new String[2];
        // An inner image touches no evidence file itself: the outer source's reader does the reading.
        String atime = inner != null ? null : atimeNote(segments, raw);
        this.info = new ImageInfo(name, segments.format(), image.size(), segments.segments(), vsType, null, null,
                stored[0], stored[1], null, List.of(), atime == null, atime);
        this.verifier = verifyWith != null ? new ImageVerifier(name, image, guard, verifyWith) : null;
    }

    /**
     * Why reading this image moves its files' access times, or null when it does not: only the
     * files we open ourselves get O_NOATIME; libewf, libvmdk and libvhdi open theirs without it
     * and offer no way to hand them a descriptor.
     */
    private static String atimeNote(ImageSegments segments, RawImage raw) {
        if (raw != null) return raw.atimeRefused();
        String lib = switch (segments.tskType()) {
            case Tsk.IMG_EWF -> "libewf";
            case Tsk.IMG_VMDK -> "libvmdk";
            case Tsk.IMG_VHD -> "libvhdi";
            default -> "libtsk";
        };
        return lib + " opens the " + segments.format().toUpperCase(java.util.Locale.ROOT)
                + " files itself, without O_NOATIME: reading them can move their access times";
    }

    /**
     * Opens an image or device read-only.
     *
     * @param given     the path as the examiner named it
     * @param verifyWith when not null, also hash the whole media (MD5, SHA-1) while the files are
     *                   read, with digests from this factory; null: no verification
     * @param diskOrder deliver entries by first block rather than directory order
     * @throws IOException when libtsk is missing, a segment is missing, or the image cannot be opened at all
     */
    public static TskImageSource open(String given, MediaDigest.Factory verifyWith, boolean diskOrder) throws IOException {
        return open(given, given, verifyWith, diskOrder);
    }

    /**
     * Opens a disk image file found inside an evidence item (in a folder), read-only, in disk order.
     *
     * @param file the file's path from the working directory
     * @param name the image's path inside the item, which every message names
     * @throws IOException naming {@code name} when a segment is missing or the image cannot be opened at all
     */
    static TskImageSource openFound(String file, String name) throws IOException {
        try {
            return open(file, name, null, true);
        } catch (IOException e) {
            String m = e.getMessage() == null ? e.toString() : e.getMessage();
            throw new IOException(m.startsWith(file) ? name + m.substring(file.length()) : m, e);
        }
    }

    /**
     * Opens a raw image stored inside another source, read through that source's reader.
     *
     * @param image owned by the returned source from now on, also when this throws
     */
    static TskImageSource over(String name, ReaderImage image) {
        try {
            return new TskImageSource(name, new ImageSegments("raw", List.of(name), Tsk.IMG_RAW), image.image(), null,
                    null, image, true, null);
        } catch (RuntimeException | Error e) {
            image.close();
            throw e;
        }
    }

    private static TskImageSource open(String given, String name, MediaDigest.Factory verifyWith, boolean diskOrder)
            throws IOException {
        Objects.requireNonNull(given, "given");
        ImageSegments segs = ImageSegments.resolve(given);
        Tsk.Image img;
        EwfImage ewf = null;
        RawImage raw = null;
        try {
            switch (segs.tskType()) {
                case Tsk.IMG_EWF -> {
                    ewf = EwfImage.open(segs.segments());
                    img = ewf.image();
                }
                case Tsk.IMG_RAW -> {
                    raw = RawImage.open(segs.segments(), MediaReads.claim());
                    img = raw.image();
                }
                // libvmdk finds the extents from the descriptor (checked by ImageSegments)
                default -> img = Tsk.Image.open(new String[] {segs.segments().get(0)}, segs.tskType());
            }
        } catch (IOException e) {
            throw new IOException(name + ": " + e.getMessage(), e);
        }
        try {
            return new TskImageSource(name, segs, img, ewf, raw, null, diskOrder, verifyWith);
        } catch (RuntimeException e) {
            closeImage(img, ewf, raw, null);
            throw e;
        }
    }

    /**
     * Opens every filesystem; returns the volume system's type or null. When libtsk rejects the
     * partition table, or reads a GPT disk through a damaged primary header (or as the DOS table
     * that protects it), the table is read entry by entry ({@link PartitionTable}): every good
     * partition is opened and every bad entry reported.
     */
    private String openVolumes() {
        Tsk.Volumes found;
        String[] whyNot = {""};
        String rejected;
        try {
            found = Tsk.Volumes.open(image, whyNot);
            rejected = whyNot[0].isEmpty() ? null : whyNot[0];
        } catch (IOException e) {
            found = null;
            rejected = e.getMessage();
        }
        if (found == null) {
            if (rejected == null && openFilesystem(null, 0, image.size(), false)) return null;
            PartitionTable.Result byHand = readTable();
            if (byHand != null && (!byHand.entries().isEmpty() || !byHand.problems().isEmpty())) {
                LOG.log(System.Logger.Level.INFO, name + ": libtsk did not read the partition table"
                        + (rejected == null ? "" : " (" + rejected + ")") + "; read entry by entry");
                return openByHand(byHand);
            }
            if (rejected != null && openFilesystem(null, 0, image.size(), false)) return null;
            problem(null, 0, "neither a partition table" + (rejected == null ? "" : " (" + rejected + ")")
                    + " nor a filesystem at offset 0 (" + lastFsError + ") that libtsk can read");
            return null;
        }
        try (Tsk.Volumes vs = found) {
            String type = vs.typeName();
            List<Tsk.Partition> parts = new ArrayList<>();
            boolean protective = false;
            for (int i = 0; i < vs.count(); i++) {
                Tsk.Partition p = vs.part(i);
                if (p == null || !p.allocated()) continue;
                parts.add(p);
                if (p.description() != null && p.description().contains("(0xee)")) protective = true;
            }
            if (protective || "gpt".equals(type)) {
                // libtsk checks no GPT CRC and never falls back to the backup header: check here.
                PartitionTable.Result byHand = readTable();
                if (byHand != null && "gpt".equals(byHand.type()) && !byHand.problems().isEmpty()) return openByHand(byHand);
            }
            int opened = 0;
            for (Tsk.Partition p : parts) {
                PartitionInfo pi = new PartitionInfo(p.index(), p.offset(), p.description());
                if (openPartition(pi, p.length())) opened++;
            }
            if (opened == 0 && volumes.isEmpty()) LOG.log(System.Logger.Level.WARNING, name + ": no filesystem opened");
            return type;
        }
    }

    /** Opens the partitions of a table read by hand and reports its bad entries; returns its type. */
    private String openByHand(PartitionTable.Result table) {
        for (PartitionTable.Problem p : table.problems()) problem(null, p.offset(), p.why());
        for (PartitionTable.Entry e : table.entries()) {
            openPartition(new PartitionInfo(e.number(), e.offset(), e.description()), e.length());
        }
        return table.type();
    }

    /** Opens one partition's filesystem, first saying so when the image ends inside it. */
    private boolean openPartition(PartitionInfo pi, long length) {
        if (pi.offset() + length > image.size()) {
            problem(pi, pi.offset(), "partition ends at byte " + (pi.offset() + length)
                    + " but the image holds " + image.size() + " bytes: image truncated");
        }
        return openFilesystem(pi, pi.offset(), length, true);
    }

    /** The partition table read entry by entry, or null when there is none or it cannot be read. */
    private PartitionTable.Result readTable() {
        try (com.sun.jna.Memory buf = new com.sun.jna.Memory(64 * 1024)) {
            return PartitionTable.read((offset, out) -> {
                for (int done = 0; done < out.length; ) {
                    int want = (int) Math.min(buf.size(), out.length - done);
                    long n = image.read(offset + done, buf, want);
                    if (n <= 0) throw new IOException("cannot read the image at byte " + (offset + done) + ": "
                            + (n < 0 ? Tsk.error() : "no data"));
                    buf.read(0, out, done, (int) n);
                    done += (int) n;
                }
            }, image.size());
        } catch (IOException e) {
            problem(null, 0, "cannot read the partition table entry by entry: " + e.getMessage());
            return null;
        }
    }

    /** Opens one filesystem; when it cannot, records the problem if {@code report}, else leaves libtsk's error set. */
    private boolean openFilesystem(PartitionInfo partition, long offset, long length, boolean report) {
        // An ext filesystem's inodes are screened from before libtsk reads the first of them; what
        // libtsk cached before (probing for a partition table) is read again through the screen.
        ExtInodeGuard.Filesystem ext = guard == null ? null : guard.watch(offset);
        if (ext != null) image.dropCache();
        try {
            Tsk.Filesystem fs = Tsk.Filesystem.open(image, offset);
            volumes.add(new Volume(partition, fs, ext));
            if (fs.bytesPresent() < fs.byteSize()) {
                problem(partition, offset + fs.bytesPresent(), fs.typeName() + " filesystem spans " + fs.byteSize()
                        + " bytes but the image ends after " + fs.bytesPresent() + ": image truncated");
            }
            return true;
        } catch (IOException e) {
            if (report) problem(partition, offset, "cannot open a filesystem: " + e.getMessage());
            lastFsError = e.getMessage();
            return false;
        }
    }

    /** Records what could not be read, as an entry naming image, partition and offset. */
    private void problem(PartitionInfo partition, long offset, String what) {
        SourceEntry e = regionError(partition, offset, what);
        LOG.log(System.Logger.Level.WARNING, e.error());
        problems.add(e);
    }

    /** An entry for a region that could not be read (a partition, a filesystem), with an empty path. */
    private SourceEntry regionError(PartitionInfo partition, long offset, String what) {
        return new SourceEntry(RawPath.ROOT, EntryType.OTHER, 0, null, 1, null, locate(partition, offset) + ": " + what,
                new EntryDetails(partition, -1, false, null, true));
    }

    /**
     * {@code x.img, partition 2 (Linux (0x83)), offset 1048576}: the one form in which every message
     * names a place in the image (a bare filesystem has no partition part). Offsets are image bytes.
     */
    private String locate(PartitionInfo partition, long offset) {
        return name + (partition == null ? "" : ", partition " + partition.index() + " (" + partition.type() + ")")
                + ", offset " + offset;
    }

    @Override
    public String name() { return name; }

    /**
     * The image's facts; after the walk, with the verification hashes (waits for them) and the EWF
     * chunks that failed their checksum among those read (with --verify: all of them).
     */
    @Override
    public ImageInfo image() {
        ImageInfo out = info;
        if (verifier != null) {
            ImageVerifier.Result r = verifier.await();
            out = out.withHashes(r.md5(), r.sha1(), r.error());
        }
        if (ewf != null) {
            try {
                out = out.withChecksumErrors(ewf.checksumErrors());
            } catch (IOException e) {
                String why = name + ": cannot list the EWF chunks that failed their checksum: " + e.getMessage();
                out = out.withHashes(out.md5(), out.sha1(), out.verifyError() == null ? why : out.verifyError() + "; " + why);
            }
        }
        return out;
    }

    @Override
    public String atimeNote() { return info.atimeNote(); }

    @Override
    public org.triage.model.TakenAs taken() {
        return "device".equals(segments.format()) ? org.triage.model.TakenAs.DEVICE : org.triage.model.TakenAs.DISK_IMAGE;
    }

    @Override
    public void stop() {
        if (verifier != null) verifier.stop();
    }

    @Override
    public void onListed(ListedTotals listener) {
        this.totalsListener = listener;
    }

    @Override
    public void walk(EntryVisitor visitor) throws IOException {
        Objects.requireNonNull(visitor, "visitor");
        if (verifier != null) verifier.start();
        for (SourceEntry p : problems) {
            if (!visitor.visit(p)) return;
        }
        List<TskWalk.Listed> listed = new ArrayList<>();
        int volumeErrors = 0;
        for (int v = 0; v < volumes.size(); v++) {
            Volume vol = volumes.get(v);
            TskWalk walk = new TskWalk(vol.fs(), vol.ext(), v, listed);
            String err = walk.run();
            if (walk.interrupted()) {
                // Stopped while listing (the scan's stop interrupts this thread): nothing is delivered,
                // and the scan records that it was interrupted.
                LOG.log(System.Logger.Level.INFO, name + ": listing interrupted");
                return;
            }
            if (err != null) {
                volumeErrors++;
                SourceEntry e = regionError(vol.partition(), vol.fs().offset(),
                        "listing the " + vol.fs().typeName() + " filesystem: " + err);
                if (!visitor.visit(e)) return;
            }
        }
        if (diskOrder) listed.sort(Comparator.comparingLong(TskWalk.Listed::firstOffset));
        // An image read from an acquisition's stream keeps disk order: the stream passes each block
        // once, and reading pictures first would send every other file back to the source for a re-read.
        boolean streamed = raw != null && raw.media() != null;
        if (picturesFirst && !streamed) listed = likelyFirst(listed);
        if (raw != null && raw.media() != null) {
            // From here content comes from the stream: what libtsk cached while listing (read from the
            // source) must not stand in for it, or a sector the acquisition could not read would
            // give its old bytes here and zeros in the image. No reader has an entry yet.
            image.dropCache();
            raw.media().listed();
        }
        ListedTotals totals = totalsListener;
        if (totals != null) {
            long bytes = 0;
            for (TskWalk.Listed l : listed) bytes += l.readable();
            totals.listed(problems.size() + volumeErrors + listed.size(), bytes);
        }
        for (int i = 0; i < listed.size(); i++) {
            TskWalk.Listed l = listed.get(i);
            listed.set(i, null); // let the delivered ones go
            Volume vol = volumes.get(l.volume());
            SourceEntry e = new SourceEntry(l.path(), l.type(), l.size(), null, 1, null,
                    l.error() == null ? null : where(vol, l.path(), l.inode(), l.stream()) + ": " + l.error(),
                    new EntryDetails(vol.partition(), l.inode(), l.deleted(), l.stream(), l.meta()));
            if (!visitor.visit(e)) return;
        }
    }

    @Override
    public void picturesFirst(boolean on) {
        this.picturesFirst = on;
    }

    /**
     * The likely pictures and videos, then the rest, each in the order given (a stable partition):
     * costs one test of each path and a second list of references, nothing read.
     */
    private static List<TskWalk.Listed> likelyFirst(List<TskWalk.Listed> listed) {
        List<TskWalk.Listed> out = new ArrayList<>(listed.size());
        for (TskWalk.Listed l : listed) {
            if (LikelyPictures.likely(l.path()) && l.type() == EntryType.FILE) out.add(l);
        }
        for (TskWalk.Listed l : listed) {
            if (!(LikelyPictures.likely(l.path()) && l.type() == EntryType.FILE)) out.add(l);
        }
        return out;
    }

    @Override
    public ContentReader open(SourceEntry entry) throws IOException {
        Objects.requireNonNull(entry, "entry");
        EntryDetails d = entry.details();
        if (entry.type() != EntryType.FILE || d == null) {
            throw new IOException("cannot open '" + entry.path().display() + "': not a regular file");
        }
        Volume vol = volume(d.partition());
        String where = where(vol, entry);
        Tsk.File f;
        try {
            f = vol.fs().openMeta(d.inode());
        } catch (IOException e) {
            throw new IOException(where + ": cannot open: " + e.getMessage(), e);
        }
        Pointer attr = f.attribute(d.stream());
        if (attr == null) {
            String why = Tsk.error();
            f.close();
            throw new IOException(where + ": no data attribute" + (d.stream() == null ? "" : " '" + d.stream() + "'")
                    + ": " + why);
        }
        return new TskContentReader(f, attr, vol.fs().offset(), vol.fs().blockSize(), vol.fs().byteSize(), where, d.deleted(),
                d.meta(), ewf, raw == null ? null : raw.media());
    }

    /** The runs of a listed file, as (image byte offset, byte length) pairs in file order: for measuring seeks. */
    public List<long[]> runs(SourceEntry entry) throws IOException {
        EntryDetails d = entry.details();
        Volume vol = volume(d.partition());
        List<long[]> out = new ArrayList<>();
        try (Tsk.File f = vol.fs().openMeta(d.inode())) {
            Tsk.runs(f.attribute(d.stream()), vol.fs().offset(), vol.fs().blockSize(), out);
        }
        return out;
    }

    private Volume volume(PartitionInfo partition) throws IOException {
        for (Volume v : volumes) {
            if (Objects.equals(v.partition(), partition)) return v;
        }
        throw new IOException(name + ": no such partition: " + partition);
    }

    private String where(Volume vol, SourceEntry entry) {
        EntryDetails d = entry.details();
        return where(vol, entry.path(), d.inode(), d.stream());
    }

    private String where(Volume vol, RawPath path, long inode, String stream) {
        return locate(vol.partition(), vol.fs().offset()) + ", inode " + inode + ", '" + path.display() + "'"
                + (stream == null ? "" : " stream '" + stream + "'");
    }

    @Override
    public void close() {
        if (verifier != null) verifier.cancel();
        for (Volume v : volumes) v.fs().close();
        closeImage(image, ewf, raw, inner);
    }

    private static void closeImage(Tsk.Image image, EwfImage ewf, RawImage raw, ReaderImage inner) {
        if (ewf != null) ewf.close();
        else if (raw != null) raw.close();
        else if (inner != null) inner.close();
        else image.close();
    }
}
