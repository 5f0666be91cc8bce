package org.cxrclip.train.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.cxrclip.engine.Rng;
import org.junit.jupiter.api.Test;

class AucSummaryTest {
    @Test
    void groupsAverageTheirClassesAndIntervalsContainTheEstimate() {
        // 6 images, 3 classes. A: perfect (1.0). B: positives {0.2, 0.3, 0.0} vs negatives {0.1, 0.7, 0.9}: 2 of 9
        // pairs ordered -> 2/9. C (rare): one tie pair -> see below.
        float[] truth = {
            1, 0, 1,
            1, 1, 0,
            0, 0, 0,
            0, 1, 0,
            1, 0, 0,
            0, 1, 1};
        float[] scores = {
            0.9f, 0.1f, 0.5f,
            0.8f, 0.2f, 0.5f,
            0.1f, 0.7f, 0.1f,
            0.2f, 0.3f, 0.2f,
            0.7f, 0.9f, 0.3f,
            0.3f, 0.0f, 0.4f};
        // C: positives {0.5 (img0), 0.4 (img5)}, negatives {0.5, 0.1, 0.2, 0.3}:
        // img0 vs (tie, win, win, win) = 3.5; img5 vs (lose, win, win, win) = 3 -> 6.5 / 8 = 0.8125
        AucSummary s = AucSummary.of(List.of("A", "B", "C"), scores, truth, 6, Set.of("C"), 200, 1);
        assertEquals(1.0, s.perClass()[0], 1e-12);
        assertEquals(2.0 / 9, s.perClass()[1], 1e-12);
        assertEquals(0.8125, s.perClass()[2], 1e-12);
        assertEquals((1.0 + 2.0 / 9 + 0.8125) / 3, s.total().auc(), 1e-12);
        assertEquals((1.0 + 2.0 / 9) / 2, s.base().auc(), 1e-12);
        assertEquals(0.8125, s.rare().auc(), 1e-12);
        assertEquals("auc total=0.6782 base=0.6111 rare=0.8125", s.line());
        assertTrue(s.total().lo() <= s.total().auc() + 1e-9 && s.total().auc() <= s.total().hi() + 0.2, s.total().toString());
        assertTrue(s.csv().contains("C,rare,0.8125,,"), s.csv());
    }

    /**
     * The intervals are the 2.5 / 97.5 percentiles of the bootstrap distribution of each group's macro AUC. The
     * test draws that distribution itself (its own random stream, AUC by counting ordered pairs, classes without
     * both labels in a resample left out of the macro) and compares quantiles. Both sides use 20,000 resamples;
     * the group AUCs spread by 0.05 to 0.07 here, so a tail quantile's Monte-Carlo error is ~0.001 per side and
     * 0.006 is over 3 combined standard errors (measured: at most 0.0022 apart). The 5 / 95 % quantiles lie at
     * least 0.012 further in (checked below), so a wrong percentile, rows resampled without replacement (an
     * interval of width 0) or scores resampled apart from their labels all fail.
     */
    @Test
    void intervalsArePercentilesOfTheBootstrapDistribution() {
        int n = 60, l = 2, resamples = 20_000;
        Rng rng = new Rng(17);
        float[] truth = new float[n * l], scores = new float[n * l];
        for (int i = 0; i < n; i++) {
            truth[i * l] = i % 3 == 0 ? 1 : 0;               // 20 positives of class "A"
            truth[i * l + 1] = i % 7 == 0 ? 1 : 0;           // 9 positives of the rare class "R"
            for (int j = 0; j < l; j++) scores[i * l + j] = (float) (rng.nextGaussian() + 1.2 * truth[i * l + j]);
        }
        AucSummary s = AucSummary.of(List.of("A", "R"), scores, truth, n, Set.of("R"), resamples, 5);

        double[][] boot = new double[3][resamples]; // total, base (A), rare (R)
        SplittableRandom random = new SplittableRandom(12345);
        int[] idx = new int[n];
        for (int r = 0; r < resamples; r++) {
            for (int i = 0; i < n; i++) idx[i] = random.nextInt(n);
            double a = pairAuc(scores, truth, idx, l, 0), rare = pairAuc(scores, truth, idx, l, 1);
            boot[1][r] = a;
            boot[2][r] = rare;
            boot[0][r] = Double.isNaN(a) ? rare : Double.isNaN(rare) ? a : (a + rare) / 2;
        }
        AucSummary.Group[] groups = {s.total(), s.base(), s.rare()};
        String[] names = {"total", "base", "rare"};
        for (int g = 0; g < 3; g++) {
            double[] b = Arrays.stream(boot[g]).filter(v -> !Double.isNaN(v)).sorted().toArray();
            String what = names[g] + " " + groups[g];
            assertEquals(quantile(b, 0.025), groups[g].lo(), 0.006, what + " lower bound");
            assertEquals(quantile(b, 0.975), groups[g].hi(), 0.006, what + " upper bound");
            assertTrue(quantile(b, 0.05) - quantile(b, 0.025) > 0.012 && quantile(b, 0.975) - quantile(b, 0.95) > 0.012,
                    names[g] + ": the data should tell the 2.5 % from the 5 % quantile");
        }
    }

    /** AUC of class j over the resampled rows, counting (positive, negative) pairs: ordered 1, tied ½; NaN if one class. */
    private static double pairAuc(float[] scores, float[] truth, int[] rows, int l, int j) {
        double wins = 0;
        long pairs = 0;
        for (int p : rows)
            if (truth[p * l + j] == 1)
                for (int q : rows)
                    if (truth[q * l + j] == 0) {
                        pairs++;
                        float a = scores[p * l + j], b = scores[q * l + j];
                        wins += a > b ? 1 : a == b ? 0.5 : 0;
                    }
        return pairs == 0 ? Double.NaN : wins / pairs;
    }

    /** The q-quantile of sorted values (linear interpolation between order statistics). */
    private static double quantile(double[] sorted, double q) {
        double h = q * (sorted.length - 1);
        int k = (int) Math.floor(h);
        return k + 1 < sorted.length ? sorted[k] + (h - k) * (sorted[k + 1] - sorted[k]) : sorted[k];
    }

    @Test
    void groupWithoutClassesIsNan() {
        AucSummary s = AucSummary.of(List.of("A"), new float[] {0.1f, 0.9f}, new float[] {0, 1}, 2, Set.of(), 10, 1);
        assertTrue(Double.isNaN(s.rare().auc()));
        assertTrue(s.line().endsWith("rare=nan"), s.line());
    }
}
