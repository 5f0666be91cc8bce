package org.cxrclip.engine.backend.reference;

import org.cxrclip.engine.backend.UnaryOp;

/**
 * The element-wise functions of {@link UnaryOp} and their derivatives in double precision, written to be
 * obviously right: the reference backend uses them for every element, faster backends for odd tails and as the
 * oracle of their own approximations. erf is computed from two classical expansions (no fitted coefficients),
 * accurate to ~1e-15, so it can serve as ground truth.
 */
public final class UnaryMath {
    private UnaryMath() {}

    static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
    static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
    static final double INV_SQRT_2 = 1 / Math.sqrt(2);
    static final double INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
    static final double GELU_TANH_C = 0.044715;
    static final double QUICK_GELU_C = 1.702;

    /** The error function. */
    public static double erf(double x) {
        if (Double.isNaN(x)) return x;
        if (x < 0) return -erf(-x);
        return x < 3 ? erfSeries(x) : 1 - erfcContinuedFraction(x);
    }

    /** The complementary error function 1 − erf(x), with full relative accuracy for large x. */
    public static double erfc(double x) {
        if (Double.isNaN(x)) return x;
        if (x < 0) return 2 - erfc(-x);
        return x < 3 ? 1 - erfSeries(x) : erfcContinuedFraction(x);
    }

    /**
     * erf(x) = 2/√π · e^(−x²) · Σ_{n≥0} 2ⁿ x^(2n+1) / (1·3·5···(2n+1)) (Abramowitz–Stegun 7.1.6): every term is
     * positive, so there is no cancellation; for 0 ≤ x < 3 it converges in under 100 terms.
     */
    private static double erfSeries(double x) {
        double x2 = x * x;
        double term = x, sum = x;
        for (int n = 1; n < 500; n++) {
            term *= 2 * x2 / (2 * n + 1);
            sum += term;
            if (term <= 1e-17 * sum) break;
        }
        return TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
    }

    /**
     * erfc(x) = e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + ...))))) (A–S 7.1.14), evaluated
     * bottom-up; for x ≥ 3 a depth of 120 is far past convergence.
     */
    private static double erfcContinuedFraction(double x) {
        if (x > 27) return 0; // below the smallest double
        double t = x;
        for (int k = 120; k >= 1; k--) t = x + (0.5 * k) / t;
        return Math.exp(-x * x) / Math.sqrt(Math.PI) / t;
    }

    /** Standard normal CDF Φ(x) = erfc(−x/√2)/2, accurate in the far left tail too. */
    public static double normalCdf(double x) {
        return 0.5 * erfc(-x * INV_SQRT_2);
    }

    public static double sigmoid(double x) {
        return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    }

    /** y = f(x; p0, p1). */
    public static double forward(UnaryOp op, double x, double p0, double p1) {
        return switch (op) {
            case NEG -> -x;
            case EXP -> Math.exp(x);
            case LOG -> Math.log(x);
            case SQRT -> Math.sqrt(x);
            case TANH -> Math.tanh(x);
            case SIGMOID -> sigmoid(x);
            case RELU -> x > 0 ? x : 0;
            case GELU_ERF -> x * normalCdf(x);
            case GELU_TANH -> 0.5 * x * (1 + Math.tanh(SQRT_2_OVER_PI * (x + GELU_TANH_C * x * x * x)));
            case QUICK_GELU -> x * sigmoid(QUICK_GELU_C * x);
            case POW -> Math.pow(x, p0);
            case CLAMP -> Math.min(Math.max(x, p0), p1);
            case AFFINE -> p0 * x + p1;
            case ABS -> Math.abs(x);
        };
    }

    /** f'(x; p0, p1); {@code y} is f(x) as the forward pass stored it. */
    public static double derivative(UnaryOp op, double x, double y, double p0, double p1) {
        return switch (op) {
            case NEG -> -1;
            case EXP -> y;
            case LOG -> 1 / x;
            case SQRT -> 0.5 / y;
            case TANH -> 1 - y * y;
            case SIGMOID -> y * (1 - y);
            case RELU -> x > 0 ? 1 : 0;
            case GELU_ERF -> normalCdf(x) + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x);
            case GELU_TANH -> {
                double t = Math.tanh(SQRT_2_OVER_PI * (x + GELU_TANH_C * x * x * x));
                yield 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * SQRT_2_OVER_PI * (1 + 3 * GELU_TANH_C * x * x);
            }
            case QUICK_GELU -> {
                double s = sigmoid(QUICK_GELU_C * x);
                yield s + QUICK_GELU_C * x * s * (1 - s);
            }
            case POW -> p0 == 0 ? 0 : p0 * Math.pow(x, p0 - 1);
            case CLAMP -> x >= p0 && x <= p1 ? 1 : 0;
            case AFFINE -> p0;
            case ABS -> x > 0 ? 1 : x < 0 ? -1 : 0;
        };
    }
}
