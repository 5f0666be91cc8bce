package org.cxrclip.train.metrics;

import java.util.Arrays;
import org.cxrclip.engine.Rng;

/**
 * Paired bootstrap of the difference of two scorers' macro AUCs on the same images: each resample draws n
 * image indices with replacement (seeded) and uses the same indices for A and B, so the correlation between the
 * scorers is kept. The macro of a resample averages the labels of the group that have both classes in it.
 *
 * <p>The 95 % interval is the 2.5 / 97.5 percentile of the resampled differences. The two-sided p-value tests
 * "no difference" by centring the bootstrap distribution on zero (Davison &amp; Hinkley 1997, §4.4):
 * {@code p = (1 + #{|d*_b − d| >= |d|}) / (B + 1)} over the B resamples with a defined macro; identical scorers
 * give d = 0 and p = 1, and the smallest possible p is 1 / (B + 1).
 *
 * <p>Each label's images are sorted by score once ({@link SortedLabel}); a resample is then a vector of
 * multiplicities and its AUC one O(n) pass, instead of a sort per label, scorer and resample. The per-resample
 * sort ({@link #perLabel}) stays as the naive twin the tests compare with.
 */
public final class PairedBootstrap {
    private PairedBootstrap() {}

    /** Macro AUCs of A and B on all images, their difference A − B, its interval and p-value. */
    public record Result(double aucA, double aucB, double difference, double lo, double hi, double p, int resamples) {}

    /**
     * @param a, b scores (n, L) row-major
     * @param truth (n, L): 1, 0 or NaN (left out of that label's AUC)
     * @param groups (G, L): which labels each group averages
     * @return one result per group
     */
    public static Result[] compare(float[] a, float[] b, float[] truth, int n, int labels, boolean[][] groups,
                                   int resamples, long seed) {
        if (a.length != n * labels || b.length != n * labels || truth.length != n * labels)
            throw new IllegalArgumentException("paired bootstrap: expected " + n + " x " + labels + " scores and labels");
        if (resamples < 1) throw new IllegalArgumentException("paired bootstrap: resamples must be >= 1, got " + resamples);
        int g = groups.length;
        double[] fullA = perLabel(a, truth, n, labels, null), fullB = perLabel(b, truth, n, labels, null);
        SortedLabel[] sa = new SortedLabel[labels], sb = new SortedLabel[labels];
        for (int j = 0; j < labels; j++) {
            sa[j] = new SortedLabel(a, truth, n, labels, j);
            sb[j] = new SortedLabel(b, truth, n, labels, j);
        }
        double[][] diffs = new double[g][resamples];
        int[] valid = new int[g];
        Rng rng = new Rng(seed);
        int[] count = new int[n];
        double[] pa = new double[labels], pb = new double[labels];
        for (int r = 0; r < resamples; r++) {
            java.util.Arrays.fill(count, 0);
            for (int i = 0; i < n; i++) count[rng.nextInt(n)]++;
            for (int j = 0; j < labels; j++) {
                pa[j] = sa[j].auc(count);
                pb[j] = sb[j].auc(count);
            }
            for (int k = 0; k < g; k++) {
                double d = macro(pa, groups[k]) - macro(pb, groups[k]);
                if (!Double.isNaN(d)) diffs[k][valid[k]++] = d;
            }
        }
        Result[] out = new Result[g];
        for (int k = 0; k < g; k++) {
            double ma = macro(fullA, groups[k]), mb = macro(fullB, groups[k]), d = ma - mb;
            double[] ds = Arrays.copyOf(diffs[k], valid[k]);
            Arrays.sort(ds);
            int v = ds.length;
            if (v == 0 || Double.isNaN(d)) {
                out[k] = new Result(ma, mb, d, Double.NaN, Double.NaN, Double.NaN, v);
                continue;
            }
            int extreme = 0;
            for (double x : ds) if (Math.abs(x - d) >= Math.abs(d)) extreme++;
            out[k] = new Result(ma, mb, d, ds[(int) Math.floor(0.025 * (v - 1))], ds[(int) Math.ceil(0.975 * (v - 1))],
                    (1.0 + extreme) / (v + 1.0), v);
        }
        return out;
    }

    /**
     * One label's rows sorted by score, NaN truths dropped: the AUC of a resample given as row multiplicities
     * is the Mann–Whitney count with weights, ties counting one half, in one pass over the tie groups.
     */
    static final class SortedLabel {
        private final int[] row;        // (m) original row of each kept image, ascending score
        private final float[] score;    // (m)
        private final boolean[] positive;

        SortedLabel(float[] s, float[] truth, int n, int labels, int j) {
            Integer[] order = java.util.stream.IntStream.range(0, n).filter(i -> !Float.isNaN(truth[i * labels + j]))
                    .boxed().toArray(Integer[]::new);
            Arrays.sort(order, (x, y) -> Float.compare(s[x * labels + j], s[y * labels + j]));
            row = new int[order.length];
            score = new float[order.length];
            positive = new boolean[order.length];
            for (int k = 0; k < order.length; k++) {
                row[k] = order[k];
                score[k] = s[order[k] * labels + j];
                float t = truth[order[k] * labels + j];
                if (t != 0f && t != 1f) throw new IllegalArgumentException("paired bootstrap: label " + t + " is not 0 or 1");
                if (Float.isNaN(score[k])) throw new IllegalArgumentException("paired bootstrap: NaN score at row " + order[k]);
                positive[k] = t == 1f;
            }
        }

        /** AUC of the resample holding row i {@code count[i]} times; NaN without both classes. */
        double auc(int[] count) {
            double pos = 0, neg = 0, pairs = 0;
            for (int k = 0, m = row.length; k < m; ) {
                double gp = 0, gn = 0;
                int e = k;
                for (; e < m && score[e] == score[k]; e++) {
                    int c = count[row[e]];
                    if (positive[e]) gp += c;
                    else gn += c;
                }
                pairs += gp * (neg + 0.5 * gn);  // negatives below this group, half of those tied with it
                pos += gp;
                neg += gn;
                k = e;
            }
            return pos == 0 || neg == 0 ? Double.NaN : pairs / (pos * neg);
        }
    }

    /** Per-label AUC over the rows {@code idx} (all rows when null); NaN where a label lacks a class. */
    static double[] perLabel(float[] s, float[] truth, int n, int labels, int[] idx) {
        double[] out = new double[labels];
        float[] cs = new float[n], ct = new float[n];
        for (int j = 0; j < labels; j++) {
            for (int i = 0; i < n; i++) {
                int row = idx == null ? i : idx[i];
                cs[i] = s[row * labels + j];
                ct[i] = truth[row * labels + j];
            }
            out[j] = RocAuc.auc(cs, ct);
        }
        return out;
    }

    private static double macro(double[] per, boolean[] in) {
        double s = 0;
        int k = 0;
        for (int j = 0; j < per.length; j++)
            if (in[j] && !Double.isNaN(per[j])) {
                s += per[j];
                k++;
            }
        return k == 0 ? Double.NaN : s / k;
    }
}
