package org.triage.model;

import java.util.List;

/**
 * Facts about a disk image or device scanned as one evidence item, for the report.
 *
 * @param path           the image as the examiner named it
 * @param format         "raw", "split-raw", "ewf", "vmdk", "vhd" or "device", from the files' own signatures
 * @param size           media size in bytes (for EWF the acquired media, not the files)
 * @param segments       every file read, in order (for a VMDK its descriptor, then each extent)
 * @param volumeSystem   the partition table's type ("dos", "gpt"…), or null for a bare filesystem
 * @param md5            MD5 of the whole media, computed in this scan with --verify, else null
 * @param sha1           SHA-1 of the whole media, computed with --verify, else null
 * @param storedMd5      the acquisition MD5 stored in an EWF image, or null
 * @param storedSha1     the acquisition SHA-1 stored in an EWF image, or null
 * @param verifyError    why verification could not finish, or null
 * @param checksumErrors EWF chunks that failed their checksum among those this scan read (with
 *                       --verify: every chunk), in media order; empty for other formats
 * @param atimePreserved true when every segment was read through a descriptor opened with
 *                       O_NOATIME, so its access time is as it was; false when not (then
 *                       {@code atimeNote} says why)
 * @param atimeNote      why access times were not preserved, or null
 */
public record ImageInfo(String path, String format, long size, List<String> segments, String volumeSystem,
                        String md5, String sha1, String storedMd5, String storedSha1, String verifyError,
                        List<ChecksumError> checksumErrors, boolean atimePreserved, String atimeNote) {
    private static final int ERRORS_NAMED = 10;

    /**
     * A run of media sectors whose stored chunk failed its checksum: what was read there is not what
     * was acquired.
     *
     * @param firstSector the first media sector
     * @param sectors     how many sectors (whole chunks; adjacent failed chunks form one run)
     * @param sectorSize  bytes per sector
     * @param segments    the segment file(s) that store these chunks, as opened
     */
    public record ChecksumError(long firstSector, long sectors, int sectorSize, List<String> segments) {
        public ChecksumError {
            segments = List.copyOf(segments);
        }

        /** The first media byte. */
        public long firstByte() { return firstSector * sectorSize; }

        /** One past the last media byte. */
        public long endByte() { return (firstSector + sectors) * sectorSize; }

        /** "segment x.E02, sectors 2048-2111 (image offset 1048576-1081343)". */
        public String describe() {
            return (segments.size() == 1 ? "segment " : "segments ") + String.join(", ", segments)
                    + ", sectors " + firstSector + "-" + (firstSector + sectors - 1)
                    + " (image offset " + firstByte() + "-" + (endByte() - 1) + ")";
        }
    }

    public ImageInfo {
        segments = List.copyOf(segments);
        checksumErrors = checksumErrors == null ? List.of() : List.copyOf(checksumErrors);
    }

    /**
     * True when verified: the computed hashes equal the stored ones and no chunk failed its
     * checksum; false when a hash differs or a chunk failed (as ewfverify says FAILURE: a corrupt
     * chunk that held zeros may read back as zeros and leave the hashes equal); null when there is
     * nothing to compare.
     */
    public Boolean matchesStored() {
        if (md5 == null && sha1 == null) return null;
        if (storedMd5 == null && storedSha1 == null) return null;
        boolean ok = (storedMd5 == null || storedMd5.equalsIgnoreCase(md5))
                && (storedSha1 == null || storedSha1.equalsIgnoreCase(sha1));
        return ok && checksumErrors.isEmpty();
    }

    private boolean hashesDiffer() {
        return md5 != null && !((storedMd5 == null || storedMd5.equalsIgnoreCase(md5))
                && (storedSha1 == null || storedSha1.equalsIgnoreCase(sha1)))
                && (storedMd5 != null || storedSha1 != null);
    }

    /**
     * What went wrong: verification could not finish, chunks failed their checksum (named by
     * segment and sectors), the media's hashes differ from the stored ones; null when nothing did.
     */
    public String problem() {
        StringBuilder b = new StringBuilder();
        if (verifyError != null) b.append(verifyError);
        if (!checksumErrors.isEmpty()) {
            if (b.length() > 0) b.append("; ");
            int n = checksumErrors.size();
            b.append(path).append(": EWF checksum ").append(n == 1 ? "error" : "errors (" + n + ")")
                    .append(md5 == null ? " in what this scan read: " : ": ");
            for (int i = 0; i < Math.min(n, ERRORS_NAMED); i++) {
                if (i > 0) b.append("; ");
                b.append(checksumErrors.get(i).describe());
            }
            if (n > ERRORS_NAMED) b.append("; and ").append(n - ERRORS_NAMED).append(" more");
            b.append(": the data there is not what was acquired");
            if (md5 == null) b.append(" (--verify checks every chunk)");
            else if (!hashesDiffer() && (storedMd5 != null || storedSha1 != null)) {
                b.append(" (verification FAILED although the media hashes equal the stored ones)");
            }
        }
        if (hashesDiffer()) {
            if (b.length() > 0) b.append("; ");
            b.append(path).append(": the media's hashes (MD5 ").append(md5).append(", SHA-1 ").append(sha1)
                    .append(") differ from the acquisition hashes stored in the image (MD5 ").append(storedMd5)
                    .append(", SHA-1 ").append(storedSha1).append(")");
        }
        return b.length() == 0 ? null : b.toString();
    }

    public ImageInfo withHashes(String newMd5, String newSha1, String error) {
        return new ImageInfo(path, format, size, segments, volumeSystem, newMd5, newSha1, storedMd5, storedSha1, error,
                checksumErrors, atimePreserved, atimeNote);
    }

    public ImageInfo withChecksumErrors(List<ChecksumError> errors) {
        return new ImageInfo(path, format, size, segments, volumeSystem, md5, sha1, storedMd5, storedSha1, verifyError,
                errors, atimePreserved, atimeNote);
    }
}
