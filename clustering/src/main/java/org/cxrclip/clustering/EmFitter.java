package org.cxrclip.clustering;

import java.util.ArrayList;
import java.util.List;
import org.cxrclip.engine.Rng;

/**
 * The EM loop on prepared data (centred, projected, in canonical row order): trimmed k-means++ and Lloyd steps
 * to start, then E/M iterations until the mean log-likelihood L changes by at most tol·max(1, |L|) or maxIter
 * M-steps ran; components left with under one sample of responsibility are re-seeded at a random row with the
 * data's variances (that iteration may lower L). {@code nInit} restarts with derived seeds keep the best L.
 */
final class EmFitter {
    /** The fitted parameters and how EM got there; trace as in {@link MixtureFit}. */
    record Result(Components comps, double meanLogLikelihood, int iterations, boolean converged, double[] trace,
                  int reseeds) {}

    private final float[] x;
    private final int n, d;
    private final MixtureOptions o;
    private final boolean gaussian, learnNu;
    private final double nu0;
    private final double[] globalVar;

    EmFitter(float[] x, int n, int d, MixtureOptions o, boolean gaussian, double nu0, boolean learnNu) {
        this.x = x;
        this.n = n;
        this.d = d;
        this.o = o;
        this.gaussian = gaussian;
        this.nu0 = nu0;
        this.learnNu = learnNu;
        this.globalVar = variances(x, n, d, o.regCovar());
    }

    private static double[] variances(float[] x, int n, int d, double reg) {
        double[] mean = new double[d], var = new double[d];
        for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) mean[j] += x[i * d + j];
        for (int j = 0; j < d; j++) mean[j] /= n;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++) {
                double t = x[i * d + j] - mean[j];
                var[j] += t * t;
            }
        for (int j = 0; j < d; j++) var[j] = var[j] / n + Math.max(reg, 1e-12);
        return var;
    }

    Result fit() {
        Result best = null;
        for (int r = 0; r < o.nInit(); r++) {
            Result res = run(o.seed() + 0x9E3779B97F4A7C15L * r);
            if (best == null || res.meanLogLikelihood() > best.meanLogLikelihood()) best = res;
        }
        return best;
    }

    /**
     * Starting parameters: trimmed k-means++ centres refined by trimmed Lloyd steps (the farthest
     * {@link KMeansPlusPlus#TRIM} of the rows left out of each mean), then one M-step on the trimmed hard
     * partition, so gross outliers neither hold a centre nor inflate the first covariances.
     */
    Components initialise(Rng rng) {
        int k = o.k();
        KMeansPlusPlus.Seeds seeds = KMeansPlusPlus.seed(x, n, d, k, rng);
        double[] centres = seeds.centres();
        double cap = seeds.cap();
        double[] nearest = new double[n];
        EmPass.Outputs out = new EmPass.Outputs(null, null, null, nearest);
        Components km = Components.unitSpheres(centres, k, d);
        for (int it = 0; it < o.kmeansIterations(); it++) {
            SufficientStats s = EmPass.run(x, n, km, false, true, cap, true, out);
            boolean moved = false;
            for (int c = 0; c < k; c++) {
                if (s.w[c] == 0) continue; // keep an empty centre where it was; EM re-seeds it if it stays empty
                for (int j = 0; j < d; j++) {
                    double m = s.sx[c * d + j] / s.w[c];
                    if (m != centres[c * d + j]) moved = true;
                    centres[c * d + j] = m;
                }
            }
            km = Components.unitSpheres(centres, k, d);
            cap = KMeansPlusPlus.quantile(nearest, 1 - KMeansPlusPlus.TRIM);
            if (!moved) break;
        }
        SufficientStats s = EmPass.run(x, n, km, o.covariance().matrix(), true, cap, true, EmPass.Outputs.NONE);
        Components comps = new Components(k, d, o.covariance(), gaussian);
        if (!gaussian) java.util.Arrays.fill(comps.nu, nu0);
        System.arraycopy(centres, 0, comps.means, 0, k * d);
        reseedEmpty(comps, comps.mStep(s, n, o.regCovar(), false), rng);
        comps.prepare(o.regCovar());
        return comps;
    }

    int reseedEmpty(Components comps, boolean[] empty, Rng rng) {
        int count = 0;
        for (int c = 0; c < empty.length; c++) {
            if (!empty[c]) continue;
            comps.reseed(c, x, rng.nextInt(n), globalVar);
            count++;
        }
        comps.normaliseWeights();
        return count;
    }

    Result run(long seed) {
        Rng rng = new Rng(seed);
        Components comps = initialise(rng);
        List<Double> trace = new ArrayList<>();
        boolean converged = false;
        int iterations = 0, reseeds = 0;
        boolean matrix = o.covariance().matrix();
        double prev = Double.NaN;
        while (true) {
            boolean last = iterations == o.maxIter();
            SufficientStats s = EmPass.run(x, n, comps, matrix, false, !last, EmPass.Outputs.NONE);
            double l = s.logLikelihood / n;
            trace.add(l);
            if (!Double.isNaN(prev) && Math.abs(l - prev) <= o.tol() * Math.max(1, Math.abs(l))) {
                converged = true;
                break;
            }
            if (last) break;
            prev = l;
            reseeds += reseedEmpty(comps, comps.mStep(s, n, o.regCovar(), learnNu), rng);
            comps.prepare(o.regCovar());
            iterations++;
        }
        double[] t = trace.stream().mapToDouble(Double::doubleValue).toArray();
        return new Result(comps, t[t.length - 1], iterations, converged, t, reseeds);
    }
}
