package org.triage.report;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;

/**
 * Where a report, listing or VICS file goes: a file, or a stream the caller owns (standard output).
 *
 * <p>Outputs name evidence paths, so a file is created readable by its owner only (0600), and it is
 * only ever a new regular file or the replacement of an existing regular file: a symbolic link at the
 * path (say {@code /dev/stdout}), a FIFO or a device is refused by {@link #check()}, never written
 * through. Content goes to a temporary file made 0600 with O_EXCL in the same directory, which is
 * renamed over the name: rename(2) replaces the directory entry itself, so even something that
 * appeared at the name after the check is replaced, not written into, and an existing file's other
 * hard links keep their content. A whole document ({@link #write}) is renamed once complete, so a
 * reader never sees half of it; a stream of lines ({@link #open}) is renamed at once, so that a
 * killed scan leaves the lines already written under the final name.
 *
 * <p>Immutable; the operations touch the file system and are safe from any one thread at a time.
 * They throw {@link IOException} whose message names the path and says why ({@link #reason}).
 */
public final class OutputTarget {
    private static final FileAttribute<?> OWNER_ONLY = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private final Path file;
    private final OutputStream stream;
    private final String name;

    private OutputTarget(Path file, OutputStream stream, String name) {
        this.file = file;
        this.stream = stream;
        this.name = name;
    }

    /** A file, by a path that need not exist yet. */
    public static OutputTarget file(Path file) {
        Path abs = file.toAbsolutePath();
        return new OutputTarget(abs, null, abs.toString());
    }

    /** A stream the caller owns (standard output): flushed after writing, never closed. */
    public static OutputTarget stream(OutputStream stream, String name) {
        return new OutputTarget(null, Objects.requireNonNull(stream, "stream"), name);
    }

    /** The absolute path, or null for a stream. */
    public Path file() {
        return file;
    }

    @Override
    public String toString() {
        return name;
    }

    /**
     * Refuses now what writing would refuse or fail on later: something other than a regular file
     * at the path, a directory that is missing or not a directory, a directory this process cannot
     * create files in (a temporary file is created there and removed). Nothing to check for a stream.
     */
    public void check() throws IOException {
        if (file == null) return;
        refuseAllButRegular();
        Path dir = file.getParent();
        if (!Files.isDirectory(dir)) {
            throw new IOException(Files.exists(dir) ? dir + " is not a directory" : "directory " + dir + " does not exist");
        }
        try {
            Files.delete(temporary());
        } catch (IOException e) {
            throw new IOException("cannot create files in " + dir + ": " + reason(e), e);
        }
    }

    private void refuseAllButRegular() throws IOException {
        if (file.getFileName() == null) throw new IOException(file + " is a directory");
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) return;
        String kind = kind(file);
        if (kind != null) throw new IOException(file + " is " + kind + ": outputs are only written as regular files");
    }

    /** What is at an existing path when it is not a regular file ("a FIFO"), or null for a regular file. */
    private static String kind(Path p) throws IOException {
        int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        return switch (mode & 0170000) {
            case 0100000 -> null;
            case 0120000 -> "a symbolic link";
            case 0040000 -> "a directory";
            case 0010000 -> "a FIFO";
            case 0020000 -> "a character device";
            case 0060000 -> "a block device";
            case 0140000 -> "a socket";
            default -> "not a regular file";
        };
    }

    private Path temporary() throws IOException {
        return Files.createTempFile(file.getParent(), "." + file.getFileName() + ".", ".tmp", OWNER_ONLY);
    }

    /** Writes a whole document: to a temporary file, synced, then renamed over the name. */
    public void write(Body body) throws IOException {
        if (file == null) {
            body.writeTo(new Unclosed(stream));
            stream.flush();
            return;
        }
        replaceWith(tmp -> {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                OutputStream out = new Unclosed(Channels.newOutputStream(ch));
                body.writeTo(out);
                out.flush();
                ch.force(true); // a full disk can also show only here (NFS, some quotas)
            }
            refuseAllButRegular();
            return null;
        });
    }

    /** Opens the target for writing as it goes: for a file, an empty one already under its name. */
    public OutputStream open() throws IOException {
        if (file == null) return new Unclosed(stream);
        return replaceWith(tmp -> Files.newOutputStream(tmp, StandardOpenOption.WRITE));
    }

    /**
     * The one way a file target is written: a new temporary file (0600, O_EXCL) beside the name is
     * handed to {@code fill}, then renamed over the name; on any failure the temporary is removed.
     */
    private <T> T replaceWith(Fill<T> fill) throws IOException {
        refuseAllButRegular();
        Path tmp = temporary();
        T made = null;
        try {
            made = fill.into(tmp);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return made;
        } catch (IOException | RuntimeException e) {
            if (made instanceof java.io.Closeable open) {
                try {
                    open.close(); // a stream on the temporary that will never take the name
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    /** What is done to the temporary file before it takes the name. */
    @FunctionalInterface
    private interface Fill<T> {
        T into(Path tmp) throws IOException;
    }

    /**
     * The operating system's words for a failure ("No space left on device", "Permission denied"),
     * without the path that Java's file-system exceptions put in their message.
     */
    public static String reason(IOException e) {
        if (e instanceof FileSystemException fs) {
            if (fs.getReason() != null) return fs.getReason();
            if (e instanceof AccessDeniedException) return "Permission denied";
            if (e instanceof NoSuchFileException) return "No such file or directory";
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    /** Writes a document to the stream it is given; closing that stream is allowed and harmless. */
    @FunctionalInterface
    public interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Passes writes straight through; close() only flushes (the owner closes the real stream). */
    private static final class Unclosed extends FilterOutputStream {
        Unclosed(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
