package org.cxrclip.train.viz;

import org.cxrclip.engine.Parallel;
import org.cxrclip.engine.Rng;

/**
 * t-SNE (van der Maaten & Hinton 2008) to two dimensions: exact below {@link #EXACT_LIMIT} points, Barnes–Hut
 * (θ = 0.5, 3·perplexity neighbours) above. Optimisation as sklearn/bhtsne: early exaggeration 12 for the
 * first 250 iterations with momentum 0.5, then momentum 0.8; learning rate max(N / 12 / 4, 50); per-coordinate
 * gains (delta-bar-delta). Seeded: the same seed, input and thread count give the same map.
 */
public final class Tsne {
    public static final int EXACT_LIMIT = 5000;
    private static final double EXAGGERATION = 12;
    private static final int EXAGGERATION_ITERS = 250;

    private final double perplexity;
    private final int iterations;
    private final long seed;
    private final int exactLimit;

    public Tsne(double perplexity, int iterations, long seed) {
        this(perplexity, iterations, seed, EXACT_LIMIT);
    }

    /** With another exact/Barnes–Hut switch point (tests use it to exercise Barnes–Hut on few points). */
    Tsne(double perplexity, int iterations, long seed, int exactLimit) {
        if (!(perplexity > 1)) throw new IllegalArgumentException("tsne: perplexity must be > 1, got " + perplexity);
        if (iterations < 1) throw new IllegalArgumentException("tsne: iterations must be >= 1");
        this.perplexity = perplexity;
        this.iterations = iterations;
        this.seed = seed;
        this.exactLimit = exactLimit;
    }

    /** x (n, d) row-major → 2-D coordinates (n, 2) row-major. */
    public double[] embed(float[] x, int n, int d) {
        if (n < 4) throw new IllegalArgumentException("tsne: needs at least 4 points, got " + n);
        if ((long) n * d != x.length) throw new IllegalArgumentException("tsne: " + x.length + " values are not (" + n + ", " + d + ")");
        for (int i = 0; i < x.length; i++)
            if (!Float.isFinite(x[i])) throw new IllegalArgumentException("tsne: row " + (i / d) + " has a non-finite value");
        boolean exact = n <= exactLimit;
        double perp = Math.min(perplexity, (n - 1) / 3.0);
        int k = exact ? n - 1 : Math.min(n - 1, (int) (3 * perp));
        TsneAffinities.Sparse p = TsneAffinities.compute(x, n, d, perp, k);

        Rng rng = new Rng(seed);
        double[] y = new double[2 * n];
        for (int i = 0; i < y.length; i++) y[i] = 1e-4 * rng.nextGaussian();
        double[] update = new double[2 * n], gains = new double[2 * n], grad = new double[2 * n];
        java.util.Arrays.fill(gains, 1);
        double lr = Math.max(n / EXAGGERATION / 4, 50);
        for (int it = 0; it < iterations; it++) {
            double exaggeration = it < EXAGGERATION_ITERS ? EXAGGERATION : 1;
            double momentum = it < EXAGGERATION_ITERS ? 0.5 : 0.8;
            gradient(p, y, n, exaggeration, exact, grad);
            for (int i = 0; i < 2 * n; i++) {
                boolean sameSign = Math.signum(grad[i]) == Math.signum(update[i]);
                gains[i] = Math.max(0.01, sameSign ? gains[i] * 0.8 : gains[i] + 0.2);
                update[i] = momentum * update[i] - lr * gains[i] * grad[i];
                y[i] += update[i];
            }
            center(y, n);
        }
        return y;
    }

    /** ∂KL/∂y = 4 (exaggeration · Σ_j p_ij q̃_ij (y_i − y_j) − Σ_j q̃_ij² (y_i − y_j) / Z). */
    private static void gradient(TsneAffinities.Sparse p, double[] y, int n, double exaggeration, boolean exact,
                                 double[] grad) {
        double[] rep = new double[2 * n];
        double[] zParts = new double[n];
        QuadTree tree = exact ? null : new QuadTree(y, n);
        Parallel.forRange(n, 32, (a, b) -> {
            double[] f = new double[2];
            for (int i = a; i < b; i++) {
                f[0] = f[1] = 0;
                double z;
                if (exact) {
                    z = 0;
                    double yi0 = y[2 * i], yi1 = y[2 * i + 1];
                    for (int j = 0; j < n; j++) {
                        if (j == i) continue;
                        double dx = yi0 - y[2 * j], dy = yi1 - y[2 * j + 1];
                        double q = 1 / (1 + dx * dx + dy * dy);
                        z += q;
                        f[0] += q * q * dx;
                        f[1] += q * q * dy;
                    }
                } else {
                    z = tree.repulsion(i, 0.5, f);
                }
                zParts[i] = z;
                rep[2 * i] = f[0];
                rep[2 * i + 1] = f[1];
                // attraction over the sparse neighbours
                double ax = 0, ay = 0;
                for (int t = p.rowStart()[i]; t < p.rowStart()[i + 1]; t++) {
                    int j = p.cols()[t];
                    double dx = y[2 * i] - y[2 * j], dy = y[2 * i + 1] - y[2 * j + 1];
                    double q = 1 / (1 + dx * dx + dy * dy);
                    ax += p.vals()[t] * q * dx;
                    ay += p.vals()[t] * q * dy;
                }
                grad[2 * i] = exaggeration * ax;
                grad[2 * i + 1] = exaggeration * ay;
            }
        });
        double z = 0;
        for (double v : zParts) z += v;
        for (int i = 0; i < 2 * n; i++) grad[i] = 4 * (grad[i] - rep[i] / z);
    }

    private static void center(double[] y, int n) {
        double mx = 0, my = 0;
        for (int i = 0; i < n; i++) {
            mx += y[2 * i];
            my += y[2 * i + 1];
        }
        mx /= n;
        my /= n;
        for (int i = 0; i < n; i++) {
            y[2 * i] -= mx;
            y[2 * i + 1] -= my;
        }
    }
}
