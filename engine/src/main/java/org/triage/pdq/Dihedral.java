package org.triage.pdq;

/**
 * The eight rotations and flips of a picture, named as the reference names them. Each is taken from
 * the original's DCT without a second pass over the pixels: mirroring an axis multiplies the DCT
 * coefficient of frequency {@code u} along it by {@code (-1)^u} (the basis {@code cos(pi u (2x+1)/128)}
 * is even or odd about the centre as {@code u} is), and swapping the axes transposes the block. The
 * block's row {@code i} and column {@code j} hold frequencies {@code i + 1} and {@code j + 1} (the DC
 * term is left out), so the sign is {@code (-1)^(rowParity (i+1) + columnParity (j+1))}.
 */
public enum Dihedral {
    ORIGINAL(false, 0, 0),
    ROTATE_90(true, 0, 1),
    ROTATE_180(false, 1, 1),
    ROTATE_270(true, 1, 0),
    FLIP_X(false, 1, 0),
    FLIP_Y(false, 0, 1),
    /** Flip about the main diagonal (transpose). */
    FLIP_PLUS_1(true, 0, 0),
    /** Flip about the anti-diagonal. */
    FLIP_MINUS_1(true, 1, 1);

    private final boolean transpose;
    private final int rowParity;
    private final int columnParity;

    Dihedral(boolean transpose, int rowParity, int columnParity) {
        this.transpose = transpose;
        this.rowParity = rowParity;
        this.columnParity = columnParity;
    }

    /** Whether the variant's coefficient at (i, j) is the original's at (j, i). */
    boolean transpose() {
        return transpose;
    }

    /** Whether the original's coefficient at row {@code i}, column {@code j} changes sign in this variant. */
    boolean negates(int i, int j) {
        return ((rowParity * (i + 1) + columnParity * (j + 1)) & 1) != 0;
    }
}
