package org.cxrclip.train.metrics;

import java.util.List;
import java.util.Set;

/**
 * Scores and ground truth of n images for L labels, row-major (n, L): what an evaluation produces and what AUC
 * summaries and ROC plots are computed from. Truth is 1, 0 or NaN (not mentioned: left out of that label's AUC).
 */
public record ScoredLabels(List<String> labels, float[] scores, float[] truth, int n) {
    public ScoredLabels {
        labels = List.copyOf(labels);
        if (scores.length != n * labels.size() || truth.length != n * labels.size())
            throw new IllegalArgumentException("scored labels: " + scores.length + " scores and " + truth.length
                    + " truths for " + n + " images × " + labels.size() + " labels");
    }

    /** Column {@code j} of the scores. */
    public float[] scoreColumn(int j) {
        return column(scores, j);
    }

    /** Column {@code j} of the truth. */
    public float[] truthColumn(int j) {
        return column(truth, j);
    }

    /** Positives of label {@code j}. */
    public int positives(int j) {
        int p = 0;
        for (float y : truthColumn(j)) if (y == 1f) p++;
        return p;
    }

    /** Per-class and macro AUC with {@code resamples} seeded bootstrap resamples. */
    public AucSummary summary(Set<String> rare, int resamples, long seed) {
        return AucSummary.of(labels, scores, truth, n, rare, resamples, seed);
    }

    private float[] column(float[] m, int j) {
        int l = labels.size();
        float[] c = new float[n];
        for (int i = 0; i < n; i++) c[i] = m[i * l + j];
        return c;
    }
}
