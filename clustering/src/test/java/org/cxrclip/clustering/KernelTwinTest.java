package org.cxrclip.clustering;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.cxrclip.engine.Rng;
import org.junit.jupiter.api.Test;

/** The GEMM kernels against the exact double loops on awkward shapes (1, 3, 17, 70 rows past a tile). */
class KernelTwinTest {
    private static Components randomComponents(Rng rng, int k, int d, CovarianceType type) {
        Components c = new Components(k, d, type, true);
        for (int i = 0; i < k; i++) c.weights[i] = 1.0 / k;
        for (int i = 0; i < k * d; i++) c.means[i] = rng.nextGaussian();
        if (type.matrix()) {
            for (int q = 0; q < k; q++) { // A·Aᵀ + I is positive definite
                double[] a = new double[d * d];
                for (int i = 0; i < d * d; i++) a[i] = 0.3 * rng.nextGaussian();
                for (int i = 0; i < d; i++)
                    for (int j = 0; j < d; j++) {
                        double s = i == j ? 1 : 0;
                        for (int p = 0; p < d; p++) s += a[i * d + p] * a[j * d + p];
                        c.cov[q * d * d + i * d + j] = s;
                    }
            }
        } else {
            for (int i = 0; i < k * d; i++) c.var[i] = 0.5 + rng.nextDouble();
        }
        c.prepare(0);
        return c;
    }

    @Test
    void distancesAndSumsMatch() {
        Rng rng = new Rng(11);
        int[][] shapes = {{1, 1, 1}, {3, 3, 2}, {17, 17, 5}, {GemmKernels.TILE + 70, 9, 4}};
        for (int[] s : shapes) {
            int n = s[0], d = s[1], k = s[2];
            float[] x = new float[n * d];
            for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextGaussian();
            for (CovarianceType type : new CovarianceType[] {CovarianceType.DIAG, CovarianceType.FULL}) {
                Components c = randomComponents(rng, k, d, type);
                var exact = new ExactKernels(x, c, type.matrix());
                var fast = new GemmKernels(x, c, type.matrix());
                double[] de = new double[n * k], df = new double[n * k], w = new double[n * k];
                exact.distances(0, n, de);
                fast.distances(0, n, df);
                for (int i = 0; i < n * k; i++) {
                    assertEquals(de[i], df[i], 1e-4 * (1 + de[i]), "distance " + i + " " + type + " n=" + n);
                    w[i] = rng.nextDouble();
                }
                var se = new SufficientStats(k, d, type.matrix());
                var sf = new SufficientStats(k, d, type.matrix());
                exact.accumulate(0, n, w, se);
                fast.accumulate(0, n, w, sf);
                for (int i = 0; i < se.sx.length; i++) assertEquals(se.sx[i], sf.sx[i], 1e-4 * (1 + Math.abs(se.sx[i])));
                for (int i = 0; i < se.second.length; i++)
                    assertEquals(se.second[i], sf.second[i], 1e-4 * (1 + Math.abs(se.second[i])), type + " second " + i);
            }
        }
    }

    @Test
    void choleskyOfAKnownMatrix() {
        // Σ = [[4, 2], [2, 3]] = L·Lᵀ with L = [[2, 0], [1, √2]]; det = 8.
        double[] a = {4, 2, 2, 3};
        Cholesky.factor(a, 0, 2);
        assertEquals(2, a[0], 1e-15);
        assertEquals(1, a[2], 1e-15);
        assertEquals(Math.sqrt(2), a[3], 1e-15);
        assertEquals(0, a[1]);
        assertEquals(Math.log(8), Cholesky.logDet(a, 0, 2), 1e-14);
        double[] inv = new double[4];
        Cholesky.invertLower(a, 0, 2, inv, 0);
        assertEquals(0.5, inv[0], 1e-15);
        assertEquals(-0.5 / Math.sqrt(2), inv[2], 1e-15);
        assertEquals(1 / Math.sqrt(2), inv[3], 1e-15);
    }
}
