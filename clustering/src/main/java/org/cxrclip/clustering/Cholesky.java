package org.cxrclip.clustering;

/**
 * Dense Cholesky kernels in double over plain arrays of a d×d row-major matrix: factor a symmetric positive
 * definite Σ = L·Lᵀ in place, its log-determinant, and the inverse factor L⁻¹ whose rows turn x − μ into
 * whitened coordinates (δ² = ‖L⁻¹(x − μ)‖²).
 */
final class Cholesky {
    private Cholesky() {}

    /**
     * Overwrites the lower triangle of a (d, d) at off with L and zeroes the upper; returns false (a left
     * partially overwritten) when a is not numerically positive definite.
     */
    static boolean factor(double[] a, int off, int d) {
        for (int j = 0; j < d; j++) {
            double s = a[off + j * d + j];
            for (int p = 0; p < j; p++) s -= a[off + j * d + p] * a[off + j * d + p];
            if (!(s > 0) || Double.isInfinite(s)) return false;
            double ljj = Math.sqrt(s);
            a[off + j * d + j] = ljj;
            for (int i = j + 1; i < d; i++) {
                double t = a[off + i * d + j];
                for (int p = 0; p < j; p++) t -= a[off + i * d + p] * a[off + j * d + p];
                a[off + i * d + j] = t / ljj;
            }
            for (int i = 0; i < j; i++) a[off + i * d + j] = 0;
        }
        return true;
    }

    /** log det Σ = 2 Σ log L_ii for a factor from {@link #factor}. */
    static double logDet(double[] l, int off, int d) {
        double s = 0;
        for (int i = 0; i < d; i++) s += Math.log(l[off + i * d + i]);
        return 2 * s;
    }

    /** Writes L⁻¹ (lower triangular, (d, d) row-major) of the factor l into inv at invOff. */
    static void invertLower(double[] l, int off, int d, double[] inv, int invOff) {
        for (int i = 0; i < d * d; i++) inv[invOff + i] = 0;
        for (int c = 0; c < d; c++) { // column c of L⁻¹ solves L y = e_c by forward substitution
            for (int i = c; i < d; i++) {
                double s = i == c ? 1 : 0;
                for (int p = c; p < i; p++) s -= l[off + i * d + p] * inv[invOff + p * d + c];
                inv[invOff + i * d + c] = s / l[off + i * d + i];
            }
        }
    }
}
