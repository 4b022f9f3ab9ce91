package org.triage.model;

import java.util.Locale;
import java.util.Set;

/**
 * What a regular file's first bytes say it is (its signature), whatever its name says. Only
 * images and videos are told apart: they are what an examiner triages for.
 */
public enum ContentType {
    JPEG("jpeg", Media.IMAGE, "jpg", "jpeg", "jpe", "jfif"),
    PNG("png", Media.IMAGE, "png"),
    GIF("gif", Media.IMAGE, "gif"),
    BMP("bmp", Media.IMAGE, "bmp", "dib"),
    WEBP("webp", Media.IMAGE, "webp"),
    TIFF("tiff", Media.IMAGE, "tif", "tiff"),
    HEIF("heif", Media.IMAGE, "heic", "heif", "heics", "heifs", "avif"),
    MP4("mp4", Media.VIDEO, "mp4", "m4v", "m4a", "3gp", "3g2", "mov", "qt"),
    MOV("mov", Media.VIDEO, "mov", "qt", "mp4", "m4v"),
    AVI("avi", Media.VIDEO, "avi"),
    MKV("mkv", Media.VIDEO, "mkv", "mka", "mk3d"),
    WEBM("webm", Media.VIDEO, "webm", "mkv"),
    /**
     * A disk image found inside the evidence item (in a folder, or as a file of another image) and
     * examined as one: its files are records of their own, whose container names it.
     */
    DISK_IMAGE("disk-image", Media.NONE),
    /** A regular file whose signature is none of the above. */
    OTHER("file", Media.NONE);

    /** Whether a content type is a picture, a video or neither. */
    public enum Media { IMAGE, VIDEO, NONE }

    private final String label;
    private final Media media;
    private final Set<String> extensions;

    ContentType(String label, Media media, String... extensions) {
        this.label = label;
        this.media = media;
        this.extensions = Set.of(extensions);
    }

    /** Name written in reports. */
    public String label() { return label; }

    public Media media() { return media; }

    /**
     * True when a file of this content carries a name whose extension does not belong to it (a
     * picture named {@code .txt}, or with no extension at all). Never true for {@link #OTHER} or
     * {@link #DISK_IMAGE}: only recognised media can be said to hide.
     */
    public boolean mismatches(byte[] fileName) {
        if (media == Media.NONE) return false;
        int dot = -1;
        for (int i = fileName.length - 1; i >= 0; i--) {
            if (fileName[i] == '.') {
                dot = i;
                break;
            }
        }
        if (dot <= 0 || dot == fileName.length - 1) return true;
        String ext = new String(fileName, dot + 1, fileName.length - dot - 1, java.nio.charset.StandardCharsets.ISO_8859_1)
                .toLowerCase(Locale.ROOT);
        return !extensions.contains(ext);
    }
}
