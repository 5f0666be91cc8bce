package org.cxrclip.clustering;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SyntheticEmbeddingsTest {
    @Test
    void rowsAreUnitNormDeterministicAndGatheredAroundTheirDirection() {
        int n = 400, d = 32, k = 3;
        float[] x = SyntheticEmbeddings.aroundDirections(7, n, d, k);
        assertArrayEquals(x, SyntheticEmbeddings.aroundDirections(7, n, d, k));
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < d; j++) s += x[i * d + j] * x[i * d + j];
            assertEquals(1.0, s, 1e-5, "row " + i);
        }
        // One direction u plus N(0, 0.7²) noise per coordinate: for large d a row's cosine with u is about
        // |u|² / (|u|·√(|u|² + 0.49·d)) ≈ 1/√1.49 = 0.819, and so is the norm of the mean row (the noise averages out).
        int big = 2000, dim = 256;
        float[] one = SyntheticEmbeddings.aroundDirections(3, big, dim, 1);
        double[] mean = new double[dim];
        for (int i = 0; i < big; i++) for (int j = 0; j < dim; j++) mean[j] += one[i * dim + j] / big;
        double norm = 0;
        for (double v : mean) norm += v * v;
        assertEquals(1 / Math.sqrt(1.49), Math.sqrt(norm), 0.03);
    }

    @Test
    void badSizesAreRefusedByName() {
        var e = assertThrows(IllegalArgumentException.class, () -> SyntheticEmbeddings.aroundDirections(0, 10, 0, 2));
        assertTrue(e.getMessage().contains("d=0"), e.getMessage());
    }
}
