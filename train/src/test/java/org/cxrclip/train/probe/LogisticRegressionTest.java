package org.cxrclip.train.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cxrclip.engine.Rng;
import org.cxrclip.train.metrics.RocAuc;
import org.junit.jupiter.api.Test;

class LogisticRegressionTest {
    /** At sklearn's optimum the gradient of Σ logloss + ½‖w‖²/C vanishes: Σ(p−y)x + w/C = 0 and Σ(p−y) = 0. */
    @Test
    void solutionSatisfiesTheOptimalityConditions() {
        int n = 300, d = 6;
        Rng r = new Rng(4);
        float[] x = new float[n * d], y = new float[n];
        double[] truth = {1.5, -2, 0.5, 0, 0, 3};
        for (int i = 0; i < n; i++) {
            double z = -0.3;
            for (int j = 0; j < d; j++) {
                x[i * d + j] = (float) r.nextGaussian();
                z += truth[j] * x[i * d + j];
            }
            y[i] = r.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
        }
        double c = 0.5;
        LogisticRegression m = new LogisticRegression(c).fit(x, y, n, d);
        double[] w = m.weights();
        double[] g = new double[d + 1];
        for (int i = 0; i < n; i++) {
            double z = m.intercept();
            for (int j = 0; j < d; j++) z += w[j] * x[i * d + j];
            double res = 1 / (1 + Math.exp(-z)) - y[i];
            for (int j = 0; j < d; j++) g[j] += res * x[i * d + j];
            g[d] += res;
        }
        for (int j = 0; j < d; j++) assertEquals(0, g[j] + w[j] / c, 1e-6, "weight " + j);
        assertEquals(0, g[d], 1e-6, "intercept");
        assertTrue(w[5] > 1.5 && w[1] < -1, java.util.Arrays.toString(w)); // the strong true weights are recovered in sign
        assertTrue(RocAuc.auc(m.decision(x, n), y) > 0.85);
    }
}
