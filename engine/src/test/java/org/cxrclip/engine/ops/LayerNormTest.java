package org.cxrclip.engine.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import org.cxrclip.engine.Shape;
import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.Backend;
import org.cxrclip.engine.backend.Backends;
import org.cxrclip.engine.testing.OpHarness;
import org.junit.jupiter.api.Test;

class LayerNormTest {
    private static final float EPS = 1e-5f;

    /** Leading shape for rank 1, 2 or 3 inputs with `rows` rows in all. */
    private static int[] shape(int rank, int rows, int C) {
        return switch (rank) {
            case 1 -> new int[] {C};
            case 2 -> new int[] {rows, C};
            default -> new int[] {2, rows, C};
        };
    }

    @Test
    void cpuMatchesReferenceOnRandomShapes() {
        qt().withFixedSeed(7).withExamples(40)
                .forAll(integers().between(1, 3), integers().between(1, 9), arbitrary().pick(1, 3, 16, 17, 33, 65),
                        longs().all())
                .checkAssert((rank, rows, C, seed) -> {
                    int[] xs = shape(rank, rows, C);
                    // Values away from zero mean and unit scale, so the normalisation is not the identity.
                    float[] x = OpHarness.values(seed, Shape.numel(xs), -2f, 5f);
                    float[] g = OpHarness.values(seed + 1, C, 0.5f, 1.5f);
                    float[] b = OpHarness.values(seed + 2, C);
                    for (Backend fast : OpHarness.fastBackends()) {
                        OpHarness.assertBackendsAgree("layer_norm", fast,
                                t -> LayerNorm.layerNorm(t[0], t[1], t[2], EPS),
                                new float[][] {x, g, b}, new int[][] {xs, {C}, {C}}, 1e-4, 1e-5);
                        OpHarness.assertBackendsAgree("layer_norm without affine", fast,
                                t -> LayerNorm.layerNorm(t[0], null, null, EPS),
                                new float[][] {x}, new int[][] {xs}, 1e-4, 1e-5);
                    }
                });
    }

    @Test
    void cpuMatchesReferenceOnClipWidthAcrossThreads() {
        // 64 rows of 768: two parallel chunks on 2 threads (grain 21 rows), so the per-chunk gamma/beta partial sums are exercised.
        int rows = 64, C = 768;
        for (Backend fast : OpHarness.fastBackends())
            OpHarness.assertBackendsAgree("layer_norm", fast, t -> LayerNorm.layerNorm(t[0], t[1], t[2], EPS),
                    new float[][] {OpHarness.values(3, rows * C, -3f, 3f), OpHarness.values(4, C), OpHarness.values(5, C)},
                    new int[][] {{rows, C}, {C}, {C}}, 1e-4, 2e-5);
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        OpHarness.gradcheck("layer_norm", t -> LayerNorm.layerNorm(t[0], t[1], t[2], EPS),
                new float[][] {OpHarness.values(11, 15, -1f, 2f), OpHarness.values(12, 5), OpHarness.values(13, 5)},
                new int[][] {{3, 5}, {5}, {5}});
        OpHarness.gradcheck("layer_norm rank 3, no affine", t -> LayerNorm.layerNorm(t[0], null, null, EPS),
                new float[][] {OpHarness.values(14, 12)}, new int[][] {{2, 2, 3}});
    }

    @Test
    void handComputedRow() {
        // mean 2.5, biased var 1.25, rstd = 1/√(1.25 + 1e-5) = 0.8944236; (x − 2.5)·rstd.
        float[] expected = {-1.3416355f, -0.4472118f, 0.4472118f, 1.3416355f};
        for (Backend b : new Backend[] {Backends.reference(), Backends.cpu()}) {
            Tensor y = LayerNorm.layerNorm(Tensor.of(b, new float[] {1, 2, 3, 4}, 4), null, null, EPS);
            OpHarness.assertClose("layer_norm([1,2,3,4]) on " + b.name(), expected, y.toArray(), 1e-6, 1e-6);
        }
    }

    @Test
    void affineAndParameterGradientsByHand() {
        // One row [1, 3]: n = [-1, 1] (up to eps); gamma = [2, 3], beta = [10, 20] → out = [8, 23].
        // gradOut = [1, 1]: gradBeta = [1, 1], gradGamma = gradOut·n = [-1, 1].
        for (Backend b : new Backend[] {Backends.reference(), Backends.cpu()}) {
            Tensor x = Tensor.of(b, new float[] {1, 3}, 1, 2);
            Tensor g = Tensor.of(b, new float[] {2, 3}, 2).requiresGrad(true);
            Tensor be = Tensor.of(b, new float[] {10, 20}, 2).requiresGrad(true);
            Tensor y = LayerNorm.layerNorm(x, g, be, 0f);
            OpHarness.assertClose("layer_norm affine on " + b.name(), new float[] {8, 23}, y.toArray(), 1e-6, 1e-6);
            y.backward(Tensor.of(b, new float[] {1, 1}, 1, 2));
            OpHarness.assertClose("grad beta", new float[] {1, 1}, be.grad().toArray(), 1e-6, 1e-6);
            OpHarness.assertClose("grad gamma", new float[] {-1, 1}, g.grad().toArray(), 1e-6, 1e-6);
        }
    }

    @Test
    void largeOffsetKeepsPrecision() {
        // x = 10000 + u: a one-pass E[x²] − E[x]² in float would lose every digit of the variance here.
        int rows = 4, C = 33;
        float[] x = OpHarness.values(21, rows * C);
        float[] shifted = new float[x.length];
        for (int i = 0; i < x.length; i++) shifted[i] = 10000f + x[i];
        for (Backend b : new Backend[] {Backends.reference(), Backends.cpu()}) {
            float[] y0 = LayerNorm.layerNorm(Tensor.of(b, x, rows, C), null, null, EPS).toArray();
            float[] y1 = LayerNorm.layerNorm(Tensor.of(b, shifted, rows, C), null, null, EPS).toArray();
            // The shift itself rounds x to float spacing 2^-10 ≈ 1e-3 relative to a unit-scale row.
            OpHarness.assertClose("layer_norm shift invariance on " + b.name(), y0, y1, 0, 5e-3);
        }
    }

    @Test
    void badArgumentsNameTheOp() {
        Backend b = Backends.cpu();
        Tensor x = Tensor.zeros(b, 2, 4);
        assertMessage(() -> LayerNorm.layerNorm(x, Tensor.zeros(b, 3), null, EPS), "layer_norm", "gamma");
        assertMessage(() -> LayerNorm.layerNorm(x, null, Tensor.zeros(b, 4, 1), EPS), "layer_norm", "beta");
        assertMessage(() -> LayerNorm.layerNorm(Tensor.zeros(b), null, null, EPS), "layer_norm", "rank");
        assertMessage(() -> LayerNorm.layerNorm(Tensor.zeros(b, 2, 0), null, null, EPS), "layer_norm", "size 0");
        assertMessage(() -> LayerNorm.layerNorm(x, null, null, -1f), "layer_norm", "eps");
        assertMessage(() -> LayerNorm.layerNorm(x, Tensor.zeros(Backends.reference(), 4), null, EPS),
                "layer_norm", "backends");
    }

    static void assertMessage(org.junit.jupiter.api.function.Executable call, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String p : parts) assertTrue(e.getMessage().contains(p), () -> "message lacks '" + p + "': " + e.getMessage());
    }

    @Test
    void outputHasInputShape() {
        Tensor y = LayerNorm.layerNorm(Tensor.zeros(Backends.cpu(), 2, 3, 5), null, null, EPS);
        assertEquals("[2, 3, 5]", Shape.str(y.shape()));
    }
}
