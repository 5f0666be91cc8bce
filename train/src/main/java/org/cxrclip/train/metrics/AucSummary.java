package org.cxrclip.train.metrics;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.cxrclip.engine.Rng;

/**
 * Per-class ROC-AUC and their macro averages over the groups total / base / rare (rare = the classes named
 * in {@code rare}, e.g. fewer than 1000 training positives as CXR-CML), with bootstrap 95 % intervals:
 * images resampled with replacement {@code resamples} times (seeded), the macro recomputed each time over the
 * classes that still have both labels, and the 2.5 / 97.5 percentiles taken. Labels are 1 or 0 here.
 */
public record AucSummary(List<String> labels, double[] perClass, boolean[] rareClass, Group total, Group base,
                         Group rare) {
    /** A macro AUC with its bootstrap interval; NaN where no class of the group has both labels. */
    public record Group(double auc, double lo, double hi, int classes) {}

    /** scores and truth (n, L) row-major. */
    public static AucSummary of(List<String> labels, float[] scores, float[] truth, int n, Set<String> rare,
                                int resamples, long seed) {
        int l = labels.size();
        double[] per = new double[l];
        for (int j = 0; j < l; j++) per[j] = RocAuc.auc(column(scores, n, l, j, null), column(truth, n, l, j, null));
        boolean[] isRare = new boolean[l];
        for (int j = 0; j < l; j++) isRare[j] = rare.contains(labels.get(j));
        double[][] boot = new double[3][resamples];
        Rng rng = new Rng(seed);
        int[] idx = new int[n];
        double[] perBoot = new double[l];
        for (int r = 0; r < resamples; r++) {
            for (int i = 0; i < n; i++) idx[i] = rng.nextInt(n);
            for (int j = 0; j < l; j++) perBoot[j] = RocAuc.auc(column(scores, n, l, j, idx), column(truth, n, l, j, idx));
            boot[0][r] = macro(perBoot, isRare, 0);
            boot[1][r] = macro(perBoot, isRare, 1);
            boot[2][r] = macro(perBoot, isRare, 2);
        }
        return new AucSummary(List.copyOf(labels), per, isRare, group(per, isRare, 0, boot[0]), group(per, isRare, 1, boot[1]),
                group(per, isRare, 2, boot[2]));
    }

    private static Group group(double[] per, boolean[] isRare, int which, double[] boot) {
        int count = 0;
        for (int j = 0; j < per.length; j++) if (in(which, isRare[j]) && !Double.isNaN(per[j])) count++;
        double[] finite = Arrays.stream(boot).filter(v -> !Double.isNaN(v)).sorted().toArray();
        double lo = finite.length == 0 ? Double.NaN : finite[(int) Math.floor(0.025 * (finite.length - 1))];
        double hi = finite.length == 0 ? Double.NaN : finite[(int) Math.ceil(0.975 * (finite.length - 1))];
        return new Group(macro(per, isRare, which), lo, hi, count);
    }

    private static boolean in(int which, boolean rare) {
        return which == 0 || (which == 1) != rare;
    }

    private static double macro(double[] per, boolean[] isRare, int which) {
        double s = 0;
        int k = 0;
        for (int j = 0; j < per.length; j++)
            if (in(which, isRare[j]) && !Double.isNaN(per[j])) {
                s += per[j];
                k++;
            }
        return k == 0 ? Double.NaN : s / k;
    }

    private static float[] column(float[] m, int n, int l, int j, int[] rows) {
        float[] c = new float[n];
        for (int i = 0; i < n; i++) c[i] = m[(rows == null ? i : rows[i]) * l + j];
        return c;
    }

    /** {@code auc total=X base=Y rare=Z} with four decimals ("nan" where a group has no class). */
    public String line() {
        return "auc total=" + fmt(total.auc()) + " base=" + fmt(base.auc()) + " rare=" + fmt(rare.auc());
    }

    static String fmt(double v) {
        return Double.isNaN(v) ? "nan" : String.format(java.util.Locale.ROOT, "%.4f", v);
    }

    /** CSV: one row per class (label, group, auc), then one per group (macro with its CI). */
    public String csv() {
        StringBuilder b = new StringBuilder("label,group,auc,ci_low,ci_high\n");
        for (int j = 0; j < labels.size(); j++) {
            String name = labels.get(j).contains(",") ? "\"" + labels.get(j) + "\"" : labels.get(j);
            b.append(name).append(',').append(rareClass[j] ? "rare" : "base").append(',').append(fmt(perClass[j])).append(",,\n");
        }
        for (var e : List.of(List.of("macro", "total"), List.of("macro", "base"), List.of("macro", "rare"))) {
            Group g = e.get(1).equals("total") ? total : e.get(1).equals("base") ? base : rare;
            b.append(e.get(0)).append(',').append(e.get(1)).append(',').append(fmt(g.auc())).append(',')
                    .append(fmt(g.lo())).append(',').append(fmt(g.hi())).append('\n');
        }
        return b.toString();
    }
}
