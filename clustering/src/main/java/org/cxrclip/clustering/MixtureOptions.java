package org.cxrclip.clustering;

/**
 * Settings of a mixture fit. {@code regCovar} is added to every variance (the covariance diagonal) so no
 * component collapses onto a point; {@code tol} stops EM when the mean per-sample log-likelihood changes by
 * less than {@code tol · max(1, |L|)}; {@code nInit} restarts from different k-means++ seeds keep the best
 * log-likelihood; {@code pcaDims} (0 = off) projects the data onto its leading principal axes first;
 * {@code kmeansIterations} Lloyd steps refine the k-means++ centres before the first EM step.
 */
public record MixtureOptions(int k, CovarianceType covariance, double regCovar, int maxIter, double tol, int nInit,
                             long seed, int pcaDims, int kmeansIterations) {

    public MixtureOptions {
        if (k < 1) throw new IllegalArgumentException("k must be >= 1, got " + k);
        if (covariance == null) throw new IllegalArgumentException("covariance type is required");
        if (!(regCovar >= 0) || Double.isInfinite(regCovar))
            throw new IllegalArgumentException("regCovar must be a finite value >= 0, got " + regCovar);
        if (maxIter < 1) throw new IllegalArgumentException("maxIter must be >= 1, got " + maxIter);
        if (!(tol >= 0)) throw new IllegalArgumentException("tol must be >= 0, got " + tol);
        if (nInit < 1) throw new IllegalArgumentException("nInit must be >= 1, got " + nInit);
        if (pcaDims < 0) throw new IllegalArgumentException("pcaDims must be >= 0 (0 = no PCA), got " + pcaDims);
        if (kmeansIterations < 0)
            throw new IllegalArgumentException("kmeansIterations must be >= 0, got " + kmeansIterations);
    }

    /** K components, diagonal covariances, regCovar 1e-6, 100 iterations, tol 1e-6, one start, seed 0, no PCA. */
    public static MixtureOptions defaults(int k) {
        return new MixtureOptions(k, CovarianceType.DIAG, 1e-6, 100, 1e-6, 1, 0L, 0, 10);
    }

    public MixtureOptions withCovariance(CovarianceType c) {
        return new MixtureOptions(k, c, regCovar, maxIter, tol, nInit, seed, pcaDims, kmeansIterations);
    }

    public MixtureOptions withRegCovar(double r) {
        return new MixtureOptions(k, covariance, r, maxIter, tol, nInit, seed, pcaDims, kmeansIterations);
    }

    public MixtureOptions withMaxIter(int m) {
        return new MixtureOptions(k, covariance, regCovar, m, tol, nInit, seed, pcaDims, kmeansIterations);
    }

    public MixtureOptions withTol(double t) {
        return new MixtureOptions(k, covariance, regCovar, maxIter, t, nInit, seed, pcaDims, kmeansIterations);
    }

    public MixtureOptions withNInit(int n) {
        return new MixtureOptions(k, covariance, regCovar, maxIter, tol, n, seed, pcaDims, kmeansIterations);
    }

    public MixtureOptions withSeed(long s) {
        return new MixtureOptions(k, covariance, regCovar, maxIter, tol, nInit, s, pcaDims, kmeansIterations);
    }

    public MixtureOptions withPcaDims(int p) {
        return new MixtureOptions(k, covariance, regCovar, maxIter, tol, nInit, seed, p, kmeansIterations);
    }

    public MixtureOptions withKmeansIterations(int i) {
        return new MixtureOptions(k, covariance, regCovar, maxIter, tol, nInit, seed, pcaDims, i);
    }
}
