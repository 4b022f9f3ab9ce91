package org.triage.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.triage.model.EntryType;
import org.triage.model.RawPath;
import org.triage.model.TakenAs;
import org.triage.natives.LibC;

/**
 * One regular file named as evidence that is not a disk image ({@link ImageProbe}): an evidence
 * item of its own whose walk delivers one entry, the file, hashed and matched like any file.
 *
 * <p>Design. The file is read exactly as a file of a directory tree, by a {@link DirectorySource}
 * rooted at the folder that holds it: opened {@code O_RDONLY|O_NOFOLLOW|O_NOATIME|O_NONBLOCK},
 * fstat'ed and checked to be the regular file that was listed (same device and inode), read by
 * {@link FileContentReader} with its check for a file that changed while it was read, and a
 * refused O_NOATIME reported the same way. Nothing about opening evidence is written twice. The
 * folder is opened only as an anchor (like a directory item's root) and never listed, so its
 * access time does not move either. A symbolic link given as the item is followed, as a directory
 * given as a link is ({@code find -H}): the file read is the link's target, in the target's folder.
 * The entry's path is the file's name (its bytes, as the filesystem holds them); the item's name is
 * the path as given.
 *
 * <p>Ownership and threading: owns the folder source. {@link #walk} runs on one thread,
 * {@link #open} from any reader thread; close after both (idempotent).
 */
final class LooseFileSource implements Source {
    private final String name;
    private final DirectorySource folder;
    /** The file's path from the working directory (a link's target), NUL-terminated, for the stat at listing. */
    private final byte[] cPath;
    private final RawPath entryPath;
    private final TakenAs taken;
    private volatile ListedTotals totalsListener;

    private LooseFileSource(String name, DirectorySource folder, byte[] cPath, RawPath entryPath, TakenAs taken) {
        this.name = name;
        this.folder = folder;
        this.cPath = cPath;
        this.entryPath = entryPath;
        this.taken = taken;
    }

    /**
     * @param given the regular file as the examiner named it
     * @param why   why it is taken as a file, for the report
     * @throws IOException naming the file when the folder that holds it cannot be opened
     */
    static LooseFileSource open(String given, String why) throws IOException {
        Objects.requireNonNull(given, "given");
        Path p = Path.of(given);
        Path file = Files.isSymbolicLink(p) ? p.toRealPath() : p;
        Path parent = file.getParent();
        java.nio.charset.Charset cs = DirectorySource.platformCharset();
        DirectorySource folder;
        try {
            folder = DirectorySource.open(parent == null ? "." : parent.toString());
        } catch (IOException e) {
            throw new IOException(given + ": cannot open the folder that holds it: " + e.getMessage(), e);
        }
        return new LooseFileSource(given, folder, LibC.cString(file.toString().getBytes(cs)),
                RawPath.of(file.getFileName().toString().getBytes(cs)), TakenAs.file(why));
    }

    @Override
    public String name() { return name; }

    @Override
    public TakenAs taken() { return taken; }

    @Override
    public void onListed(ListedTotals listener) {
        this.totalsListener = listener;
    }

    /** Delivers the file, stat'ed now (links not followed: the target was resolved at open). */
    @Override
    public void walk(EntryVisitor visitor) throws IOException {
        Objects.requireNonNull(visitor, "visitor");
        SourceEntry entry;
        try (LibC.StatxBuffer st = new LibC.StatxBuffer()) {
            if (st.statAt(LibC.AT_FDCWD, cPath) != 0) {
                throw new IOException(name + ": cannot stat: " + LibC.describe(LibC.errno()));
            }
            EntryType type = DirectoryWalk.entryType(st.fileType());
            // No longer a regular file (replaced by a FIFO, say): delivered as what it is now, never read.
            entry = new SourceEntry(entryPath, type, type == EntryType.FILE ? st.size() : 0,
                    new FileKey(st.device(), st.inode()), st.linkCount(), null, null);
        }
        ListedTotals totals = totalsListener;
        if (totals != null) totals.listed(1, entry.size());
        visitor.visit(entry);
    }

    @Override
    public ContentReader open(SourceEntry entry) throws IOException {
        return folder.open(entry);
    }

    @Override
    public String atimeNote() { return folder.atimeNote(); }

    @Override
    public void close() {
        folder.close();
    }
}
