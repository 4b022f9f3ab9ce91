package org.triage.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/** Opens the right {@link Source} for an evidence item named on the command line. */
public final class Sources {
    private Sources() {
    }

    /**
     * @param given the evidence item exactly as the examiner named it
     * @throws IOException with a message naming the item when it cannot be opened
     */
    public static Source open(String given) throws IOException {
        Path p = Path.of(given);
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(given + ": no such file or directory");
        }
        if (Files.isDirectory(p)) return DirectorySource.open(given);
        throw new IOException(given + ": not a directory (disk images and block devices are not supported yet)");
    }
}
