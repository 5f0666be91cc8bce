package org.cxrclip.engine.ops;

import static org.cxrclip.engine.testing.OpHarness.assertBackendsAgree;
import static org.cxrclip.engine.testing.OpHarness.gradcheck;
import static org.cxrclip.engine.testing.OpHarness.values;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import org.cxrclip.engine.ShapeException;
import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.Backend;
import org.cxrclip.engine.backend.Backends;
import org.cxrclip.engine.testing.OpHarness;
import org.junit.jupiter.api.Test;

class PairwiseDistanceTest {
    private static final Backend REF = Backends.reference();

    @Test
    void handComputedDistances() {
        Tensor x = Tensor.of(REF, new float[] {0, 0, 1, 2}, 2, 2);  // (0,0), (1,2)
        Tensor y = Tensor.of(REF, new float[] {3, 4, 1, 2, -1, 0}, 3, 2); // (3,4), (1,2), (-1,0)
        // (0,0): 25, 5, 1   (1,2): 4+4=8, 0, 4+4=8
        assertArrayEquals(new float[] {25, 5, 1, 8, 0, 8},
                PairwiseDistance.squaredEuclidean(x, y).toArray(), 1e-5f);
    }

    @Test
    void matchesTheDirectSumAndItsGradient() {
        qt().withFixedSeed(5).withExamples(15)
                .forAll(integers().between(1, 9), integers().between(1, 9), integers().between(1, 33), longs().all())
                .checkAssert((n, m, d, seed) -> {
                    float[] xv = values(seed, n * d), yv = values(seed + 1, m * d);
                    float[] direct = new float[n * m];
                    for (int i = 0; i < n; i++)
                        for (int j = 0; j < m; j++) {
                            double s = 0;
                            for (int k = 0; k < d; k++) {
                                double diff = xv[i * d + k] - yv[j * d + k];
                                s += diff * diff;
                            }
                            direct[i * m + j] = (float) s;
                        }
                    Tensor got = PairwiseDistance.squaredEuclidean(Tensor.of(REF, xv, n, d), Tensor.of(REF, yv, m, d));
                    OpHarness.assertClose("pairwise vs direct", direct, got.toArray(), 1e-5, 1e-5 * d);
                    Tensor viaGemm = PairwiseDistance.expanded(Tensor.of(REF, xv, n, d), Tensor.of(REF, yv, m, d));
                    OpHarness.assertClose("GEMM expansion vs direct", direct, viaGemm.toArray(), 1e-5, 1e-5 * d);
                    int[][] shapes = {{n, d}, {m, d}};
                    for (Backend b : OpHarness.fastBackends())
                        assertBackendsAgree("pairwiseDistance", b,
                                t -> PairwiseDistance.squaredEuclidean(t[0], t[1]), new float[][] {xv, yv}, shapes,
                                1e-4, 1e-5 * d);
                    if ((n + m) * d <= 60) {
                        gradcheck("pairwiseDistance", t -> PairwiseDistance.squaredEuclidean(t[0], t[1]),
                                new float[][] {xv, yv}, shapes);
                        gradcheck("pairwiseDistance (GEMM expansion)", t -> PairwiseDistance.expanded(t[0], t[1]),
                                new float[][] {xv, yv}, shapes);
                    }
                });
    }

    @Test
    void featureSizeMismatchIsNamed() {
        ShapeException e = assertThrows(ShapeException.class, () -> PairwiseDistance.squaredEuclidean(
                Tensor.zeros(REF, 2, 3), Tensor.zeros(REF, 2, 4)));
        assertTrue(e.getMessage().contains("pairwiseDistance") && e.getMessage().contains("[2, 4]"), e.getMessage());
    }

    /**
     * Rows 0 and 1 equal, row 2 not, and a weight of 1e6 on the pair (0, 1) only (what √'s derivative at 0 puts
     * there in the triplet loss): the direct form gives that pair a distance of exactly 0 and adds exactly nothing
     * to the gradient, which then equals Σ_j 2(W_ij + W_ji)(x_i − x_j) computed in double. The GEMM expansion's
     * separately summed terms leave errors of order 1e6 × float epsilon there (checked too, so that these values
     * do tell the two forms apart).
     */
    @Test
    void equalRowsGiveExactlyZeroDistanceAndNoGradientErrorInTheDirectForm() {
        float[] v = {0.1f, -0.7f, 0.33f, 0.123456f, 0.1f, -0.7f, 0.33f, 0.123456f, 0.5f, 0.2f, -0.4f, 0.9f};
        int n = 3, d = 4;
        float[] w = {0, 1e6f, 1, 0, 0, 1, 1, 1, 0};
        double[] want = new double[n * d];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                for (int k = 0; k < d; k++)
                    want[i * d + k] += 2.0 * ((double) w[i * n + j] + w[j * n + i]) * ((double) v[i * d + k] - v[j * d + k]);
        float[] wantF = new float[want.length];
        for (int i = 0; i < want.length; i++) wantF[i] = (float) want[i];
        for (Backend b : OpHarness.fastBackends()) {
            Tensor x = Tensor.of(b, v, n, d).requiresGrad(true);
            Tensor dist = PairwiseDistance.squaredEuclidean(x, x);
            assertEquals(0f, dist.toArray()[1], b.name());
            Reductions.sum(Arithmetic.mul(dist, Tensor.of(b, w, n, n))).backward();
            OpHarness.assertClose(b.name() + " direct", wantF, x.grad().toArray(), 1e-5, 1e-5);

            Tensor xe = Tensor.of(b, v, n, d).requiresGrad(true);
            Reductions.sum(Arithmetic.mul(PairwiseDistance.expanded(xe, xe), Tensor.of(b, w, n, n))).backward();
            double worst = 0;
            float[] ge = xe.grad().toArray();
            for (int i = 0; i < ge.length; i++) worst = Math.max(worst, Math.abs(ge[i] - want[i]));
            assertTrue(worst > 1e-3, b.name() + ": the expansion's gradient error is only " + worst);
        }
    }
}
