package org.cxrclip.clustering;

/**
 * What one E-step pass over a block of samples collects for the M-step, in double: with τ the responsibilities
 * and w = τ·u (u the Student-t scale weights, 1 for Gaussians), per component k the sums Στ, Σw,
 * Στ(log u − u) (for learning ν), Σw·x (K, d) and the second moments Σw·x² (K, d) for per-dimension types or
 * Σw·x·xᵀ (K, d, d) for matrix types; plus the total log-likelihood of the block. Blocks are merged in a fixed
 * order so the result depends neither on the thread count nor on which thread ran which block.
 */
final class SufficientStats {
    final int k, d;
    final boolean matrix;
    final double[] tau, w, logUMinusU;
    final double[] sx;     // (K, d)
    final double[] second; // (K, d) or (K, d, d)
    double logLikelihood;

    SufficientStats(int k, int d, boolean matrix) {
        this.k = k;
        this.d = d;
        this.matrix = matrix;
        tau = new double[k];
        w = new double[k];
        logUMinusU = new double[k];
        sx = new double[k * d];
        second = new double[matrix ? k * d * d : k * d];
    }

    /** Bytes one instance holds, to bound how many blocks keep their own. */
    static long bytes(int k, int d, boolean matrix) {
        return 8L * k * (3 + d + (matrix ? (long) d * d : d));
    }

    void add(SufficientStats o) {
        for (int i = 0; i < k; i++) {
            tau[i] += o.tau[i];
            w[i] += o.w[i];
            logUMinusU[i] += o.logUMinusU[i];
        }
        for (int i = 0; i < sx.length; i++) sx[i] += o.sx[i];
        for (int i = 0; i < second.length; i++) second[i] += o.second[i];
        logLikelihood += o.logLikelihood;
    }
}
