package org.triage.source;

import org.triage.model.EntryType;

/**
 * One numbering of file types (libc's {@code S_IFMT} bits, libtsk's name types, libtsk's metadata
 * types) read as {@link EntryType}: the one place where such a code becomes a type. libtsk's
 * virtual files and directories (the orphan folder, NTFS system files it makes up) read as files
 * and directories; a source without them gives {@link #NONE}. A code that is not listed, or -1 for
 * "not known", is {@link EntryType#OTHER}. Immutable.
 */
record EntryTypeCodes(int file, int virtualFile, int directory, int virtualDirectory, int symlink, int fifo,
                      int socket, int charDevice, int blockDevice) {
    /** For a kind the numbering does not have: matches no code. */
    static final int NONE = Integer.MIN_VALUE;

    EntryType of(int code) {
        if (code == NONE) return EntryType.OTHER;
        if (code == file || code == virtualFile) return EntryType.FILE;
        if (code == directory || code == virtualDirectory) return EntryType.DIRECTORY;
        if (code == symlink) return EntryType.SYMLINK;
        if (code == fifo) return EntryType.FIFO;
        if (code == socket) return EntryType.SOCKET;
        if (code == charDevice) return EntryType.CHAR_DEVICE;
        if (code == blockDevice) return EntryType.BLOCK_DEVICE;
        return EntryType.OTHER;
    }
}
