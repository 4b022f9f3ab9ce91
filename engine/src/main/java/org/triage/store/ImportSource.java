package org.triage.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;

/**
 * Whether a path can be read as a hash-set file, and if not, what it is instead: "no such file"
 * for a directory sent the examiner looking for a typo that was not there.
 */
public final class ImportSource {
    private ImportSource() {
    }

    /**
     * Null when {@code file} is a regular file this process can read; else why not, as the end of a
     * sentence ("is a directory, not a hash-set file").
     */
    public static String problem(Path file) {
        PosixFileAttributes a;
        try {
            a = Files.readAttributes(file, PosixFileAttributes.class);
        } catch (NoSuchFileException e) {
            return Files.exists(file, LinkOption.NOFOLLOW_LINKS) ? "is a symbolic link to nothing (" + target(file) + ")"
                    : "no such file";
        } catch (AccessDeniedException e) {
            return "permission denied (a directory on its path cannot be searched)";
        } catch (IOException | UnsupportedOperationException e) {
            return "cannot be examined: " + e.getMessage();
        }
        if (a.isDirectory()) return "is a directory, not a hash-set file";
        if (!a.isRegularFile()) {
            // Named pipes and devices are refused: the import reads its file twice (parse, SHA-256).
            return "is not a regular file (" + kind(file) + "); give a file, or '-' to read standard input";
        }
        try (InputStream in = Files.newInputStream(file)) {
            return null;
        } catch (AccessDeniedException e) {
            return "permission denied";
        } catch (IOException e) {
            return "cannot be opened: " + e.getMessage();
        }
    }

    private static String kind(Path file) {
        try {
            Object mode = Files.getAttribute(file, "unix:mode");
            int type = ((Integer) mode) & 0170000;
            return switch (type) {
                case 0010000 -> "a named pipe";
                case 0020000 -> "a character device";
                case 0060000 -> "a block device";
                case 0140000 -> "a socket";
                default -> "a special file";
            };
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "a special file";
        }
    }

    private static String target(Path link) {
        try {
            return "it points to " + Files.readSymbolicLink(link);
        } catch (IOException e) {
            return "its target cannot be read";
        }
    }
}
