package org.cxrclip.clustering;

import org.cxrclip.engine.Parallel;
import org.cxrclip.engine.Rng;

/**
 * k-means++ seeding (Arthur & Vassilvitskii 2007): the first centre uniformly, each next one with probability
 * proportional to the squared distance to the nearest centre chosen so far. Deterministic for a seed and a row
 * order; O(n·d) per centre, parallel over rows.
 */
final class KMeansPlusPlus {
    private KMeansPlusPlus() {}

    /** K centres (K, d) drawn from the rows of x (n, d). */
    static double[] seed(float[] x, int n, int d, int k, Rng rng) {
        double[] centres = new double[k * d];
        double[] nearest = new double[n];
        int first = rng.nextInt(n);
        copyRow(x, first, d, centres, 0);
        Parallel.forRange(n, 1024, (s, e) -> {
            for (int i = s; i < e; i++) nearest[i] = sq(x, i, d, centres, 0);
        });
        for (int c = 1; c < k; c++) {
            double total = 0;
            for (int i = 0; i < n; i++) total += nearest[i];
            int pick;
            if (!(total > 0)) {
                pick = rng.nextInt(n); // all remaining rows coincide with centres
            } else {
                double r = rng.nextDouble() * total, acc = 0;
                pick = n - 1;
                for (int i = 0; i < n; i++) {
                    acc += nearest[i];
                    if (acc > r && nearest[i] > 0) {
                        pick = i;
                        break;
                    }
                }
            }
            int off = c * d;
            copyRow(x, pick, d, centres, off);
            Parallel.forRange(n, 1024, (s, e) -> {
                for (int i = s; i < e; i++) nearest[i] = Math.min(nearest[i], sq(x, i, d, centres, off));
            });
        }
        return centres;
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
