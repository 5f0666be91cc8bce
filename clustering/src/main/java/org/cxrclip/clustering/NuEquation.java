package org.cxrclip.clustering;

import org.apache.commons.math3.analysis.solvers.BrentSolver;
import org.apache.commons.math3.special.Gamma;

/**
 * The M-step for a Student-t component's degrees of freedom (Peel & McLachlan 2000, eq. 30): ν solves
 * <pre>  −ψ(ν/2) + log(ν/2) + 1 + (1/n_k) Σ_i τ_ik (log u_ik − u_ik) + ψ((ν_old + d)/2) − log((ν_old + d)/2) = 0</pre>
 * where u are the E-step scale weights computed with ν_old. The left side falls from +∞ to 1 + c as ν grows,
 * so the root is bracketed in [MIN, MAX]; when it lies outside, ν is clamped (MAX ≈ Gaussian).
 */
final class NuEquation {
    static final double MIN = 0.1, MAX = 1000;

    private NuEquation() {}

    /**
     * @param meanLogUMinusU (1/n_k) Σ τ (log u − u) for the component
     * @param nuOld          ν used in the E-step that produced u
     * @param d              dimension
     */
    static double solve(double meanLogUMinusU, double nuOld, int d) {
        double a = (nuOld + d) / 2;
        double c = 1 + meanLogUMinusU + Gamma.digamma(a) - Math.log(a);
        if (!Double.isFinite(c)) return nuOld;
        java.util.function.DoubleUnaryOperator f = nu -> -Gamma.digamma(nu / 2) + Math.log(nu / 2) + c;
        if (f.applyAsDouble(MAX) >= 0) return MAX;
        if (f.applyAsDouble(MIN) <= 0) return MIN;
        return new BrentSolver(1e-10, 1e-8).solve(200, f::applyAsDouble, MIN, MAX);
    }
}
