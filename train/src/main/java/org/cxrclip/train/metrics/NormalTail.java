package org.cxrclip.train.metrics;

/**
 * Two-sided p-values of a standard normal statistic, {@code P(|Z| >= |z|) = erfc(|z| / √2)}, to near double
 * precision without a statistics library: erf by its everywhere-positive series
 * {@code erf(x) = 2/√π · e^(−x²) · Σ 2ⁿ x^(2n+1) / (1·3···(2n+1))} below 3 (no cancellation), erfc by its
 * continued fraction (modified Lentz) above.
 */
public final class NormalTail {
    private NormalTail() {}

    /** {@code P(|Z| >= |z|)} for a standard normal Z; 1 at z = 0, NaN for NaN. */
    public static double twoSided(double z) {
        if (Double.isNaN(z)) return Double.NaN;
        return erfc(Math.abs(z) / Math.sqrt(2));
    }

    /** Complementary error function for x >= 0. */
    static double erfc(double x) {
        if (x < 0) throw new IllegalArgumentException("erfc: x must be >= 0, got " + x);
        if (Double.isInfinite(x)) return 0;
        if (x < 3) {
            double term = x, sum = x;
            for (int n = 1; n < 200 && term > 1e-17 * sum; n++) {
                term *= 2 * x * x / (2 * n + 1);
                sum += term;
            }
            return 1 - 2 / Math.sqrt(Math.PI) * Math.exp(-x * x) * sum;
        }
        // erfc(x) = e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))), a_k = k/2.
        double tiny = 1e-300, f = x, c = x, d = 0;
        for (int k = 1; k < 500; k++) {
            double a = k / 2.0;
            d = x + a * d;
            d = Math.abs(d) < tiny ? tiny : d;
            c = x + a / c;
            c = Math.abs(c) < tiny ? tiny : c;
            d = 1 / d;
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1) < 1e-16) break;
        }
        return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
    }
}
