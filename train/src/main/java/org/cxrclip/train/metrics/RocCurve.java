package org.cxrclip.train.metrics;

import java.util.Arrays;

/**
 * The ROC curve of one label as sklearn's {@code roc_curve(drop_intermediate=False)}: thresholds at every
 * distinct score, from the highest down, each point (FPR, TPR) counting the images scored at or above it; tied
 * scores make one diagonal step. Starts at (0, 0) and ends at (1, 1). NaN labels are left out.
 */
public record RocCurve(double[] fpr, double[] tpr) {
    /** NaN-free labels 1/0 required in both classes; otherwise an IllegalArgumentException naming the problem. */
    public static RocCurve of(float[] scores, float[] labels) {
        if (scores.length != labels.length)
            throw new IllegalArgumentException("roc: " + scores.length + " scores for " + labels.length + " labels");
        int n = 0, pos = 0;
        for (float y : labels) if (!Float.isNaN(y)) {
            n++;
            if (y == 1f) pos++;
        }
        int neg = n - pos;
        if (pos == 0 || neg == 0) throw new IllegalArgumentException("roc: needs both classes, got " + pos + " positives and " + neg + " negatives");
        double[] s = new double[n];
        boolean[] p = new boolean[n];
        for (int i = 0, k = 0; i < labels.length; i++)
            if (!Float.isNaN(labels[i])) {
                s[k] = scores[i];
                p[k++] = labels[i] == 1f;
            }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Double.compare(s[b], s[a]));
        double[] fpr = new double[n + 1], tpr = new double[n + 1];
        int points = 1, tp = 0, fp = 0;
        for (int i = 0; i < n; ) {
            int j = i;
            while (j < n && s[order[j]] == s[order[i]]) {
                if (p[order[j]]) tp++;
                else fp++;
                j++;
            }
            fpr[points] = (double) fp / neg;
            tpr[points] = (double) tp / pos;
            points++;
            i = j;
        }
        return new RocCurve(Arrays.copyOf(fpr, points), Arrays.copyOf(tpr, points));
    }

    /** Trapezoid area under the curve (equals {@link RocAuc#auc} for the same data). */
    public double area() {
        double a = 0;
        for (int i = 1; i < fpr.length; i++) a += (fpr[i] - fpr[i - 1]) * (tpr[i] + tpr[i - 1]) / 2;
        return a;
    }
}
