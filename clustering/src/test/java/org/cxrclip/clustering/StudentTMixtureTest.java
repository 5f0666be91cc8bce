package org.cxrclip.clustering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.commons.math3.special.Gamma;
import org.junit.jupiter.api.Test;

class StudentTMixtureTest {
    private static final double[] MEANS_3x4 = {0, 0, 0, 0, 10, 0, 0, 0, 0, 10, 0, 0};

    @Test
    void heavyTailedClustersWithGrossOutliers() {
        int d = 4, k = 3;
        Synthetic s = Synthetic.mixture(5, 3000, d, MEANS_3x4, Synthetic.identities(k, d, 1),
                Synthetic.uniformWeights(k), 4, 0.05, 60);
        var opts = MixtureOptions.defaults(k).withCovariance(CovarianceType.DIAG).withSeed(2).withNInit(2);
        var t = StudentTMixture.fixedNu(opts, 4);
        int[][] tl = Synthetic.inliers(s.labels, t.fit(s.x, s.n, d).labels());
        int[][] gl = Synthetic.inliers(s.labels, new GaussianMixture(opts).fit(s.x, s.n, d).labels());
        double ariT = AdjustedRandIndex.of(tl[0], tl[1]), ariG = AdjustedRandIndex.of(gl[0], gl[1]);
        assertTrue(ariT >= 0.95, "t-mixture ARI on inliers " + ariT);
        assertTrue(ariT > ariG + 0.05, "t-mixture ARI " + ariT + " vs Gaussian " + ariG);
    }

    @Test
    void learnedNuLandsNearTheTrueNu() {
        int d = 4, k = 3;
        Synthetic s = Synthetic.mixture(7, 20000, d, MEANS_3x4, Synthetic.identities(k, d, 1),
                Synthetic.uniformWeights(k), 4, 0, 0);
        var t = StudentTMixture.learnedNu(MixtureOptions.defaults(k).withSeed(3).withMaxIter(300));
        t.fit(s.x, s.n, d);
        for (double nu : t.nu()) assertTrue(nu >= 3 && nu <= 6, "learned nu " + nu + " for true 4");
    }

    @Test
    void recoversMeansAndScalesOfHeavyTailedData() {
        int d = 2, k = 2;
        double[] means = {0, 0, 12, 3};
        double[] chol = {1, 0, 0.5, 0.5, 2, 0, 0, 1}; // Σ_0 = [[1, .5], [.5, .5]], Σ_1 = diag(4, 1)
        Synthetic s = Synthetic.mixture(9, 8000, d, means, chol, new double[] {0.6, 0.4}, 4, 0, 0);
        var t = StudentTMixture.fixedNu(MixtureOptions.defaults(k).withCovariance(CovarianceType.FULL), 4);
        t.fit(s.x, s.n, d);
        int[] match = GaussianMixtureTest.matchComponents(t.means(), means, k, d);
        for (int c = 0; c < k; c++) {
            int f = match[c];
            assertEquals(c == 0 ? 0.6 : 0.4, t.weights()[f], 0.02);
            for (int j = 0; j < d; j++) assertEquals(means[c * d + j], t.means()[f * d + j], 0.08, "mean " + c);
            for (int a = 0; a < d; a++)
                for (int b = 0; b < d; b++) {
                    double want = GaussianMixtureTest.trueCov(chol, c, d, a, b);
                    assertEquals(want, t.covariances()[f * 4 + a * d + b], 0.1 * Math.sqrt(
                            GaussianMixtureTest.trueCov(chol, c, d, a, a) * GaussianMixtureTest.trueCov(chol, c, d, b, b)),
                            "scale " + c + " (" + a + "," + b + ")");
                }
        }
    }

    @Test
    void densityMatchesTheClosedFormInOneDimension() {
        // One component at 0 with σ² = 1 and ν = 4: log t(x) = log Γ(5/2) − log Γ(2) − ½ log(4π) − 5/2 log(1 + x²/4).
        Components c = new Components(1, 1, CovarianceType.DIAG, false);
        c.weights[0] = 1;
        c.var[0] = 1;
        c.nu[0] = 4;
        c.prepare(0);
        double x = 1.7;
        double want = Gamma.logGamma(2.5) - Gamma.logGamma(2) - 0.5 * Math.log(4 * Math.PI) - 2.5 * Math.log1p(x * x / 4);
        assertEquals(want, c.logWeightedDensity(0, x * x), 1e-14);
        // Γ(5/2) = 3√π/4, Γ(2) = 1: the same number without Commons Math.
        double byHand = Math.log(3 * Math.sqrt(Math.PI) / 4) - 0.5 * Math.log(4 * Math.PI) - 2.5 * Math.log(1 + x * x / 4);
        assertEquals(byHand, want, 1e-14);
        assertEquals(5 / (4 + x * x), c.scaleWeight(0, x * x), 1e-15);
    }
}
