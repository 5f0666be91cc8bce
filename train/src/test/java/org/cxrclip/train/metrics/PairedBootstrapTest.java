package org.cxrclip.train.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cxrclip.engine.Rng;
import org.junit.jupiter.api.Test;

class PairedBootstrapTest {
    private static final boolean[][] GROUPS = {{true, true, true}, {true, true, false}, {false, false, true}};

    /** (n, 3) truth with ~30 % positives; label 2 rarer. */
    private static float[] truth(int n, Rng rng) {
        float[] t = new float[n * 3];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < 3; j++) t[i * 3 + j] = rng.nextDouble() < (j == 2 ? 0.1 : 0.3) ? 1 : 0;
        return t;
    }

    /** Scores that separate the classes by {@code signal} standard deviations. */
    private static float[] scorer(float[] truth, double signal, Rng rng) {
        float[] s = new float[truth.length];
        for (int i = 0; i < s.length; i++) s[i] = (float) (rng.nextGaussian() + signal * truth[i]);
        return s;
    }

    @Test
    void resampleAucFromMultiplicitiesEqualsTheNaiveResortedAuc() {
        // The fast path (rows sorted once, a resample as multiplicities) against RocAuc on the materialised
        // resample, with ties (scores on a 0.25 grid), NaN (ignored) truths and awkward sizes.
        Rng rng = new Rng(9);
        for (int n : new int[] {1, 2, 3, 17, 64}) {
            float[] s = new float[n * 2], t = new float[n * 2];
            for (int i = 0; i < n * 2; i++) {
                s[i] = Math.round(rng.nextGaussian() * 4) / 4f;
                double u = rng.nextDouble();
                t[i] = u < 0.1 ? Float.NaN : u < 0.45 ? 1 : 0;
            }
            for (int r = 0; r < 30; r++) {
                int[] idx = new int[n], count = new int[n];
                for (int i = 0; i < n; i++) count[idx[i] = rng.nextInt(n)]++;
                double[] naive = PairedBootstrap.perLabel(s, t, n, 2, idx);
                for (int j = 0; j < 2; j++) {
                    double fast = new PairedBootstrap.SortedLabel(s, t, n, 2, j).auc(count);
                    if (Double.isNaN(naive[j])) assertTrue(Double.isNaN(fast), "n=" + n + " label " + j);
                    else assertEquals(naive[j], fast, 1e-12, "n=" + n + " label " + j);
                }
            }
        }
    }

    @Test
    void identicalScorersGiveDifferenceZeroAndPOne() {
        Rng rng = new Rng(1);
        float[] t = truth(80, rng), s = scorer(t, 1, rng);
        PairedBootstrap.Result[] r = PairedBootstrap.compare(s, s.clone(), t, 80, 3, GROUPS, 200, 5);
        for (PairedBootstrap.Result g : r) {
            assertEquals(0, g.difference());
            assertEquals(0, g.lo());
            assertEquals(0, g.hi());
            assertEquals(1, g.p());
            assertEquals(g.aucA(), g.aucB());
        }
    }

    @Test
    void aClearlyBetterScorerGetsASmallPAndAPositiveInterval() {
        Rng rng = new Rng(2);
        int n = 150;
        float[] t = truth(n, rng), good = scorer(t, 2.5, rng), poor = scorer(t, 0.2, rng);
        PairedBootstrap.Result[] r = PairedBootstrap.compare(good, poor, t, n, 3, GROUPS, 300, 7);
        PairedBootstrap.Result total = r[0];
        assertTrue(total.difference() > 0.3, total.toString());
        assertTrue(total.lo() > 0 && total.hi() >= total.difference(), total.toString());
        assertEquals(1.0 / (total.resamples() + 1), total.p(), 1e-12, "no resample is as extreme as the null");
        // The same scorers swapped: the difference changes sign, the p-value does not.
        PairedBootstrap.Result swapped = PairedBootstrap.compare(poor, good, t, n, 3, GROUPS, 300, 7)[0];
        assertEquals(-total.difference(), swapped.difference(), 1e-12);
        assertEquals(total.p(), swapped.p(), 1e-12);
        // Point estimates are the plain macro AUCs.
        double macro = 0;
        for (int j = 0; j < 3; j++) {
            float[] cs = new float[n], ct = new float[n];
            for (int i = 0; i < n; i++) {
                cs[i] = good[i * 3 + j];
                ct[i] = t[i * 3 + j];
            }
            macro += RocAuc.auc(cs, ct) / 3;
        }
        assertEquals(macro, total.aucA(), 1e-12);
    }

    @Test
    void twoScorersOfEqualSkillAreRarelySignificant() {
        // Under the null (two independent scorers of the same quality), p < 0.05 should happen about 5 % of the
        // time; over 40 data sets allow up to 8 (binomial P(X > 8) < 0.01 at rate 0.05).
        int small = 0;
        for (long seed = 0; seed < 40; seed++) {
            Rng rng = new Rng(100 + seed);
            float[] t = truth(60, rng), a = scorer(t, 1, rng), b = scorer(t, 1, rng);
            if (PairedBootstrap.compare(a, b, t, 60, 3, GROUPS, 200, seed)[0].p() < 0.05) small++;
        }
        assertTrue(small <= 8, small + " of 40 null comparisons significant");
    }
}
