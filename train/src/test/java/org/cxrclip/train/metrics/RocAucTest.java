package org.cxrclip.train.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import org.cxrclip.engine.Rng;
import org.junit.jupiter.api.Test;

class RocAucTest {
    @Test
    void handComputedValues() {
        // sklearn.metrics.roc_auc_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) = 0.75
        assertEquals(0.75, RocAuc.auc(new float[] {0.1f, 0.4f, 0.35f, 0.8f}, new float[] {0, 0, 1, 1}), 1e-12);
        // Ties: pairs (pos, neg) = (0.5 vs 0.5) tie -> 1/2, (0.5 vs 0.2) win, (0.9 vs 0.5) win, (0.9 vs 0.2) win:
        // (0.5 + 3) / 4 = 0.875
        assertEquals(0.875, RocAuc.auc(new float[] {0.5f, 0.2f, 0.5f, 0.9f}, new float[] {0, 0, 1, 1}), 1e-12);
        // All scores equal -> 0.5; NaN labels are left out.
        assertEquals(0.5, RocAuc.auc(new float[] {1, 1, 1, 7}, new float[] {0, 1, 1, Float.NaN}), 1e-12);
    }

    @Test
    void singleClassGivesNaNAndBadLabelsAreErrors() {
        assertTrue(Double.isNaN(RocAuc.auc(new float[] {1, 2}, new float[] {1, 1})));
        assertThrows(IllegalArgumentException.class, () -> RocAuc.auc(new float[] {1, 2}, new float[] {1, -1}));
        assertThrows(IllegalArgumentException.class, () -> RocAuc.auc(new float[] {1}, new float[] {1, 0}));
    }

    @Test
    void equalsTheFractionOfCorrectlyOrderedPairs() {
        qt().withFixedSeed(3).withExamples(100).forAll(integers().between(2, 40), longs().all()).checkAssert((n, seed) -> {
            Rng r = new Rng(seed);
            float[] s = new float[n], y = new float[n];
            for (int i = 0; i < n; i++) {
                s[i] = r.nextInt(5); // few distinct values: many ties
                y[i] = r.nextInt(2);
            }
            double wins = 0;
            int pairs = 0;
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                    if (y[i] == 1 && y[j] == 0) {
                        pairs++;
                        wins += s[i] > s[j] ? 1 : s[i] == s[j] ? 0.5 : 0;
                    }
            double expected = pairs == 0 ? Double.NaN : wins / pairs;
            assertEquals(expected, RocAuc.auc(s, y), 1e-12);
        });
    }
}
