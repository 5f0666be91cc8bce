package org.cxrclip.train.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.cxrclip.engine.Rng;
import org.junit.jupiter.api.Test;

class RocCurveTest {
    /**
     * By hand (sklearn roc_curve(drop_intermediate=False) gives the same): scores 0.9(1) 0.8(0) 0.8(1) 0.4(0)
     * 0.1(1), a NaN label left out. Thresholds 0.9, 0.8, 0.4, 0.1 → (FPR, TPR) = (0, 1/3), (1/2, 2/3), (1, 2/3), (1, 1).
     */
    @Test
    void pointsWithTiesByHand() {
        RocCurve c = RocCurve.of(new float[] {0.1f, 0.8f, 0.9f, 0.4f, 0.8f, 0.5f}, new float[] {1, 0, 1, 0, 1, Float.NaN});
        assertArrayEquals(new double[] {0, 0, 0.5, 1, 1}, c.fpr(), 1e-12);
        assertArrayEquals(new double[] {0, 1.0 / 3, 2.0 / 3, 2.0 / 3, 1}, c.tpr(), 1e-12);
        // area: 0.5·(1/3 + 2/3)/2 + 0.5·(2/3) = 0.25 + 1/3
        assertEquals(0.25 + 1.0 / 3, c.area(), 1e-12);
    }

    @Test
    void areaEqualsRocAucOnRandomTiedScores() {
        Rng r = new Rng(7);
        for (int t = 0; t < 20; t++) {
            int n = 5 + r.nextInt(60);
            float[] s = new float[n], y = new float[n];
            for (int i = 0; i < n; i++) {
                s[i] = r.nextInt(6);
                y[i] = i < 2 ? i : r.nextInt(2);
            }
            assertEquals(RocAuc.auc(s, y), RocCurve.of(s, y).area(), 1e-12);
        }
    }

    @Test
    void oneClassIsAnError() {
        var e = assertThrows(IllegalArgumentException.class, () -> RocCurve.of(new float[] {1, 2}, new float[] {1, 1}));
        assertEquals("roc: needs both classes, got 2 positives and 0 negatives", e.getMessage());
    }
}
