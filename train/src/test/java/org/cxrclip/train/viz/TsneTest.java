package org.cxrclip.train.viz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
