package org.cxrclip.clustering;

import org.cxrclip.engine.Rng;

/**
 * EM one iteration at a time on data used as given (no centring, PCA or canonical ordering, unlike
 * {@link Mixture#fit}): for benchmarks that time a single E+M step, and for callers that want to watch the
 * log-likelihood or stop early. Each {@link #step} runs the fused E-step and M-step and returns the mean
 * log-likelihood of the parameters it started from.
 */
public final class IterativeFit {
    private final float[] x;
    private final int n;
    private final MixtureOptions options;
    private final boolean learnNu;
    private final Rng rng;
    private final EmFitter fitter;
    private final Components comps;

    private IterativeFit(Mixture model, float[] x, int n, int d) {
        if ((long) n * d != x.length)
            throw new IllegalArgumentException("iterative fit: " + x.length + " values do not make " + n
                    + " rows of d = " + d);
        if (n < model.options.k())
            throw new IllegalArgumentException("iterative fit: N = " + n + " samples is fewer than K = "
                    + model.options.k() + " components");
        this.x = x;
        this.n = n;
        this.options = model.options;
        this.learnNu = model.learnNu();
        this.rng = new Rng(options.seed());
        this.fitter = new EmFitter(x, n, d, options, model.gaussian(), model.initialNu(), learnNu);
        this.comps = fitter.initialise(rng);
    }

    /** Initialises (trimmed k-means++ and Lloyd steps) the given model's family and options on x (n, d). */
    public static IterativeFit start(Mixture model, float[] x, int n, int d) {
        return new IterativeFit(model, x, n, d);
    }

    /** One E-step and M-step; returns the mean log-likelihood under the parameters before the step. */
    public double step() {
        SufficientStats s = EmPass.run(x, n, comps, options.covariance().matrix(), false, true,
                EmPass.Outputs.NONE);
        fitter.reseedEmpty(comps, comps.mStep(s, n, options.regCovar(), learnNu), rng);
        comps.prepare(options.regCovar());
        return s.logLikelihood / n;
    }
}
