package org.cxrclip.train.viz;

import org.cxrclip.engine.Parallel;

/**
 * t-SNE's input similarities: for each point a Gaussian over its neighbours whose width is found by bisection
 * so that the distribution's perplexity equals the target (van der Maaten & Hinton 2008), then symmetrised:
 * p_ij = (p_j|i + p_i|j) / 2N. Sparse: each row keeps its {@code k} nearest neighbours (all N−1 when exact).
 */
final class TsneAffinities {
    /** Row i's neighbours are cols[rowStart[i] .. rowStart[i+1]) with weights vals (CSR, symmetric). */
    record Sparse(int n, int[] rowStart, int[] cols, double[] vals) {}

    private TsneAffinities() {}

    /** x (n, d) row-major; k neighbours per point (k = n−1 for exact t-SNE). */
    static Sparse compute(float[] x, int n, int d, double perplexity, int k) {
        int[] nbr = new int[n * k];
        double[] dist = new double[n * k];
        nearestNeighbours(x, n, d, k, nbr, dist);
        double[] p = new double[n * k];
        double target = Math.log(perplexity);
        Parallel.forRange(n, 16, (a, b) -> {
            for (int i = a; i < b; i++) calibrate(dist, p, i * k, k, target);
        });
        return symmetrize(n, k, nbr, p);
    }

    /**
     * Squared Euclidean distances to the k nearest neighbours (excluding the point), exact: blocks of rows
     * against all points through the engine's GEMM (‖a‖² + ‖b‖² − 2a·b).
     */
    private static void nearestNeighbours(float[] x, int n, int d, int k, int[] nbr, double[] dist) {
        org.cxrclip.engine.backend.Backend cpu = org.cxrclip.engine.backend.Backends.cpu();
        double[] norms = new double[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int t = 0; t < d; t++) s += (double) x[i * d + t] * x[i * d + t];
            norms[i] = s;
        }
        org.cxrclip.engine.Tensor all = org.cxrclip.engine.Tensor.of(cpu, x, n, d);
        int block = 256;
        for (int b0 = 0; b0 < n; b0 += block) {
            int b1 = Math.min(n, b0 + block);
            float[] dots;
            try (var g = org.cxrclip.engine.Autograd.noGrad()) {
                dots = org.cxrclip.engine.ops.MatMul.matmul(all.rows(b0, b1), false, all, true).toArray(); // (B, n)
            }
            final int start = b0;
            Parallel.forRange(b1 - b0, 4, (a, b) -> {
                double[] row = new double[n];
                int[] idx = new int[n];
                for (int r = a; r < b; r++) {
                    int i = start + r;
                    for (int j = 0; j < n; j++) row[j] = Math.max(0, norms[i] + norms[j] - 2.0 * dots[r * n + j]);
                    row[i] = Double.POSITIVE_INFINITY;
                    selectSmallest(row, idx, n, k);
                    for (int t = 0; t < k; t++) {
                        nbr[i * k + t] = idx[t];
                        dist[i * k + t] = row[idx[t]];
                    }
                }
            });
        }
    }

    /** Puts the indices of the k smallest values of v first in idx (order among them unspecified). */
    private static void selectSmallest(double[] v, int[] idx, int n, int k) {
        for (int j = 0; j < n; j++) idx[j] = j;
        int lo = 0, hi = n - 1;
        while (lo < hi) { // quickselect on idx by v
            double pivot = v[idx[(lo + hi) >>> 1]];
            int i = lo, j = hi;
            while (i <= j) {
                while (v[idx[i]] < pivot) i++;
                while (v[idx[j]] > pivot) j--;
                if (i <= j) {
                    int t = idx[i];
                    idx[i] = idx[j];
                    idx[j] = t;
                    i++;
                    j--;
                }
            }
            if (k - 1 <= j) hi = j;
            else if (k - 1 >= i) lo = i;
            else break;
        }
    }

    /** Bisection on the precision beta so that the row's entropy (natural log) equals log(perplexity). */
    private static void calibrate(double[] dist, double[] p, int off, int k, double target) {
        double beta = 1, lo = 0, hi = Double.POSITIVE_INFINITY;
        double minD = Double.POSITIVE_INFINITY;
        for (int t = 0; t < k; t++) minD = Math.min(minD, dist[off + t]);
        for (int iter = 0; iter < 100; iter++) {
            double sum = 0, weighted = 0;
            for (int t = 0; t < k; t++) {
                double w = Math.exp(-beta * (dist[off + t] - minD)); // shifted for stability
                p[off + t] = w;
                sum += w;
                weighted += w * (dist[off + t] - minD);
            }
            double entropy = Math.log(sum) + beta * weighted / sum;
            for (int t = 0; t < k; t++) p[off + t] /= sum;
            double diff = entropy - target;
            if (Math.abs(diff) < 1e-5) break;
            if (diff > 0) { // too flat: sharpen
                lo = beta;
                beta = Double.isInfinite(hi) ? beta * 2 : (beta + hi) / 2;
            } else {
                hi = beta;
                beta = (beta + lo) / 2;
            }
        }
    }

    private static Sparse symmetrize(int n, int k, int[] nbr, double[] p) {
        // Collect (i, j, p_j|i) and (j, i, p_j|i), then sum duplicates row by row.
        int[] count = new int[n + 1];
        for (int i = 0; i < n; i++)
            for (int t = 0; t < k; t++) {
                count[i]++;
                count[nbr[i * k + t]]++;
            }
        int[] start = new int[n + 1];
        for (int i = 0; i < n; i++) start[i + 1] = start[i] + count[i];
        int[] fill = start.clone();
        int[] cols = new int[start[n]];
        double[] vals = new double[start[n]];
        for (int i = 0; i < n; i++)
            for (int t = 0; t < k; t++) {
                int j = nbr[i * k + t];
                double v = p[i * k + t];
                cols[fill[i]] = j;
                vals[fill[i]++] = v;
                cols[fill[j]] = i;
                vals[fill[j]++] = v;
            }
        // Merge duplicates within each row (sorted by column).
        int[] outStart = new int[n + 1];
        int[] outCols = new int[start[n]];
        double[] outVals = new double[start[n]];
        int w = 0;
        for (int i = 0; i < n; i++) {
            outStart[i] = w;
            int s = start[i], e = start[i + 1];
            Integer[] order = new Integer[e - s];
            for (int t = 0; t < order.length; t++) order[t] = s + t;
            java.util.Arrays.sort(order, (a, b) -> Integer.compare(cols[a], cols[b]));
            for (int t = 0; t < order.length; t++) {
                int c = cols[order[t]];
                if (w > outStart[i] && outCols[w - 1] == c) outVals[w - 1] += vals[order[t]];
                else {
                    outCols[w] = c;
                    outVals[w++] = vals[order[t]];
                }
            }
        }
        outStart[n] = w;
        for (int t = 0; t < w; t++) outVals[t] /= 2.0 * n;
        return new Sparse(n, outStart, java.util.Arrays.copyOf(outCols, w), java.util.Arrays.copyOf(outVals, w));
    }
}
