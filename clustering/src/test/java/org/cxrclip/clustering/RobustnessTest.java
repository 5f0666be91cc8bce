package org.cxrclip.clustering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cxrclip.engine.Rng;
import org.junit.jupiter.api.Test;

/** Embedding-sized problems, degenerate data and bad input. */
class RobustnessTest {
    private static void assertAllFinite(double[] v, String what) {
        for (int i = 0; i < v.length; i++) assertTrue(Double.isFinite(v[i]), what + "[" + i + "] = " + v[i]);
    }

    @Test
    void d512K40RunsWithoutNaN() {
        int n = 3000, d = 512, k = 40;
        float[] x = SyntheticEmbeddings.aroundDirections(1, n, d, k);
        MixtureOptions o = MixtureOptions.defaults(k).withMaxIter(8);
        for (Mixture m : new Mixture[] {new GaussianMixture(o), StudentTMixture.learnedNu(o),
                StudentTMixture.fixedNu(o.withCovariance(CovarianceType.SPHERICAL), 4)}) {
            MixtureFit fit = m.fit(x, n, d);
            assertTrue(Double.isFinite(fit.logLikelihood()), m + " loglik");
            assertAllFinite(m.means(), "means");
            assertAllFinite(m.covariances(), "covariances");
            assertAllFinite(m.weights(), "weights");
            assertEquals(1, java.util.Arrays.stream(m.weights()).sum(), 1e-9);
            for (int i = 0; i < n; i++) {
                assertTrue(fit.labels()[i] >= 0 && fit.labels()[i] < k);
                assertTrue(fit.maxProb()[i] >= 1.0 / k - 1e-6 && fit.maxProb()[i] <= 1 + 1e-6, "maxProb " + fit.maxProb()[i]);
            }
            float[] p = m.predictProba(java.util.Arrays.copyOf(x, 5 * d), 5);
            for (int i = 0; i < 5; i++) {
                double s = 0;
                for (int c = 0; c < k; c++) s += p[i * k + c];
                assertEquals(1, s, 1e-4, "responsibilities of row " + i + " sum to 1");
            }
        }
    }

    @Test
    void duplicatedRowsAndMoreComponentsThanDistinctPointsStayFinite() {
        // 60 rows but only 3 distinct points, K = 5: at least two components have nothing of their own.
        int n = 60, d = 2;
        float[] x = new float[n * d];
        for (int i = 0; i < n; i++) {
            x[i * d] = i % 3;
            x[i * d + 1] = (i % 3) * 2;
        }
        for (CovarianceType type : CovarianceType.values()) {
            for (Mixture m : new Mixture[] {new GaussianMixture(MixtureOptions.defaults(5).withCovariance(type)),
                    StudentTMixture.learnedNu(MixtureOptions.defaults(5).withCovariance(type))}) {
                MixtureFit fit = m.fit(x, n, d);
                assertTrue(Double.isFinite(fit.logLikelihood()), type + " " + m);
                assertAllFinite(m.means(), type + " means");
                assertAllFinite(m.covariances(), type + " covariances");
                if (m instanceof StudentTMixture) assertAllFinite(m.nu(), type + " nu");
                assertEquals(fit.labels()[0], fit.labels()[3], "identical rows share a cluster");
            }
        }
    }

    @Test
    void pcaFindsTheKnownAxes() {
        // Variances 9, 4, 0.01, 0.01, 0.01 along the axes: PCA to 2 keeps axes e0, e1 with those variances.
        int n = 20000, d = 5;
        double[] sd = {3, 2, 0.1, 0.1, 0.1};
        Rng rng = new Rng(4);
        float[] x = new float[n * d];
        for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) x[i * d + j] = (float) (5 + sd[j] * rng.nextGaussian());
        var gm = new GaussianMixture(MixtureOptions.defaults(1).withPcaDims(2));
        gm.fit(x, n, d);
        double[] ev = gm.pca().explainedVariance(), axes = gm.pca().axes();
        assertEquals(9, ev[0], 0.3);
        assertEquals(4, ev[1], 0.15);
        assertEquals(1, axes[0], 1e-3);
        assertEquals(1, axes[d + 1], 1e-3);
        assertEquals(2, gm.dims());
        assertEquals(9, gm.covariances()[0], 0.3);
        assertEquals(0, gm.means()[0], 0.05); // PCA coordinates are centred
    }

    @Test
    void badInputGetsClearErrors() {
        var gm = new GaussianMixture(MixtureOptions.defaults(2));
        float[] nan = {0, 0, 1, 1, 2, Float.NaN, 3, 3};
        var e = assertThrows(IllegalArgumentException.class, () -> gm.fit(nan, 4, 2));
        assertEquals("fit: row 2 has a non-finite value (NaN in column 1)", e.getMessage());
        float[] inf = {0, Float.POSITIVE_INFINITY};
        assertTrue(assertThrows(IllegalArgumentException.class, () -> gm.fit(inf, 2, 1)).getMessage()
                .contains("row 1 has a non-finite value (Infinity"));
        e = assertThrows(IllegalArgumentException.class,
                () -> new GaussianMixture(MixtureOptions.defaults(40)).fit(new float[20], 10, 2));
        assertEquals("fit: N = 10 samples is fewer than K = 40 components", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> gm.fit(new float[7], 4, 2));
        assertEquals("fit: 7 values do not make 4 rows of d = 2", e.getMessage());
        assertThrows(IllegalStateException.class, () -> gm.predict(new float[2], 1));
        gm.fit(new float[] {0, 0, 0, 1, 5, 5, 5, 6}, 4, 2);
        e = assertThrows(IllegalArgumentException.class, () -> gm.predict(new float[6], 2));
        assertEquals("predict: 6 values do not make 2 rows of the fitted dimension d = 2", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> MixtureOptions.defaults(0));
        assertEquals("k must be >= 1, got 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> CovarianceType.parse("banana"));
        assertEquals("unknown covariance type 'banana' (expected full, diag, spherical or tied)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new GaussianMixture(MixtureOptions.defaults(1).withPcaDims(3)).fit(new float[4], 2, 2));
        assertEquals("fit: --pca 3 exceeds the data's d = 2", e.getMessage());
    }
}
