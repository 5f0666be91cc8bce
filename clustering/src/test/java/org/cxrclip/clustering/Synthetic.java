package org.cxrclip.clustering;

import org.cxrclip.engine.Rng;

/**
 * Test data with known parameters: mixtures of Gaussians or multivariate t (x = μ + L·z/√(g/ν), g ~ χ²_ν),
 * optionally with gross outliers drawn uniformly from a wide box. labels[i] = true component, −1 for outliers.
 */
final class Synthetic {
    final float[] x;
    final int[] labels;
    final int n, d;

    private Synthetic(float[] x, int[] labels, int n, int d) {
        this.x = x;
        this.labels = labels;
        this.n = n;
        this.d = d;
    }

    /**
     * @param means    (K, d)
     * @param chol     (K, d, d) lower-triangular factors of the scale matrices
     * @param weights  (K)
     * @param nu       degrees of freedom (integer; +∞ for Gaussian)
     * @param outliers fraction of rows replaced by uniform draws in [−box, box]^d
     */
    static Synthetic mixture(long seed, int n, int d, double[] means, double[] chol, double[] weights, double nu,
                             double outliers, double box) {
        Rng rng = new Rng(seed);
        int k = weights.length;
        float[] x = new float[n * d];
        int[] labels = new int[n];
        double[] z = new double[d];
        for (int i = 0; i < n; i++) {
            if (rng.nextDouble() < outliers) {
                labels[i] = -1;
                for (int j = 0; j < d; j++) x[i * d + j] = (float) ((2 * rng.nextDouble() - 1) * box);
                continue;
            }
            double r = rng.nextDouble(), acc = 0;
            int c = k - 1;
            for (int q = 0; q < k; q++) {
                acc += weights[q];
                if (r < acc) {
                    c = q;
                    break;
                }
            }
            labels[i] = c;
            for (int j = 0; j < d; j++) z[j] = rng.nextGaussian();
            double scale = 1;
            if (Double.isFinite(nu)) {
                double g = 0;
                for (int q = 0; q < (int) nu; q++) {
                    double t = rng.nextGaussian();
                    g += t * t;
                }
                scale = 1 / Math.sqrt(g / nu);
            }
            for (int a = 0; a < d; a++) {
                double s = 0;
                for (int b = 0; b <= a; b++) s += chol[c * d * d + a * d + b] * z[b];
                x[i * d + a] = (float) (means[c * d + a] + scale * s);
            }
        }
        return new Synthetic(x, labels, n, d);
    }

    /** K isotropic components with standard deviation sd, means on a grid spacing apart along the axes. */
    static double[] identities(int k, int d, double sd) {
        double[] chol = new double[k * d * d];
        for (int c = 0; c < k; c++) for (int j = 0; j < d; j++) chol[c * d * d + j * d + j] = sd;
        return chol;
    }

    static double[] uniformWeights(int k) {
        double[] w = new double[k];
        java.util.Arrays.fill(w, 1.0 / k);
        return w;
    }

    /** Labels of the rows whose true label is not −1, and the matching predicted labels. */
    static int[][] inliers(int[] truth, int[] predicted) {
        int m = 0;
        for (int t : truth) if (t >= 0) m++;
        int[][] out = new int[2][m];
        for (int i = 0, j = 0; i < truth.length; i++)
            if (truth[i] >= 0) {
                out[0][j] = truth[i];
                out[1][j++] = predicted[i];
            }
        return out;
    }
}
