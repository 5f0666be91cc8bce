package org.cxrclip.train.probe;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.RealVector;

/**
 * Binary L2-regularised logistic regression, as sklearn's {@code LogisticRegression(C)} (penalty ½‖w‖²/C on the
 * weights, intercept not penalised), fitted by Newton's method with step halving: the objective is strictly
 * convex, so a handful of iterations reach the optimum to machine precision for probe-sized features (d ≤ ~1000).
 */
public final class LogisticRegression {
    private final double c;
    private double[] w;
    private double b;

    public LogisticRegression(double c) {
        if (!(c > 0)) throw new IllegalArgumentException("logistic regression: C must be > 0, got " + c);
        this.c = c;
    }

    /** x (n, d) row-major, y in {0, 1}. */
    public LogisticRegression fit(float[] x, float[] y, int n, int d) {
        double[] theta = new double[d + 1]; // weights then intercept
        double f = objective(x, y, n, d, theta);
        for (int iter = 0; iter < 50; iter++) {
            double[] g = new double[d + 1];
            double[][] h = new double[d + 1][d + 1];
            for (int i = 0; i < n; i++) {
                double z = theta[d];
                for (int j = 0; j < d; j++) z += theta[j] * x[i * d + j];
                double p = 1 / (1 + Math.exp(-z)), r = p - y[i], s = p * (1 - p);
                for (int j = 0; j <= d; j++) {
                    double xj = j < d ? x[i * d + j] : 1;
                    g[j] += r * xj;
                    double sx = s * xj;
                    for (int k = 0; k <= j; k++) h[j][k] += sx * (k < d ? x[i * d + k] : 1);
                }
            }
            for (int j = 0; j < d; j++) {
                g[j] += theta[j] / c;
                h[j][j] += 1 / c;
            }
            h[d][d] += 1e-10; // intercept-only directions stay positive definite
            for (int j = 0; j <= d; j++) for (int k = 0; k < j; k++) h[k][j] = h[j][k];
            RealVector step = new CholeskyDecomposition(new Array2DRowRealMatrix(h, false), 1e-14, 1e-14)
                    .getSolver().solve(new ArrayRealVector(g, false));
            double decrement = step.dotProduct(new ArrayRealVector(g, false));
            double t = 1;
            double[] next = new double[d + 1];
            double fn;
            do {
                for (int j = 0; j <= d; j++) next[j] = theta[j] - t * step.getEntry(j);
                fn = objective(x, y, n, d, next);
                t /= 2;
            } while (fn > f && t > 1e-10);
            theta = next.clone();
            boolean done = decrement / 2 < 1e-10 * Math.max(1, Math.abs(f));
            f = fn;
            if (done) break;
        }
        w = java.util.Arrays.copyOf(theta, d);
        b = theta[d];
        return this;
    }

    private double objective(float[] x, float[] y, int n, int d, double[] theta) {
        double f = 0;
        for (int i = 0; i < n; i++) {
            double z = theta[d];
            for (int j = 0; j < d; j++) z += theta[j] * x[i * d + j];
            // log(1 + e^z) − y·z, computed stably
            f += (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - y[i] * z;
        }
        double reg = 0;
        for (int j = 0; j < d; j++) reg += theta[j] * theta[j];
        return f + reg / (2 * c);
    }

    /** Decision values w·x + b for rows of x (n, d). */
    public float[] decision(float[] x, int n) {
        int d = w.length;
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            double z = b;
            for (int j = 0; j < d; j++) z += w[j] * x[i * d + j];
            out[i] = (float) z;
        }
        return out;
    }

    public double[] weights() {
        return w.clone();
    }

    public double intercept() {
        return b;
    }
}
