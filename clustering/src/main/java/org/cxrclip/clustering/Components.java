package org.cxrclip.clustering;

import java.util.Arrays;
import org.apache.commons.math3.special.Gamma;

/**
 * The parameters of a K-component mixture in d dimensions (weights π, means μ, covariances Σ, degrees of
 * freedom ν; ν = +∞ is the Gaussian family) with the M-step that sets them from {@link SufficientStats} and the
 * quantities the E-step needs, derived once per iteration by {@link #prepare}: log π_k plus the normalising
 * constant, 1/σ² (per-dimension types) or the whitening factor L⁻¹ of Σ = L·Lᵀ (matrix types).
 * Per-dimension types keep variances in {@code var} (K, d) (SPHERICAL: all d equal); matrix types keep Σ in
 * {@code cov} (K, d, d) (TIED: K equal copies, so the kernels need no special case).
 */
final class Components {
    final int k, d;
    final CovarianceType type;
    final boolean gaussian;
    final double[] weights, means, var, cov, nu;
    // Derived by prepare():
    final double[] logConst, logDet, prec, whiten;

    Components(int k, int d, CovarianceType type, boolean gaussian) {
        this.k = k;
        this.d = d;
        this.type = type;
        this.gaussian = gaussian;
        weights = new double[k];
        means = new double[k * d];
        var = type.matrix() ? null : new double[k * d];
        cov = type.matrix() ? new double[k * d * d] : null;
        nu = new double[k];
        Arrays.fill(nu, Double.POSITIVE_INFINITY);
        logConst = new double[k];
        logDet = new double[k];
        prec = type.matrix() ? null : new double[k * d];
        whiten = type.matrix() ? new double[k * d * d] : null;
    }

    /** Unit-variance Gaussians at the given centres (K, d): δ² is the squared Euclidean distance (k-means). */
    static Components unitSpheres(double[] centres, int k, int d) {
        Components c = new Components(k, d, CovarianceType.DIAG, true);
        System.arraycopy(centres, 0, c.means, 0, k * d);
        Arrays.fill(c.var, 1);
        Arrays.fill(c.weights, 1.0 / k);
        c.prepare(0);
        return c;
    }

    /** log π_k + log density of component k at squared Mahalanobis distance δ². */
    double logWeightedDensity(int comp, double dist) {
        if (gaussian) return logConst[comp] - 0.5 * dist;
        double v = nu[comp];
        return logConst[comp] - 0.5 * (v + d) * Math.log1p(dist / v);
    }

    /** The Student-t latent scale weight E[u | x] = (ν + d)/(ν + δ²); 1 for Gaussians. */
    double scaleWeight(int comp, double dist) {
        if (gaussian) return 1;
        double v = nu[comp];
        return (v + d) / (v + dist);
    }

    /**
     * Derives the E-step quantities; a matrix that is not numerically positive definite gets growing jitter on
     * its diagonal (recorded in cov) until it factors, so the E-step never sees NaN.
     */
    void prepare(double regCovar) {
        double log2pi = Math.log(2 * Math.PI);
        for (int c = 0; c < k; c++) {
            if (type.matrix()) {
                int off = c * d * d;
                double[] l = Arrays.copyOfRange(cov, off, off + d * d);
                double jitter = Math.max(regCovar, 1e-10 * Math.max(1e-300, trace(c) / d));
                while (!Cholesky.factor(l, 0, d)) {
                    for (int i = 0; i < d; i++) cov[off + i * d + i] += jitter;
                    System.arraycopy(cov, off, l, 0, d * d);
                    jitter *= 10;
                }
                logDet[c] = Cholesky.logDet(l, 0, d);
                Cholesky.invertLower(l, 0, d, whiten, off);
            } else {
                double s = 0;
                for (int j = 0; j < d; j++) {
                    double v = var[c * d + j];
                    prec[c * d + j] = 1 / v;
                    s += Math.log(v);
                }
                logDet[c] = s;
            }
            double lw = Math.log(weights[c]);
            if (gaussian) {
                logConst[c] = lw - 0.5 * (d * log2pi + logDet[c]);
            } else {
                double v = nu[c];
                logConst[c] = lw + Gamma.logGamma((v + d) / 2) - Gamma.logGamma(v / 2)
                        - 0.5 * d * Math.log(v * Math.PI) - 0.5 * logDet[c];
            }
        }
    }

    private double trace(int c) {
        double t = 0;
        for (int i = 0; i < d; i++) t += cov[c * d * d + i * d + i];
        return t;
    }

    /**
     * M-step (Peel & McLachlan 2000): π_k = Στ/n, μ_k = Σwx/Σw, Σ_k = Σw(x−μ)(x−μ)ᵀ/Στ + regCovar·I, and ν_k
     * from {@link NuEquation} when learnNu. Components with less than one sample of responsibility are left
     * unchanged and returned, for the caller to re-seed.
     */
    boolean[] mStep(SufficientStats s, int n, double regCovar, boolean learnNu) {
        boolean[] empty = new boolean[k];
        double[] tied = type == CovarianceType.TIED ? new double[d * d] : null;
        for (int c = 0; c < k; c++) {
            if (!(s.tau[c] >= 1) || !(s.w[c] > 0)) {
                empty[c] = true;
                continue;
            }
            weights[c] = s.tau[c] / n;
            for (int j = 0; j < d; j++) means[c * d + j] = s.sx[c * d + j] / s.w[c];
            if (type.matrix()) {
                double[] target = tied != null ? tied : cov;
                int off = tied != null ? 0 : c * d * d;
                double scale = tied != null ? 1.0 / n : 1.0 / s.tau[c];
                for (int i = 0; i < d; i++) {
                    double mi = means[c * d + i];
                    for (int j = 0; j < d; j++) {
                        double v = s.second[(c * d + i) * d + j] - s.w[c] * mi * means[c * d + j];
                        if (tied != null) target[off + i * d + j] += v * scale;
                        else target[off + i * d + j] = v * scale;
                    }
                }
                if (tied == null) for (int i = 0; i < d; i++) cov[off + i * d + i] += regCovar;
            } else {
                double mean = 0;
                for (int j = 0; j < d; j++) {
                    double m = means[c * d + j];
                    double v = Math.max(0, (s.second[c * d + j] - s.w[c] * m * m) / s.tau[c]);
                    var[c * d + j] = v;
                    mean += v;
                }
                mean /= d;
                for (int j = 0; j < d; j++)
                    var[c * d + j] = (type == CovarianceType.SPHERICAL ? mean : var[c * d + j]) + regCovar;
            }
            if (learnNu && !gaussian) nu[c] = NuEquation.solve(s.logUMinusU[c] / s.tau[c], nu[c], d);
        }
        if (tied != null) {
            for (int i = 0; i < d; i++) tied[i * d + i] += regCovar;
            for (int c = 0; c < k; c++) System.arraycopy(tied, 0, cov, c * d * d, d * d);
        }
        return empty;
    }

    /** Puts component c at the given point with the given per-dimension variances (a re-seed). */
    void reseed(int c, float[] x, int row, double[] globalVar) {
        for (int j = 0; j < d; j++) means[c * d + j] = x[row * d + j];
        if (type.matrix()) {
            if (type == CovarianceType.TIED) return; // the shared matrix stays
            int off = c * d * d;
            Arrays.fill(cov, off, off + d * d, 0);
            for (int j = 0; j < d; j++) cov[off + j * d + j] = globalVar[j];
        } else {
            double mean = Arrays.stream(globalVar).average().orElse(1);
            for (int j = 0; j < d; j++) var[c * d + j] = type == CovarianceType.SPHERICAL ? mean : globalVar[j];
        }
        weights[c] = 1.0 / k;
    }

    void normaliseWeights() {
        double s = 0;
        for (double w : weights) s += w;
        for (int c = 0; c < k; c++) weights[c] /= s;
    }

    /** Free parameters (for BIC): weights, means, covariances, and ν when learned. */
    long parameters(boolean learnNu) {
        return (k - 1) + (long) k * d + type.parameters(k, d) + (learnNu && !gaussian ? k : 0);
    }
}
