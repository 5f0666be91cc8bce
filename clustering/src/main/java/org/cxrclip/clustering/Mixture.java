package org.cxrclip.clustering;

import java.util.Arrays;

/**
 * A mixture model fitted by EM on embeddings given as float rows x (n, d) row-major. fit centres the data
 * (and projects it with {@link Pca} when pcaDims > 0), sorts rows canonically ({@link CanonicalOrder}) so the
 * result does not depend on sample order, and runs {@link EmFitter}. Parameters are reported in the fitted
 * space: the input space, or the PCA coordinates when pcaDims > 0. Not thread-safe; fit once, then query.
 */
public abstract sealed class Mixture permits GaussianMixture, StudentTMixture {
    protected final MixtureOptions options;
    private Components comps;
    private double[] centre; // (d) input mean
    private Pca pca;
    private int inDims;

    Mixture(MixtureOptions options) {
        if (options == null) throw new IllegalArgumentException("options are required");
        this.options = options;
    }

    abstract boolean gaussian();

    abstract double initialNu();

    abstract boolean learnNu();

    /** Fits the mixture to x (n, d) and returns the pseudo-labels in the order of the rows given. */
    public MixtureFit fit(float[] x, int n, int d) {
        check(x, n, d, "fit");
        if (n < options.k())
            throw new IllegalArgumentException("fit: N = " + n + " samples is fewer than K = " + options.k()
                    + " components");
        if (options.pcaDims() > d)
            throw new IllegalArgumentException("fit: --pca " + options.pcaDims() + " exceeds the data's d = " + d);
        inDims = d;
        centre = new double[d];
        for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) centre[j] += x[i * d + j];
        for (int j = 0; j < d; j++) centre[j] /= n;
        float[] centred = centred(x, n);
        pca = options.pcaDims() > 0 ? Pca.fit(centred, n, d, options.pcaDims()) : null;
        float[] z = pca != null ? pca.project(centred, n) : centred;
        int dz = pca != null ? pca.outputDims() : d;
        int[] order = CanonicalOrder.of(z, n, dz);
        float[] sorted = new float[n * dz];
        for (int i = 0; i < n; i++) System.arraycopy(z, order[i] * dz, sorted, i * dz, dz);
        EmFitter.Result r = new EmFitter(sorted, n, dz, options, gaussian(), initialNu(), learnNu()).fit();
        comps = r.comps();
        int[] sl = new int[n];
        float[] sp = new float[n];
        SufficientStats s = EmPass.run(sorted, n, comps, false, false, false,
                new EmPass.Outputs(sl, sp, null, null));
        int[] labels = new int[n];
        float[] maxProb = new float[n];
        for (int i = 0; i < n; i++) {
            labels[order[i]] = sl[i];
            maxProb[order[i]] = sp[i];
        }
        return new MixtureFit(labels, maxProb, s.logLikelihood, s.logLikelihood / n, r.iterations(), r.converged(),
                r.trace());
    }

    private static void check(float[] x, int n, int d, String what) {
        if (x == null) throw new IllegalArgumentException(what + ": no data");
        if (n < 1 || d < 1) throw new IllegalArgumentException(what + ": need n >= 1 and d >= 1, got n = " + n
                + ", d = " + d);
        if ((long) n * d != x.length)
            throw new IllegalArgumentException(what + ": " + x.length + " values do not make " + n + " rows of d = "
                    + d);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++)
                if (!Float.isFinite(x[i * d + j]))
                    throw new IllegalArgumentException(what + ": row " + i + " has a non-finite value ("
                            + x[i * d + j] + " in column " + j + ")");
    }

    private float[] centred(float[] x, int n) {
        float[] c = new float[x.length];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < inDims; j++) c[i * inDims + j] = (float) (x[i * inDims + j] - centre[j]);
        return c;
    }

    private float[] prepared(float[] x, int n, String what) {
        if (comps == null) throw new IllegalStateException(what + ": the mixture is not fitted yet");
        if (x != null && n >= 1 && (long) n * inDims != x.length)
            throw new IllegalArgumentException(what + ": " + x.length + " values do not make " + n
                    + " rows of the fitted dimension d = " + inDims);
        check(x, n, inDims, what);
        float[] c = centred(x, n);
        return pca != null ? pca.project(c, n) : c;
    }

    /** Hard labels: the component of largest responsibility for each row of x (n, d). */
    public int[] predict(float[] x, int n) {
        int[] labels = new int[n];
        EmPass.run(prepared(x, n, "predict"), n, comps, false, false, false,
                new EmPass.Outputs(labels, null, null, null));
        return labels;
    }

    /** Responsibilities (n, K) row-major; each row sums to 1. */
    public float[] predictProba(float[] x, int n) {
        float[] p = new float[n * comps().k];
        EmPass.run(prepared(x, n, "predictProba"), n, comps, false, false, false,
                new EmPass.Outputs(null, null, p, null));
        return p;
    }

    /** Mean log-likelihood per row of x (n, d) (in the fitted space: PCA coordinates when pcaDims > 0). */
    public double score(float[] x, int n) {
        return EmPass.run(prepared(x, n, "score"), n, comps, false, false, false, EmPass.Outputs.NONE)
                .logLikelihood / n;
    }

    /** Bayesian information criterion −2·log L + p·log n; lower is better. */
    public double bic(float[] x, int n) {
        return -2 * score(x, n) * n + comps().parameters(learnNu()) * Math.log(n);
    }

    private Components comps() {
        if (comps == null) throw new IllegalStateException("the mixture is not fitted yet");
        return comps;
    }

    public MixtureOptions options() {
        return options;
    }

    /** Mixing weights (K). */
    public double[] weights() {
        return comps().weights.clone();
    }

    /** Means (K, D) row-major, in input coordinates (or PCA coordinates when pcaDims > 0). */
    public double[] means() {
        Components c = comps();
        double[] m = c.means.clone();
        if (pca == null) for (int k = 0; k < c.k; k++) for (int j = 0; j < c.d; j++) m[k * c.d + j] += centre[j];
        return m;
    }

    /** Covariances: (K, D) variances for DIAG and SPHERICAL, (K, D, D) matrices for FULL and TIED. */
    public double[] covariances() {
        Components c = comps();
        return c.type.matrix() ? c.cov.clone() : c.var.clone();
    }

    /** Degrees of freedom per component (+∞ for the Gaussian mixture). */
    public double[] nu() {
        return comps().nu.clone();
    }

    /** The dimension the mixture lives in (D after PCA, else d). */
    public int dims() {
        return comps().d;
    }

    /** The PCA projection used, or null. */
    public Pca pca() {
        return pca;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + options + (comps == null ? " (not fitted)"
                : " weights=" + Arrays.toString(comps.weights));
    }
}
