package org.triage.model;

/**
 * One evidence item's pictures as the PDQ stage saw them; {@link #NONE} when PDQ was off.
 *
 * @param hashed       pictures that have a PDQ hash (copies of one content each count)
 * @param failed       pictures that could not be PDQ-hashed ({@code pdq_error})
 * @param decoded      distinct contents decoded: {@code hashed + failed} less the copies that reused a decode
 * @param nearMatched  pictures with at least one near match in an alert set
 * @param byDigest     pictures (by signature) in an alert set by their digest
 * @param byPdqOnly    pictures found in an alert set by PDQ alone (no digest match): re-encoded copies
 * @param lowQuality   of {@code byPdqOnly}, those under quality {@value PictureHash#RAISING_QUALITY}, which
 *                     are listed but do not raise the item's priority alone
 */
public record PictureCounts(long hashed, long failed, long decoded, long nearMatched, long byDigest, long byPdqOnly,
                            long lowQuality) {
    public static final PictureCounts NONE = new PictureCounts(0, 0, 0, 0, 0, 0, 0);
}
