package org.cxrclip.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RngTest {
    @Test
    void sameSeedSameStream() {
        Rng a = new Rng(42), b = new Rng(42);
        for (int i = 0; i < 100; i++) assertEquals(a.nextLong(), b.nextLong());
        assertNotEquals(new Rng(1).nextLong(), new Rng(2).nextLong());
    }

    @Test
    void gaussianHasUnitMomentsAndUniformIsInRange() {
        Rng r = new Rng(7);
        int n = 200_000;
        double s = 0, s2 = 0;
        for (int i = 0; i < n; i++) {
            double g = r.nextGaussian();
            s += g;
            s2 += g * g;
            float u = r.nextFloat();
            assertTrue(u >= 0f && u < 1f);
        }
        // Standard error of the mean is 1/sqrt(n) = 0.0022; of the variance about sqrt(2/n) = 0.0032.
        assertEquals(0.0, s / n, 0.01);
        assertEquals(1.0, s2 / n, 0.015);
    }

    @Test
    void counterBasedUniformDependsOnlyOnSeedAndIndex() {
        assertEquals(Rng.uniform(5, 1000), Rng.uniform(5, 1000));
        assertNotEquals(Rng.uniform(5, 1000), Rng.uniform(6, 1000));
        int n = 100_000, below = 0;
        for (int i = 0; i < n; i++) if (Rng.uniform(3, i) < 0.25f) below++;
        assertEquals(0.25, below / (double) n, 0.005); // 3.6 standard errors
    }
}
