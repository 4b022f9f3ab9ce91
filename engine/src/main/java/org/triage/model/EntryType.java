package org.triage.model;

/** What an evidence entry is, as its source's metadata says (not its content). */
public enum EntryType {
    FILE("file"),
    DIRECTORY("directory"),
    SYMLINK("symlink"),
    FIFO("fifo"),
    SOCKET("socket"),
    CHAR_DEVICE("char-device"),
    BLOCK_DEVICE("block-device"),
    OTHER("other");

    private final String label;

    EntryType(String label) { this.label = label; }

    /** Name written in reports. */
    public String label() { return label; }

    /** Only regular files have content that is read and hashed. */
    public boolean hasContent() { return this == FILE; }
}
