package org.cxrclip.train.metrics;

import java.util.List;
import java.util.Locale;

/**
 * K-fold cross-validation results as the papers' tables give them: per fold the macro AUC of each group
 * (total / base / rare), then mean ± sample standard deviation (divisor K − 1) over the folds where the group
 * is defined.
 */
public record FoldSummary(List<AucSummary> folds) {
    public FoldSummary {
        folds = List.copyOf(folds);
        if (folds.size() < 2) throw new IllegalArgumentException("fold summary needs at least 2 folds, got " + folds.size());
    }

    /** Mean and sample sd of a group's macro AUC over the folds (0 = total, 1 = base, 2 = rare); NaN when undefined. */
    public double[] meanSd(int group) {
        double s = 0;
        int k = 0;
        for (AucSummary f : folds) {
            double v = value(f, group);
            if (!Double.isNaN(v)) {
                s += v;
                k++;
            }
        }
        double mean = k == 0 ? Double.NaN : s / k, ss = 0;
        for (AucSummary f : folds) {
            double v = value(f, group);
            if (!Double.isNaN(v)) ss += (v - mean) * (v - mean);
        }
        return new double[] {mean, k < 2 ? Double.NaN : Math.sqrt(ss / (k - 1))};
    }

    private static double value(AucSummary f, int group) {
        return (group == 0 ? f.total() : group == 1 ? f.base() : f.rare()).auc();
    }

    /** {@code fold,total,base,rare} per fold, then the rows {@code mean} and {@code sd}. */
    public String csv() {
        StringBuilder b = new StringBuilder("fold,total,base,rare\n");
        for (int i = 0; i < folds.size(); i++)
            b.append(i).append(',').append(AucSummary.fmt(value(folds.get(i), 0))).append(',')
                    .append(AucSummary.fmt(value(folds.get(i), 1))).append(',').append(AucSummary.fmt(value(folds.get(i), 2))).append('\n');
        for (int row = 0; row < 2; row++) {
            b.append(row == 0 ? "mean" : "sd");
            for (int g = 0; g < 3; g++) b.append(',').append(AucSummary.fmt(meanSd(g)[row]));
            b.append('\n');
        }
        return b.toString();
    }

    /** {@code folds=K total=M±S base=M±S rare=M±S}. */
    public String table() {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "folds=%d", folds.size()));
        String[] names = {"total", "base", "rare"};
        for (int g = 0; g < 3; g++) {
            double[] ms = meanSd(g);
            b.append(' ').append(names[g]).append('=').append(AucSummary.fmt(ms[0])).append("±").append(AucSummary.fmt(ms[1]));
        }
        return b.toString();
    }

    /** {@code auc total=X base=Y rare=Z} of the fold means, so a K-fold run ends with the same line as one run. */
    public String line() {
        return "auc total=" + AucSummary.fmt(meanSd(0)[0]) + " base=" + AucSummary.fmt(meanSd(1)[0]) + " rare="
                + AucSummary.fmt(meanSd(2)[0]);
    }
}
