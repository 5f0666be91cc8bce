package org.cxrclip.clustering;

import org.cxrclip.engine.Parallel;

/**
 * One pass over the data (n, d): the E-step for given components (log-space responsibilities by log-sum-exp,
 * Student-t scale weights) fused with the M-step sums, or a hard (k-means) assignment. The rows are cut into
 * a number of blocks that depends only on (n, K, d), each with its own {@link SufficientStats}, merged in block
 * order: the result is the same for any thread count.
 */
final class EmPass {
    private static final int SUB = 1024;
    private static final long STATS_BUDGET = 256L << 20;

    private EmPass() {}

    /** Optional per-sample outputs of a pass; any may be null. proba is (n, K). */
    record Outputs(int[] labels, float[] maxProb, float[] proba, double[] sampleLogLik) {
        static final Outputs NONE = new Outputs(null, null, null, null);
    }

    static int blocks(int n, int k, int d, boolean matrixStats) {
        long byMemory = Math.max(1, STATS_BUDGET / SufficientStats.bytes(k, d, matrixStats));
        return (int) Math.max(1, Math.min(Math.min(64, (n + 2047) / 2048), byMemory));
    }

    /**
     * Runs the pass. hard: each sample belongs wholly to its nearest component (δ², as k-means), except that
     * samples farther than trimAbove count for none (trimmed k-means); the log-likelihood is left 0 and
     * sampleLogLik receives the nearest δ² instead. accumulate: collect the M-step sums with second moments per dimension or d×d (matrixStats).
     */
    static SufficientStats run(float[] x, int n, Components comps, boolean matrixStats, boolean hard,
                               boolean accumulate, Outputs out) {
        return run(x, n, comps, matrixStats, hard, Double.POSITIVE_INFINITY, accumulate, out);
    }

    static SufficientStats run(float[] x, int n, Components comps, boolean matrixStats, boolean hard,
                               double trimAbove, boolean accumulate, Outputs out) {
        int k = comps.k, d = comps.d;
        BlockKernels kern = BlockKernels.of(x, comps, matrixStats);
        int nb = blocks(n, k, d, matrixStats);
        SufficientStats[] parts = new SufficientStats[nb];
        Parallel.forChunks(nb, blk -> {
            int start = (int) ((long) n * blk / nb), end = (int) ((long) n * (blk + 1) / nb);
            SufficientStats s = new SufficientStats(k, d, matrixStats);
            double[] dist = new double[SUB * k], w = new double[SUB * k], logp = new double[k];
            for (int r0 = start; r0 < end; r0 += SUB) {
                int b = Math.min(SUB, end - r0);
                kern.distances(r0, b, dist);
                for (int i = 0; i < b; i++) {
                    int row = r0 + i, o = i * k;
                    if (hard) {
                        int best = 0;
                        for (int c = 1; c < k; c++) if (dist[o + c] < dist[o + best]) best = c;
                        boolean kept = dist[o + best] <= trimAbove;
                        for (int c = 0; c < k; c++) w[o + c] = c == best && kept ? 1 : 0;
                        if (kept) {
                            s.tau[best] += 1;
                            s.w[best] += 1;
                        }
                        if (out.labels != null) out.labels[row] = best;
                        if (out.sampleLogLik != null) out.sampleLogLik[row] = dist[o + best];
                        if (out.maxProb != null) out.maxProb[row] = 1f;
                        continue;
                    }
                    double max = Double.NEGATIVE_INFINITY;
                    for (int c = 0; c < k; c++) {
                        logp[c] = comps.logWeightedDensity(c, dist[o + c]);
                        if (logp[c] > max) max = logp[c];
                    }
                    double sum = 0;
                    for (int c = 0; c < k; c++) sum += Math.exp(logp[c] - max);
                    double lse = max + Math.log(sum);
                    s.logLikelihood += lse;
                    int best = 0;
                    double bestTau = -1;
                    for (int c = 0; c < k; c++) {
                        double tau = Math.exp(logp[c] - lse);
                        double u = comps.scaleWeight(c, dist[o + c]);
                        w[o + c] = tau * u;
                        s.tau[c] += tau;
                        s.w[c] += tau * u;
                        if (!comps.gaussian) s.logUMinusU[c] += tau * (Math.log(u) - u);
                        if (tau > bestTau) {
                            bestTau = tau;
                            best = c;
                        }
                        if (out.proba != null) out.proba[row * k + c] = (float) tau;
                    }
                    if (out.labels != null) out.labels[row] = best;
                    if (out.maxProb != null) out.maxProb[row] = (float) bestTau;
                    if (out.sampleLogLik != null) out.sampleLogLik[row] = lse;
                }
                if (accumulate) kern.accumulate(r0, b, w, s);
            }
            parts[blk] = s;
        });
        SufficientStats total = new SufficientStats(k, d, matrixStats);
        for (SufficientStats p : parts) total.add(p);
        return total;
    }
}
