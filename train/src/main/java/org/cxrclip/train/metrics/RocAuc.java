package org.cxrclip.train.metrics;

import java.util.Arrays;

/**
 * Exact area under the ROC curve, equal to sklearn's {@code roc_auc_score}: the Mann–Whitney statistic with
 * tied scores counted as one half (the trapezoid over the ROC curve with ties grouped into one step).
 * Labels are 1 (positive) or 0 (negative); NaN labels (not mentioned) are left out.
 */
public final class RocAuc {
    private RocAuc() {}

    /** AUC, or NaN when the labels do not contain both classes. */
    public static double auc(float[] scores, float[] labels) {
        if (scores.length != labels.length)
            throw new IllegalArgumentException("auc: " + scores.length + " scores for " + labels.length + " labels");
        int n = 0;
        for (float y : labels) if (!Float.isNaN(y)) n++;
        double[] s = new double[n];
        boolean[] pos = new boolean[n];
        int k = 0, positives = 0;
        for (int i = 0; i < labels.length; i++) {
            if (Float.isNaN(labels[i])) continue;
            if (labels[i] != 0f && labels[i] != 1f)
                throw new IllegalArgumentException("auc: label " + labels[i] + " at " + i + " is not 0 or 1");
            if (Float.isNaN(scores[i])) throw new IllegalArgumentException("auc: score at " + i + " is NaN");
            s[k] = scores[i];
            pos[k] = labels[i] == 1f;
            if (pos[k]) positives++;
            k++;
        }
        int negatives = n - positives;
        if (positives == 0 || negatives == 0) return Double.NaN;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Double.compare(s[a], s[b]));
        // Sum of the (mid-)ranks of the positives, ties sharing their average rank.
        double rankSum = 0;
        for (int i = 0; i < n; ) {
            int j = i;
            while (j + 1 < n && s[order[j + 1]] == s[order[i]]) j++;
            double midRank = (i + j) / 2.0 + 1;
            for (int t = i; t <= j; t++) if (pos[order[t]]) rankSum += midRank;
            i = j + 1;
        }
        return (rankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }
}
