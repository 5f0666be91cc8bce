package org.cxrclip.train.viz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cxrclip.engine.Rng;
import org.junit.jupiter.api.Test;

/** t-SNE keeps neighbourhoods: 5-NN accuracy in the 2-D map is close to that in the input space. */
class TsneTest {
    /** Well-separated Gaussian clusters in 32-D. */
    private static float[] clusters(int n, int d, int k, int[] labels, long seed) {
        Rng r = new Rng(seed);
        float[][] centres = new float[k][d];
        for (float[] c : centres) for (int t = 0; t < d; t++) c[t] = (float) (4 * r.nextGaussian());
        float[] x = new float[n * d];
        for (int i = 0; i < n; i++) {
            labels[i] = i % k;
            for (int t = 0; t < d; t++) x[i * d + t] = centres[labels[i]][t] + (float) r.nextGaussian();
        }
        return x;
    }

    static double knnAccuracy(double[] pts, int n, int dim, int[] labels, int k) {
        int correct = 0;
        for (int i = 0; i < n; i++) {
            double[] dist = new double[n];
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int t = 0; t < dim; t++) s += (pts[i * dim + t] - pts[j * dim + t]) * (pts[i * dim + t] - pts[j * dim + t]);
                dist[j] = j == i ? Double.POSITIVE_INFINITY : s;
            }
            Integer[] order = new Integer[n];
            for (int j = 0; j < n; j++) order[j] = j;
            java.util.Arrays.sort(order, (a, b) -> Double.compare(dist[a], dist[b]));
            int[] votes = new int[64];
            for (int t = 0; t < k; t++) votes[labels[order[t]]]++;
            int best = 0;
            for (int c = 1; c < votes.length; c++) if (votes[c] > votes[best]) best = c;
            if (best == labels[i]) correct++;
        }
        return correct / (double) n;
    }

    private static void check(int n, long seed, int exactLimit) {
        int d = 32, k = 5;
        int[] labels = new int[n];
        float[] x = clusters(n, d, k, labels, seed);
        double[] xd = new double[x.length];
        for (int i = 0; i < x.length; i++) xd[i] = x[i];
        double input = knnAccuracy(xd, n, d, labels, 5);
        double[] y = new Tsne(30, 500, 1, exactLimit).embed(x, n, d);
        double map = knnAccuracy(y, n, 2, labels, 5);
        assertTrue(input > 0.95, "clusters should be separable in the input: " + input);
        assertTrue(map >= input - 0.05, "5-NN accuracy in 2-D " + map + " vs input " + input);
    }

    @Test
    void exactKeepsNeighbourhoods() {
        check(300, 2, Tsne.EXACT_LIMIT);
    }

    @Test
    void barnesHutKeepsNeighbourhoods() {
        check(800, 3, 500); // Barnes-Hut on 800 points
    }

    /**
     * Barnes–Hut's repulsion against the direct sums Z_i = Σ_j q̃_ij and F_i = Σ_j q̃_ij² (y_i − y_j) over all j ≠ i,
     * on a clustered 2-D map where 11 points coincide (they share one leaf at the tree's depth limit). θ = 0 opens
     * every cell down to its leaves, so it must equal the direct sum to rounding, coincident points included.
     * θ = 0.5 (what t-SNE uses) replaces each far cell by its centre of mass; measured here: worst error 1.8 % of
     * Z_i and 2.3 % of Σ_j q̃_ij²‖y_i − y_j‖ for the force (the net force itself can nearly cancel), bounded at
     * about twice that. A cell counted as one point instead of its count errs by far more.
     */
    @Test
    void barnesHutRepulsionMatchesTheDirectSum() {
        int n = 600;
        Rng r = new Rng(8);
        double[] y = new double[2 * n];
        for (int i = 0; i < n; i++) {
            int c = i % 4;
            y[2 * i] = 10 * (c % 2) + 2 * r.nextGaussian();
            y[2 * i + 1] = 10 * (c / 2) + 2 * r.nextGaussian();
        }
        for (int i = 590; i < n; i++) { // coincident points share a leaf
            y[2 * i] = y[0];
            y[2 * i + 1] = y[1];
        }
        QuadTree tree = new QuadTree(y, n);
        double worstZ = 0, worstF = 0;
        for (int i = 0; i < n; i++) {
            double z = 0, fx = 0, fy = 0, scale = 0;
            for (int j = 0; j < n; j++) {
                if (j == i) continue;
                double dx = y[2 * i] - y[2 * j], dy = y[2 * i + 1] - y[2 * j + 1];
                double q = 1 / (1 + dx * dx + dy * dy);
                z += q;
                fx += q * q * dx;
                fy += q * q * dy;
                scale += q * q * Math.hypot(dx, dy);
            }
            double[] exact = new double[2], approx = new double[2];
            assertEquals(z, tree.repulsion(i, 0, exact), 1e-12 * z, "theta 0, Z of point " + i);
            assertEquals(fx, exact[0], 1e-12 * Math.hypot(fx, fy) + 1e-15, "theta 0, force x of point " + i);
            assertEquals(fy, exact[1], 1e-12 * Math.hypot(fx, fy) + 1e-15, "theta 0, force y of point " + i);
            double za = tree.repulsion(i, 0.5, approx);
            worstZ = Math.max(worstZ, Math.abs(za - z) / z);
            worstF = Math.max(worstF, Math.hypot(approx[0] - fx, approx[1] - fy) / scale);
        }
        assertTrue(worstZ < 0.04 && worstF < 0.05, "theta 0.5: worst relative error of Z " + worstZ + ", of the force " + worstF);
    }

    @Test
    void deterministicForASeedAndBadInputIsNamed() {
        int[] labels = new int[60];
        float[] x = clusters(60, 8, 3, labels, 4);
        assertArrayEquals(new Tsne(10, 100, 9).embed(x, 60, 8), new Tsne(10, 100, 9).embed(x, 60, 8));
        x[17 * 8 + 2] = Float.NaN;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Tsne(10, 100, 9).embed(x, 60, 8));
        assertTrue(e.getMessage().contains("row 17"), e.getMessage());
    }
}
