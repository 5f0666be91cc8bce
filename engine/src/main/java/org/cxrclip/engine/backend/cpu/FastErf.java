package org.cxrclip.engine.backend.cpu;

import org.cxrclip.engine.backend.reference.UnaryMath;

/**
 * erf / erfc / Φ for the GELU kernels, ~20× cheaper than the reference series: a table of degree-7 Taylor
 * expansions of erfc at the nodes z₀ = k/32 on [0, 6], built once from the reference erf. The derivatives are
 * exact: erfc⁽ⁿ⁾(z) = −(2/√π)·(−1)ⁿ⁻¹·Hₙ₋₁(z)·e^(−z²) with the Hermite polynomials Hₙ. With |z − z₀| ≤ 1/64 the
 * first omitted term is below 1e-10 relative to erfc(z), so erf and erfc keep full float accuracy (the tests
 * compare against the reference on a dense grid). Beyond z = 6 (erfc < 3e-17) the reference continued
 * fraction is used.
 */
final class FastErf {
    private FastErf() {}

    private static final int PER_UNIT = 32;
    private static final double Z_MAX = 6;
    private static final int NODES = (int) (Z_MAX * PER_UNIT) + 1;
    private static final int DEGREE = 7;
    /** Per node: erf(z₀), erfc(z₀), then c₁..c₇ with cₙ = erfc⁽ⁿ⁾(z₀)/n!. */
    private static final int ROW = DEGREE + 2;
    private static final double[] TABLE = build();

    private static double[] build() {
        double[] t = new double[NODES * ROW];
        double twoOverSqrtPi = 2 / Math.sqrt(Math.PI);
        for (int k = 0; k < NODES; k++) {
            double z = (double) k / PER_UNIT;
            t[k * ROW] = UnaryMath.erf(z);
            t[k * ROW + 1] = UnaryMath.erfc(z);
            double g = Math.exp(-z * z);
            double hPrev = 0, h = 1; // H₋₁ (unused), H₀
            double factorial = 1;
            for (int n = 1; n <= DEGREE; n++) {
                // h = H_{n-1}(z)
                factorial *= n;
                double sign = (n - 1) % 2 == 0 ? 1 : -1;
                t[k * ROW + 1 + n] = -twoOverSqrtPi * sign * h * g / factorial;
                double next = 2 * z * h - 2 * (n - 1) * hPrev; // H_n = 2z·H_{n−1} − 2(n−1)·H_{n−2}
                hPrev = h;
                h = next;
            }
        }
        return t;
    }

    /** erfc(z) − erfc(z₀) for z ≥ 0 near node k: Σₙ cₙ dⁿ. */
    private static double delta(int base, double d) {
        double[] t = TABLE;
        double p = t[base + 8];
        for (int j = 7; j >= 2; j--) p = p * d + t[base + j];
        return p * d;
    }

    static double erf(double x) {
        double z = Math.abs(x);
        if (!(z < Z_MAX)) return z >= Z_MAX ? Math.copySign(UnaryMath.erf(z), x) : x;
        int k = (int) (z * PER_UNIT + 0.5);
        int base = k * ROW;
        double r = TABLE[base] - delta(base, z - (double) k / PER_UNIT);
        return x < 0 ? -r : r;
    }

    static double erfc(double x) {
        if (x < 0) return 2 - erfc(-x);
        if (!(x < Z_MAX)) return x >= Z_MAX ? UnaryMath.erfc(x) : x;
        int k = (int) (x * PER_UNIT + 0.5);
        int base = k * ROW;
        return TABLE[base + 1] + delta(base, x - (double) k / PER_UNIT);
    }

    /** Standard normal CDF Φ(x) = erfc(−x/√2)/2. */
    static double normalCdf(double x) {
        double z = -x * 0.7071067811865476;
        return z >= 0 ? 0.5 * erfc(z) : 1 - 0.5 * erfc(-z);
    }
}
