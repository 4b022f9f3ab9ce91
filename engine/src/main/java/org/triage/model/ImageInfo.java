package org.triage.model;

import java.util.List;

/**
 * Facts about a disk image or device scanned as one evidence item, for the report.
 *
 * @param path          the image as the examiner named it
 * @param format        "raw", "split-raw", "ewf", "device", or what libtsk detected (e.g. "vmdk")
 * @param size          media size in bytes (for EWF the acquired media, not the files)
 * @param segments      the files read, in order
 * @param volumeSystem  the partition table's type ("dos", "gpt"…), or null for a bare filesystem
 * @param md5           MD5 of the whole media, computed in this scan with --verify, else null
 * @param sha1          SHA-1 of the whole media, computed with --verify, else null
 * @param storedMd5     the acquisition MD5 stored in an EWF image, or null
 * @param storedSha1    the acquisition SHA-1 stored in an EWF image, or null
 * @param verifyError   why verification could not finish, or null
 */
public record ImageInfo(String path, String format, long size, List<String> segments, String volumeSystem,
                        String md5, String sha1, String storedMd5, String storedSha1, String verifyError) {
    public ImageInfo {
        segments = List.copyOf(segments);
    }

    /** True when verified, false when a computed hash differs from a stored one, null when there is nothing to compare. */
    public Boolean matchesStored() {
        if (md5 == null && sha1 == null) return null;
        if (storedMd5 == null && storedSha1 == null) return null;
        boolean ok = (storedMd5 == null || storedMd5.equalsIgnoreCase(md5))
                && (storedSha1 == null || storedSha1.equalsIgnoreCase(sha1));
        return ok;
    }

    /** What went wrong with verification (could not finish, or differs from the stored hash), or null. */
    public String problem() {
        if (verifyError != null) return verifyError;
        if (Boolean.FALSE.equals(matchesStored())) {
            return path + ": the media's hashes (MD5 " + md5 + ", SHA-1 " + sha1 + ") differ from the acquisition hashes"
                    + " stored in the image (MD5 " + storedMd5 + ", SHA-1 " + storedSha1 + ")";
        }
        return null;
    }

    public ImageInfo withHashes(String newMd5, String newSha1, String error) {
        return new ImageInfo(path, format, size, segments, volumeSystem, newMd5, newSha1, storedMd5, storedSha1, error);
    }
}
