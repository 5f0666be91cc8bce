package org.cxrclip.engine.ops;

import static org.cxrclip.engine.testing.OpHarness.assertBackendsAgree;
import static org.cxrclip.engine.testing.OpHarness.gradcheck;
import static org.cxrclip.engine.testing.OpHarness.values;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.Backend;
import org.cxrclip.engine.backend.Backends;
import org.cxrclip.engine.testing.OpHarness;
import org.junit.jupiter.api.Test;

class L2NormalizeTest {
    @Test
    void knownRowBecomesAUnitVector() {
        Tensor x = Tensor.of(Backends.reference(), new float[] {3, 4, 0, -2}, 2, 2);
        // rows (3,4) -> (0.6, 0.8); (0,-2) -> (0, -1)
        assertArrayEquals(new float[] {0.6f, 0.8f, 0f, -1f}, L2Normalize.normalize(x).toArray(), 1e-6f);
    }

    /**
     * At x = 0, y = x / √(‖x‖² + eps²) is x/eps to first order: y = 0 and dy/dx = I/eps, so the gradient of
     * Σ y is 1/eps = 1e12 per entry (the ‖x‖² path contributes 0·x = 0). PyTorch's x / max(‖x‖, eps) has the same
     * slope there (its max passes no gradient to the norm), but gives NaN from the norm's 0/0.
     */
    @Test
    void zeroVectorHasFiniteGradient() {
        for (Backend b : new Backend[] {Backends.reference(), Backends.cpu()}) {
            Tensor x = Tensor.zeros(b, 1, 3).requiresGrad(true);
            Tensor y = L2Normalize.normalize(x);
            assertArrayEquals(new float[3], y.toArray(), 0f, b.name());
            y.backward(Tensor.of(b, new float[] {1, 1, 1}, 1, 3));
            for (float g : x.grad().toArray()) assertFalse(Float.isNaN(g) || Float.isInfinite(g));
            float slope = 1 / L2Normalize.DEFAULT_EPS;
            OpHarness.assertClose("d normalize / dx at 0 on " + b.name(), new float[] {slope, slope, slope},
                    x.grad().toArray(), 1e-6, 0);
        }
    }

    @Test
    void backendsAgreeAndGradientMatchesFiniteDifferences() {
        qt().withFixedSeed(11).withExamples(15)
                .forAll(integers().between(1, 5), integers().between(1, 35), longs().all())
                .checkAssert((rows, cols, seed) -> {
                    int[][] shapes = {{rows, cols}};
                    float[][] in = {values(seed, rows * cols)};
                    for (Backend b : OpHarness.fastBackends())
                        assertBackendsAgree("normalize", b, t -> L2Normalize.normalize(t[0]), in, shapes, 1e-5, 1e-6);
                    if (rows * cols <= 40)
                        gradcheck("normalize", t -> L2Normalize.normalize(t[0]), in, shapes);
                });
    }
}
