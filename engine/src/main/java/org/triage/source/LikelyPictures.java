package org.triage.source;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import org.triage.model.RawPath;

/**
 * Which entries a picture-first scan reads before the others: the one place that names them
 * (README, "Cases", "An answer in seconds").
 *
 * <p>An entry is a likely picture or video when its name's extension says so (every extension the
 * signature check knows for a picture or video, plus common ones it does not read: camera raws,
 * older video containers), or when it lies under a folder where pictures gather: a camera roll
 * ({@code DCIM}, {@code Camera}), the user's picture and video folders ({@code Pictures},
 * {@code Photos}, {@code Videos}, {@code Movies}, {@code Screenshots}), messenger media
 * ({@code WhatsApp Images}, {@code WhatsApp Video}, {@code WhatsApp Animated Gifs},
 * {@code Telegram Images}, {@code Telegram Video}) and browser caches ({@code cache2} of Firefox,
 * {@code Cache_Data} of Chrome and Edge, {@code INetCache} and {@code Temporary Internet Files} of
 * Internet Explorer). Folder names are matched whole and without regard to ASCII case; the bare
 * name {@code Cache} is not one of them: {@code ~/.cache} holds everything.
 *
 * <p>Only the path is looked at: the listing is all a scan has before it reads (a filesystem keeps
 * no content type), and reading a file's first bytes to tell would cost the seek the order saves.
 * Stateless; any thread.
 */
public final class LikelyPictures {
    private static final Set<String> EXTENSIONS = Set.of(
            "jpg", "jpeg", "jpe", "jfif", "png", "gif", "bmp", "dib", "webp", "tif", "tiff", "heic", "heif", "heics",
            "heifs", "avif", "dng", "cr2", "cr3", "nef", "arw", "orf", "rw2", "raf",
            "mp4", "m4v", "3gp", "3g2", "mov", "qt", "avi", "mkv", "mk3d", "webm", "wmv", "asf", "mpg", "mpeg", "flv", "ts");
    private static final Set<String> FOLDERS = Set.of(
            "dcim", "camera", "pictures", "photos", "videos", "movies", "screenshots",
            "whatsapp images", "whatsapp video", "whatsapp animated gifs", "telegram images", "telegram video",
            "cache2", "cache_data", "inetcache", "temporary internet files");
    private static final int LONGEST_EXTENSION = 5;
    private static final int LONGEST_FOLDER;

    static {
        int n = 0;
        for (String f : FOLDERS) n = Math.max(n, f.length());
        LONGEST_FOLDER = n;
    }

    private LikelyPictures() {
    }

    /** Whether {@code path} (relative to the item's root, '/'-separated) is a likely picture or video. */
    public static boolean likely(RawPath path) {
        return likely(path.bytes());
    }

    static boolean likely(byte[] p) {
        int lastSlash = -1;
        for (int i = p.length - 1; i >= 0; i--) {
            if (p[i] == '/') {
                lastSlash = i;
                break;
            }
        }
        if (hasExtension(p, lastSlash + 1)) return true;
        // Folders: every component before the file name.
        int start = 0;
        for (int i = 0; i <= lastSlash; i++) {
            if (p[i] != '/') continue;
            if (isFolder(p, start, i)) return true;
            start = i + 1;
        }
        return false;
    }

    private static boolean hasExtension(byte[] p, int nameStart) {
        for (int i = p.length - 1; i > nameStart && p.length - i - 1 <= LONGEST_EXTENSION; i--) {
            if (p[i] == '.') return EXTENSIONS.contains(lower(p, i + 1, p.length));
        }
        return false;
    }

    private static boolean isFolder(byte[] p, int from, int to) {
        return to - from <= LONGEST_FOLDER && to > from && FOLDERS.contains(lower(p, from, to));
    }

    /** ASCII lower case; a byte outside ASCII cannot match any of the names and stays as it is. */
    private static String lower(byte[] p, int from, int to) {
        return new String(p, from, to - from, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
    }
}
