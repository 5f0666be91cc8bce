package org.cxrclip.train.metrics;

import java.util.Arrays;

/**
 * DeLong, DeLong &amp; Clarke-Pearson (1988) test for two correlated ROC-AUCs on the same images, computed by the
 * fast algorithm of Sun &amp; Xu (2014): with m positives and n negatives, each scorer's AUC and structural
 * components come from three mid-rankings (positives alone, negatives alone, all together) in O(N log N)
 * instead of the m·n comparison matrix. Ties count one half, so the AUCs equal {@link RocAuc}.
 *
 * <p>For scorers r, s: {@code V10_r[i] = (Tz_r[i] − Tx_r[i]) / n} (positive i's share of negatives below it),
 * {@code V01_r[j] = 1 − (Tz_r[m+j] − Ty_r[j]) / m} (negative j's share of positives above it);
 * {@code Cov(AUC_r, AUC_s) = S10[r][s] / m + S01[r][s] / n} with S the sample covariances (divisor m−1, n−1).
 * The difference test is {@code z = (AUC_a − AUC_b) / √(Var_a + Var_b − 2 Cov_ab)}, two-sided normal p.
 */
public final class DeLong {
    private DeLong() {}

    /** AUC per scorer and their (k, k) covariance matrix; NaN entries when m < 2 or n < 2. */
    public record Estimate(double[] auc, double[][] covariance) {}

    /** One paired comparison of scorer A with scorer B. */
    public record Comparison(double aucA, double aucB, double difference, double variance, double z, double p,
                             int positives, int negatives) {}

    /**
     * Compares two scorers on the same images. {@code truth} is 1, 0 or NaN (left out, as in {@link RocAuc}).
     * Identical scorers (zero variance, zero difference) give z = 0 and p = 1; all results are NaN when the
     * images do not hold at least two of each class.
     */
    public static Comparison compare(float[] a, float[] b, float[] truth) {
        if (a.length != truth.length || b.length != truth.length)
            throw new IllegalArgumentException("delong: " + a.length + " and " + b.length + " scores for " + truth.length + " labels");
        int m = 0, n = 0;
        for (int i = 0; i < truth.length; i++) {
            if (Float.isNaN(truth[i])) continue;
            if (truth[i] == 1f) m++;
            else if (truth[i] == 0f) n++;
            else throw new IllegalArgumentException("delong: label " + truth[i] + " at " + i + " is not 0 or 1");
        }
        // Positives first, then negatives, as Sun & Xu order them.
        double[][] s = new double[2][m + n];
        int p = 0, q = m;
        for (int i = 0; i < truth.length; i++) {
            if (Float.isNaN(truth[i])) continue;
            int at = truth[i] == 1f ? p++ : q++;
            s[0][at] = a[i];
            s[1][at] = b[i];
        }
        Estimate e = estimate(s, m);
        double diff = e.auc()[0] - e.auc()[1];
        double[][] c = e.covariance();
        double var = c[0][0] + c[1][1] - 2 * c[0][1];
        double z, pValue;
        if (Double.isNaN(var)) {
            z = Double.NaN;
            pValue = Double.NaN;
        } else if (var <= 1e-300) {  // identical rankings: no spread of the difference
            z = diff == 0 ? 0 : Math.copySign(Double.POSITIVE_INFINITY, diff);
            pValue = diff == 0 ? 1 : 0;
        } else {
            z = diff / Math.sqrt(var);
            pValue = NormalTail.twoSided(z);
        }
        return new Comparison(e.auc()[0], e.auc()[1], diff, var, z, pValue, m, n);
    }

    /**
     * The fast DeLong estimate for k scorers over the same images: {@code scores} (k, m + n), the first m
     * columns positives and the rest negatives.
     */
    public static Estimate estimate(double[][] scores, int m) {
        int k = scores.length, total = k == 0 ? 0 : scores[0].length, n = total - m;
        double[] auc = new double[k];
        double[][] v10 = new double[k][m], v01 = new double[k][n];  // (k, m), (k, n)
        for (int r = 0; r < k; r++) {
            if (scores[r].length != total) throw new IllegalArgumentException("delong: scorers score different image counts");
            double[] tx = midRanks(Arrays.copyOfRange(scores[r], 0, m));
            double[] ty = midRanks(Arrays.copyOfRange(scores[r], m, total));
            double[] tz = midRanks(scores[r]);
            double positiveRankSum = 0;
            for (int i = 0; i < m; i++) {
                positiveRankSum += tz[i];
                v10[r][i] = (tz[i] - tx[i]) / n;
            }
            for (int j = 0; j < n; j++) v01[r][j] = 1 - (tz[m + j] - ty[j]) / m;
            auc[r] = m == 0 || n == 0 ? Double.NaN : (positiveRankSum - m * (m + 1) / 2.0) / ((double) m * n);
        }
        double[][] cov = new double[k][k];
        for (int r = 0; r < k; r++)
            for (int t = 0; t < k; t++)
                cov[r][t] = m < 2 || n < 2 ? Double.NaN : covariance(v10[r], v10[t]) / m + covariance(v01[r], v01[t]) / n;
        return new Estimate(auc, cov);
    }

    /** 1-based ranks with ties given their average rank. */
    static double[] midRanks(double[] x) {
        int n = x.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Double.compare(x[a], x[b]));
        double[] rank = new double[n];
        for (int i = 0; i < n; ) {
            int j = i;
            while (j + 1 < n && x[order[j + 1]] == x[order[i]]) j++;
            double mid = (i + j) / 2.0 + 1;
            for (int t = i; t <= j; t++) rank[order[t]] = mid;
            i = j + 1;
        }
        return rank;
    }

    /** Sample covariance with divisor len − 1. */
    private static double covariance(double[] a, double[] b) {
        int len = a.length;
        double ma = 0, mb = 0;
        for (int i = 0; i < len; i++) {
            ma += a[i];
            mb += b[i];
        }
        ma /= len;
        mb /= len;
        double s = 0;
        for (int i = 0; i < len; i++) s += (a[i] - ma) * (b[i] - mb);
        return s / (len - 1);
    }
}
