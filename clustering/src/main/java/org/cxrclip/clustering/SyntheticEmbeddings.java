package org.cxrclip.clustering;

import org.cxrclip.engine.Rng;

/**
 * Embedding-like data with known structure, for tests, benchmarks and examples of the mixture fitters: unit-norm
 * rows scattered around a few random directions, as L2-normalised CLIP image embeddings of k kinds of image.
 */
public final class SyntheticEmbeddings {
    private SyntheticEmbeddings() {}

    /**
     * n rows of dimension d (row-major): row i is a random one of k Gaussian directions plus N(0, 0.7²) noise
     * per coordinate, scaled to unit norm. Deterministic for a seed.
     */
    public static float[] aroundDirections(long seed, int n, int d, int k) {
        if (n < 0 || d < 1 || k < 1) throw new IllegalArgumentException("synthetic embeddings: need n >= 0, d >= 1, k >= 1, got n="
                + n + " d=" + d + " k=" + k);
        Rng rng = new Rng(seed);
        float[] dirs = new float[k * d];
        for (int i = 0; i < dirs.length; i++) dirs[i] = (float) rng.nextGaussian();
        float[] x = new float[n * d];
        for (int i = 0; i < n; i++) {
            int c = rng.nextInt(k);
            double norm = 0;
            for (int j = 0; j < d; j++) {
                double v = dirs[c * d + j] + 0.7 * rng.nextGaussian();
                x[i * d + j] = (float) v;
                norm += v * v;
            }
            for (int j = 0; j < d; j++) x[i * d + j] /= (float) Math.sqrt(norm);
        }
        return x;
    }
}
