package org.cxrclip.clustering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class AdjustedRandIndexTest {
    @Test
    void handExample() {
        // Contingency {(0,0):2, (1,1):1, (1,2):1}: index 1, row pairs 2, column pairs 1, expected 2·1/6 = 1/3,
        // max 3/2 → (1 − 1/3)/(3/2 − 1/3) = 4/7 (sklearn's adjusted_rand_score gives 0.5714285714285715 too).
        assertEquals(4.0 / 7, AdjustedRandIndex.of(new int[] {0, 0, 1, 1}, new int[] {0, 0, 1, 2}), 1e-15);
    }

    @Test
    void renamedLabelsAreIdentical() {
        assertEquals(1, AdjustedRandIndex.of(new int[] {0, 0, 1, 1, 2}, new int[] {7, 7, 3, 3, 5}), 1e-15);
    }

    @Test
    void oneClusterAgainstSingletonsIsZero() {
        assertEquals(0, AdjustedRandIndex.of(new int[] {0, 0, 0, 0}, new int[] {0, 1, 2, 3}), 1e-15);
    }

    @Test
    void lengthMismatchIsAClearError() {
        var e = assertThrows(IllegalArgumentException.class, () -> AdjustedRandIndex.of(new int[2], new int[3]));
        assertEquals("ARI: labelings differ in length: 2 vs 3", e.getMessage());
    }
}
