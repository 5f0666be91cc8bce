package org.cxrclip.clustering;

import org.cxrclip.engine.Parallel;
import org.cxrclip.engine.Rng;

/**
 * Greedy k-means++ seeding (Arthur & Vassilvitskii 2007; the greedy variant scikit-learn uses): the first
 * centre the best of a few uniform draws; for each next one, 2 + ⌊ln K⌋ candidates drawn with probability proportional to the
 * squared distance to the nearest centre so far, keeping the candidate that lowers the total most. Plain D²
 * sampling picks gross outliers as centres, so both the sampling weights and the greedy score cap each row's
 * squared distance at the (1 − {@link #TRIM}) quantile (trimmed k-means++): a few far rows weigh no more than
 * the same number of rows of a real cluster. Seeds on at most
 * {@link #MAX_ROWS} rows drawn without replacement, so the cost stays O(MAX_ROWS·d·K·trials) for any n.
 * Deterministic for a seed and a row order.
 */
final class KMeansPlusPlus {
    static final int MAX_ROWS = 10_000;
    /** Fraction of rows treated as potential outliers during initialisation. */
    static final double TRIM = 0.1;

    /** Centres (K, d) and the trimmed squared distance cap after the last centre. */
    record Seeds(double[] centres, double cap) {}

    private KMeansPlusPlus() {}

    /** K centres drawn from the rows of x (n, d). */
    static Seeds seed(float[] x, int n, int d, int k, Rng rng) {
        int[] rows = sample(n, Math.min(n, Math.max(MAX_ROWS, 20 * k)), rng);
        int m = rows.length, trials = 2 + (int) Math.log(k);
        double[] centres = new double[k * d];
        double[] nearest = new double[m], candidate = new double[m], bestNearest = new double[m];
        // First centre: the best of `trials` uniform draws under the trimmed potential (an outlier scores badly).
        double bestFirst = Double.POSITIVE_INFINITY;
        for (int t = 0; t < trials; t++) {
            double[] row = new double[d];
            copyRow(x, rows[rng.nextInt(m)], d, row, 0);
            Parallel.forRange(m, 512, (s, e) -> {
                for (int i = s; i < e; i++) candidate[i] = sq(x, rows[i], d, row, 0);
            });
            double cap = quantile(candidate, 1 - TRIM), sum = 0;
            for (int i = 0; i < m; i++) sum += Math.min(candidate[i], cap);
            if (sum < bestFirst) {
                bestFirst = sum;
                System.arraycopy(row, 0, centres, 0, d);
                System.arraycopy(candidate, 0, nearest, 0, m);
            }
        }
        for (int c = 1; c < k; c++) {
            double cap = quantile(nearest, 1 - TRIM);
            double total = 0;
            for (int i = 0; i < m; i++) total += Math.min(nearest[i], cap);
            int bestRow = -1;
            double bestTotal = Double.POSITIVE_INFINITY;
            for (int t = 0; t < trials; t++) {
                int pick = total > 0 ? draw(nearest, cap, total, rng) : rng.nextInt(m);
                double[] row = new double[d];
                copyRow(x, rows[pick], d, row, 0);
                Parallel.forRange(m, 512, (s, e) -> {
                    for (int i = s; i < e; i++) candidate[i] = Math.min(nearest[i], sq(x, rows[i], d, row, 0));
                });
                double sum = 0;
                for (int i = 0; i < m; i++) sum += Math.min(candidate[i], cap);
                if (sum < bestTotal) {
                    bestTotal = sum;
                    bestRow = rows[pick];
                    System.arraycopy(candidate, 0, bestNearest, 0, m);
                }
            }
            copyRow(x, bestRow, d, centres, c * d);
            System.arraycopy(bestNearest, 0, nearest, 0, m);
        }
        return new Seeds(centres, quantile(nearest, 1 - TRIM));
    }

    /** The q-quantile (lower) of values. */
    static double quantile(double[] values, double q) {
        double[] s = values.clone();
        java.util.Arrays.sort(s);
        return s[Math.min(s.length - 1, (int) (q * (s.length - 1)))];
    }

    /** An index drawn with probability min(weight[i], cap)/total. */
    private static int draw(double[] weight, double cap, double total, Rng rng) {
        double r = rng.nextDouble() * total, acc = 0;
        for (int i = 0; i < weight.length; i++) {
            acc += Math.min(weight[i], cap);
            if (acc > r && weight[i] > 0) return i;
        }
        for (int i = weight.length - 1; i >= 0; i--) if (weight[i] > 0) return i;
        return 0;
    }

    /** m distinct row indices in increasing order (all rows when m = n). */
    private static int[] sample(int n, int m, Rng rng) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        if (m == n) return idx;
        for (int i = 0; i < m; i++) { // partial Fisher-Yates
            int j = i + rng.nextInt(n - i);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        int[] out = java.util.Arrays.copyOf(idx, m);
        java.util.Arrays.sort(out);
        return out;
    }

    private static void copyRow(float[] x, int row, int d, double[] dst, int off) {
        for (int j = 0; j < d; j++) dst[off + j] = x[row * d + j];
    }

    private static double sq(float[] x, int row, int d, double[] c, int off) {
        double s = 0;
        for (int j = 0; j < d; j++) {
            double t = x[row * d + j] - c[off + j];
            s += t * t;
        }
        return s;
    }
}
