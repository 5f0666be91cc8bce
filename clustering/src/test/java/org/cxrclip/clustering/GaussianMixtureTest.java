package org.cxrclip.clustering;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class GaussianMixtureTest {
    @Test
    void oneDimensionalTwoComponentsWorkedByHand() {
        // Clusters {0, 1} and {10, 11}: cross-responsibilities are ~e^-200, so EM's fixed point is π = 1/2,
        // μ = 0.5 and 10.5, σ² = 0.25 (+ regCovar 1e-6). Each point is 0.5 = 1σ from its mean:
        // log L per point = log ½ − ½ log(2π·0.25) − ½ = −1.418938533...
        float[] x = {0, 1, 10, 11};
        var gm = new GaussianMixture(MixtureOptions.defaults(2).withCovariance(CovarianceType.DIAG));
        MixtureFit fit = gm.fit(x, 4, 1);
        double[] m = gm.means();
        Arrays.sort(m);
        assertArrayEquals(new double[] {0.5, 10.5}, m, 1e-6);
        assertArrayEquals(new double[] {0.25 + 1e-6, 0.25 + 1e-6}, gm.covariances(), 1e-9);
        assertArrayEquals(new double[] {0.5, 0.5}, gm.weights(), 1e-12);
        double v = 0.25 + 1e-6;
        double perPoint = Math.log(0.5) - 0.5 * Math.log(2 * Math.PI * v) - 0.5 * 0.25 / v;
        assertEquals(perPoint, fit.meanLogLikelihood(), 1e-9);
        assertEquals(4 * perPoint, fit.logLikelihood(), 1e-8);
        assertEquals(fit.labels()[0], fit.labels()[1]);
        assertEquals(fit.labels()[2], fit.labels()[3]);
        assertTrue(fit.labels()[0] != fit.labels()[2]);
        assertTrue(fit.converged());
        // BIC = −2 log L + p log n with p = 1 weight + 2 means + 2 variances.
        assertEquals(-2 * 4 * perPoint + 5 * Math.log(4), gm.bic(x, 4), 1e-8);
        assertArrayEquals(new int[] {fit.labels()[0], fit.labels()[2]}, gm.predict(new float[] {0.4f, 10.2f}, 2));
    }

    /**
     * Two far-apart clusters of four 2-D points (cross-responsibilities ~e^-70), worked by hand as scikit-learn
     * defines the shared shapes. A = {(0,0), (2,0), (0,1), (2,1)}: mean (1, 0.5), variances (1, 0.25);
     * B = {(10,10), (11,10), (10,13), (11,13)}: mean (10.5, 11.5), variances (0.25, 2.25); no covariance.
     * SPHERICAL: one variance per component, the mean of its variances: 0.625 and 1.25.
     * TIED: one matrix for all, the count-weighted mean of the components' covariances: diag(0.625, 1.25).
     * Each + regCovar 1e-6 on the diagonal. BIC parameters: 1 weight + 4 means + 2 (spherical) or 3 (tied).
     */
    @Test
    void sphericalAndTiedTwoDimensionalWorkedByHand() {
        float[] x = {0, 0, 2, 0, 0, 1, 2, 1, 10, 10, 11, 10, 10, 13, 11, 13};
        double reg = 1e-6, va = 0.625 + reg, vb = 1.25 + reg;
        double half = Math.log(0.5), log2pi = Math.log(2 * Math.PI);

        var sph = new GaussianMixture(MixtureOptions.defaults(2).withCovariance(CovarianceType.SPHERICAL));
        MixtureFit fs = sph.fit(x, 8, 2);
        int a = sph.means()[0] < sph.means()[2] ? 0 : 1, b = 1 - a;
        assertArrayEquals(new double[] {1, 0.5, 10.5, 11.5}, new double[] {sph.means()[2 * a], sph.means()[2 * a + 1],
                sph.means()[2 * b], sph.means()[2 * b + 1]}, 1e-6);
        double[] sv = sph.covariances(); // (K, D), one value repeated per component
        assertArrayEquals(new double[] {va, va, vb, vb}, new double[] {sv[2 * a], sv[2 * a + 1], sv[2 * b], sv[2 * b + 1]}, 1e-9);
        assertArrayEquals(new double[] {0.5, 0.5}, sph.weights(), 1e-12);
        // Σ over a cluster of log N(x; μ, σ²I) = −4·log(2πσ²) − Σ‖x − μ‖²/(2σ²), with Σ‖x − μ‖² = 5 (A) and 10 (B).
        double llS = 8 * half - 4 * Math.log(2 * Math.PI * va) - 5 / (2 * va) - 4 * Math.log(2 * Math.PI * vb) - 10 / (2 * vb);
        assertEquals(llS, fs.logLikelihood(), 1e-8);
        assertEquals(-2 * llS + 7 * Math.log(8), sph.bic(x, 8), 1e-7);
        assertEquals(fs.labels()[0], fs.labels()[3]);
        assertTrue(fs.labels()[0] != fs.labels()[4]);

        var tied = new GaussianMixture(MixtureOptions.defaults(2).withCovariance(CovarianceType.TIED));
        MixtureFit ft = tied.fit(x, 8, 2);
        double[] tc = tied.covariances(); // (K, D, D), the same matrix twice
        assertArrayEquals(new double[] {va, 0, 0, vb, va, 0, 0, vb}, tc, 1e-9);
        // log N = −log 2π − ½ log(va·vb) − ½(dx²/va + dy²/vb); Σdx² = 4 + 1, Σdy² = 1 + 9 over both clusters.
        double llT = 8 * half - 8 * log2pi - 4 * Math.log(va * vb) - 0.5 * (5 / va + 10 / vb);
        assertEquals(llT, ft.logLikelihood(), 1e-8);
        assertEquals(-2 * llT + 8 * Math.log(8), tied.bic(x, 8), 1e-7);
    }

    @Test
    void recoversKnownParametersOfFullCovarianceGaussians() {
        int d = 2;
        double[] means = {0, 0, 8, 0, 0, 8};
        // Scale factors L: Σ_0 = [[1, .6], [.6, 1]], Σ_1 = diag(4, .25), Σ_2 = I.
        double[] chol = {1, 0, 0.6, 0.8, 2, 0, 0, 0.5, 1, 0, 0, 1};
        double[] weights = {0.5, 0.3, 0.2};
        Synthetic s = Synthetic.mixture(3, 12000, d, means, chol, weights, Double.POSITIVE_INFINITY, 0, 0);
        var gm = new GaussianMixture(MixtureOptions.defaults(3).withCovariance(CovarianceType.FULL).withSeed(1));
        MixtureFit fit = gm.fit(s.x, s.n, d);
        assertTrue(AdjustedRandIndex.of(s.labels, fit.labels()) > 0.97, "ARI");
        int[] match = matchComponents(gm.means(), means, 3, d);
        double[] cov = gm.covariances();
        for (int c = 0; c < 3; c++) {
            int f = match[c];
            assertEquals(weights[c], gm.weights()[f], 0.02, "weight " + c);
            for (int j = 0; j < d; j++) assertEquals(means[c * d + j], gm.means()[f * d + j], 0.1, "mean " + c);
            for (int a = 0; a < d; a++)
                for (int b = 0; b < d; b++) {
                    double want = trueCov(chol, c, d, a, b);
                    // 4 standard errors of a sample covariance: sqrt((Σaa·Σbb + Σab²)/n_c).
                    double se = Math.sqrt((trueCov(chol, c, d, a, a) * trueCov(chol, c, d, b, b) + want * want)
                            / (s.n * weights[c]));
                    assertEquals(want, cov[f * 4 + a * d + b], 4 * se, "cov " + c + " (" + a + "," + b + ")");
                }
        }
    }

    static double trueCov(double[] chol, int c, int d, int a, int b) {
        double v = 0;
        for (int p = 0; p < d; p++) v += chol[c * d * d + a * d + p] * chol[c * d * d + b * d + p];
        return v;
    }

    /** For each true component, the fitted component whose mean is nearest. */
    static int[] matchComponents(double[] fitted, double[] truth, int k, int d) {
        int[] match = new int[k];
        for (int c = 0; c < k; c++) {
            double best = Double.MAX_VALUE;
            for (int f = 0; f < k; f++) {
                double s = 0;
                for (int j = 0; j < d; j++) s += Math.pow(fitted[f * d + j] - truth[c * d + j], 2);
                if (s < best) {
                    best = s;
                    match[c] = f;
                }
            }
        }
        assertEquals(k, Arrays.stream(match).distinct().count(), "each true component has its own fitted one");
        return match;
    }
}
