package org.triage.model;

import java.util.Objects;
import java.util.Set;

/**
 * How an evidence item was read, for the report: the examiner must be able to tell a picture that
 * was hashed as a file from a disk image whose files were examined, whatever the name said.
 *
 * @param kind "directory", "disk image", "device" or "file"
 * @param note why it was taken so, where the name may suggest otherwise (a regular file that is
 *             not a disk image, say what was looked for), or null
 */
public record TakenAs(String kind, String note) {
    private static final Set<String> KINDS = Set.of("directory", "disk image", "device", "file");

    public static final TakenAs DIRECTORY = new TakenAs("directory", null);
    public static final TakenAs DISK_IMAGE = new TakenAs("disk image", null);
    public static final TakenAs DEVICE = new TakenAs("device", null);

    public TakenAs {
        Objects.requireNonNull(kind, "kind");
        if (!KINDS.contains(kind)) throw new IllegalArgumentException("unknown kind of evidence item: '" + kind + "'");
    }

    /** True for a single file hashed as one (not a tree, image or device). */
    public boolean isFile() { return kind.equals("file"); }

    /** A regular file hashed as one file; {@code why}: why it is not taken as a disk image. */
    public static TakenAs file(String why) {
        return new TakenAs("file", why);
    }
}
