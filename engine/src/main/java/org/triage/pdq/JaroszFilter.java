package org.triage.pdq;

/**
 * The reference's downsampling: Jarosz's box filters ("Fast Image Convolutions", 2001), one along
 * the rows then one along the columns, twice, which makes a tent filter; then the 64x64 samples at
 * the centres of a 64x64 grid. Each box has a window of {@code ceil(dimension / 128)}: two passes of
 * half a 64th each cover one output cell.
 *
 * <p>Bit-exactness decides the arithmetic: every sum is a float updated in the reference's order
 * (add the entering sample, then subtract the leaving one; never their difference), divided by the
 * window's current size, with the shortened windows at both ends. The column pass walks the rows in
 * order and keeps one running sum per column, which is the same sequence of operations on each
 * column as the reference's column-at-a-time loop, but reads memory in order.
 *
 * <p>Not thread-safe: it owns the column sums.
 */
final class JaroszFilter {
    static final int PASSES = 2;
    private final float[] columnSums;

    /** For pictures up to {@code maxColumns} wide. */
    JaroszFilter(int maxColumns) {
        columnSums = new float[maxColumns];
    }

    /** Window of one pass when {@code oldSize} samples become {@code newSize}: half an output cell, rounded up. */
    static int windowSize(int oldSize, int newSize) {
        return (oldSize + 2 * newSize - 1) / (2 * newSize);
    }

    /** Filters {@code a} in place ({@code b} is scratch of the same size): rows x cols, row-major. */
    void filter(float[] a, float[] b, int rows, int cols, int windowAlongRows, int windowAlongCols) {
        for (int pass = 0; pass < PASSES; pass++) {
            for (int r = 0; r < rows; r++) boxAlongRow(a, b, r * cols, cols, windowAlongRows);
            boxAlongColumns(b, a, rows, cols, windowAlongCols);
        }
    }

    /** One row: the box's mean at each sample, the window shortened at both ends. */
    private static void boxAlongRow(float[] in, float[] out, int start, int length, int window) {
        int half = (window + 2) / 2;
        int lead = half - 1;
        int growing = window - half + 1;
        int full = length - window;
        int shrinking = half - 1;
        int right = start;
        int left = start;
        int o = start;
        float sum = 0;
        int count = 0;
        for (int n = 0; n < lead; n++) {
            sum += in[right++];
            count++;
        }
        for (int n = 0; n < growing; n++) {
            sum += in[right++];
            count++;
            out[o++] = sum / count;
        }
        for (int n = 0; n < full; n++) {
            sum += in[right++];
            sum -= in[left++];
            out[o++] = sum / count;
        }
        for (int n = 0; n < shrinking; n++) {
            sum -= in[left++];
            count--;
            out[o++] = sum / count;
        }
    }

    /** Every column at once, one row at a time, with the same phases as {@link #boxAlongRow}. */
    private void boxAlongColumns(float[] in, float[] out, int rows, int cols, int window) {
        float[] sum = columnSums;
        java.util.Arrays.fill(sum, 0, cols, 0f);
        int half = (window + 2) / 2;
        int lead = half - 1;
        int growing = window - half + 1;
        int full = rows - window;
        int shrinking = half - 1;
        int right = 0;
        int left = 0;
        int o = 0;
        int count = 0;
        for (int n = 0; n < lead; n++, right += cols) {
            for (int c = 0; c < cols; c++) sum[c] += in[right + c];
            count++;
        }
        for (int n = 0; n < growing; n++, right += cols, o += cols) {
            count++;
            for (int c = 0; c < cols; c++) {
                sum[c] += in[right + c];
                out[o + c] = sum[c] / count;
            }
        }
        for (int n = 0; n < full; n++, right += cols, left += cols, o += cols) {
            for (int c = 0; c < cols; c++) {
                float s = sum[c] + in[right + c];
                s -= in[left + c];
                sum[c] = s;
                out[o + c] = s / count;
            }
        }
        for (int n = 0; n < shrinking; n++, left += cols, o += cols) {
            count--;
            for (int c = 0; c < cols; c++) {
                sum[c] -= in[left + c];
                out[o + c] = sum[c] / count;
            }
        }
    }

    /** The samples nearest the centres of an {@code outRows} x {@code outCols} grid. */
    static void decimate(float[] in, int inRows, int inCols, float[] out, int outRows, int outCols) {
        for (int i = 0; i < outRows; i++) {
            int ini = (int) (((i + 0.5) * inRows) / outRows);
            for (int j = 0; j < outCols; j++) {
                int inj = (int) (((j + 0.5) * inCols) / outCols);
                out[i * outCols + j] = in[ini * inCols + inj];
            }
        }
    }
}
