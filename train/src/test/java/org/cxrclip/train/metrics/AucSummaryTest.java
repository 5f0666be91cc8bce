package org.cxrclip.train.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
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

    @Test
    void groupWithoutClassesIsNan() {
        AucSummary s = AucSummary.of(List.of("A"), new float[] {0.1f, 0.9f}, new float[] {0, 1}, 2, Set.of(), 10, 1);
        assertTrue(Double.isNaN(s.rare().auc()));
        assertTrue(s.line().endsWith("rare=nan"), s.line());
    }
}
