package org.cxrclip.engine.ops;

import static org.cxrclip.engine.ops.LayerNormTest.assertMessage;
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

class SoftmaxTest {
    private static final Backend[] BOTH = {Backends.reference(), Backends.cpu()};

    @Test
    void cpuMatchesReferenceOnRandomShapes() {
        qt().withFixedSeed(11).withExamples(40)
                .forAll(integers().between(1, 3), integers().between(1, 9), arbitrary().pick(1, 3, 16, 17, 33, 65),
                        longs().all())
                .checkAssert((rank, rows, C, seed) -> {
                    int[] xs = rank == 1 ? new int[] {C} : rank == 2 ? new int[] {rows, C} : new int[] {rows, 2, C};
                    float[] x = OpHarness.values(seed, Shape.numel(xs), -6f, 6f);
                    for (Backend fast : OpHarness.fastBackends()) {
                        OpHarness.assertBackendsAgree("softmax", fast, t -> Softmax.softmax(t[0], -1),
                                new float[][] {x}, new int[][] {xs}, 1e-4, 1e-6);
                        OpHarness.assertBackendsAgree("log_softmax", fast, t -> Softmax.logSoftmax(t[0], rank - 1),
                                new float[][] {x}, new int[][] {xs}, 1e-4, 1e-5);
                    }
                });
    }

    @Test
    void cpuMatchesReferenceOnWideRowsAcrossThreads() {
        // 64 rows of 1000: several parallel chunks and long SIMD rows.
        float[] x = OpHarness.values(5, 64 * 1000, -10f, 10f);
        for (Backend fast : OpHarness.fastBackends()) {
            OpHarness.assertBackendsAgree("softmax", fast, t -> Softmax.softmax(t[0]),
                    new float[][] {x}, new int[][] {{64, 1000}}, 1e-4, 1e-7);
            OpHarness.assertBackendsAgree("log_softmax", fast, t -> Softmax.logSoftmax(t[0]),
                    new float[][] {x}, new int[][] {{64, 1000}}, 1e-4, 1e-5);
        }
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        float[] x = OpHarness.values(3, 12, -2f, 2f);
        OpHarness.gradcheck("softmax", t -> Softmax.softmax(t[0]), new float[][] {x}, new int[][] {{3, 4}});
        OpHarness.gradcheck("log_softmax", t -> Softmax.logSoftmax(t[0]), new float[][] {x}, new int[][] {{2, 2, 3}});
    }

    @Test
    void handComputedValues() {
        // e^1 : e^2 : e^3 normalised; log_softmax = x − 3 − log(1 + e^-1 + e^-2) = x − 3.4076059.
        for (Backend b : BOTH) {
            Tensor x = Tensor.of(b, new float[] {1, 2, 3}, 3);
            OpHarness.assertClose("softmax([1,2,3]) on " + b.name(),
                    new float[] {0.09003057f, 0.24472847f, 0.66524096f}, Softmax.softmax(x).toArray(), 1e-6, 1e-7);
            OpHarness.assertClose("log_softmax([1,2,3]) on " + b.name(),
                    new float[] {-2.4076059f, -1.4076059f, -0.4076059f}, Softmax.logSoftmax(x).toArray(), 1e-6, 1e-6);
        }
    }

    @Test
    void largeLogitsStayFinite() {
        // Row [1000, -1000, 999]: softmax = [σ(1), 0, σ(-1)] = [0.7310586, 0, 0.2689414];
        // log_softmax = [-log(1 + e^-1), -2000 - log(1 + e^-1), -1 - log(1 + e^-1)].
        for (Backend b : BOTH) {
            Tensor x = Tensor.of(b, new float[] {1000, -1000, 999}, 1, 3).requiresGrad(true);
            Tensor y = Softmax.softmax(x);
            OpHarness.assertClose("softmax(±1000) on " + b.name(), new float[] {0.7310586f, 0f, 0.2689414f},
                    y.toArray(), 1e-6, 1e-7);
            y.backward(Tensor.of(b, new float[] {1, 2, 3}, 1, 3));
            for (float g : x.grad().toArray()) assertTrue(Float.isFinite(g), "softmax gradient not finite: " + g);
            // dx = y ⊙ (g − y·g) with y·g = σ(1) + 3σ(−1) = 1.5378828: [σ(1)·(−0.5378828), 0, σ(−1)·1.4621172].
            OpHarness.assertClose("softmax(±1000) gradient on " + b.name(), new float[] {-0.39322387f, 0f, 0.39322387f},
                    x.grad().toArray(), 1e-6, 1e-7);
            OpHarness.assertClose("log_softmax(±1000) on " + b.name(),
                    new float[] {-0.31326169f, -2000.3132617f, -1.3132617f}, Softmax.logSoftmax(x).toArray(), 1e-6, 1e-6);
        }
    }

    @Test
    void badArgumentsNameTheOp() {
        Tensor x = Tensor.zeros(Backends.cpu(), 2, 3);
        assertMessage(() -> Softmax.softmax(x, 2), "softmax", "axis 2");
        assertMessage(() -> Softmax.logSoftmax(x, -3), "log_softmax", "axis -3");
        assertMessage(() -> Softmax.softmax(Tensor.zeros(Backends.cpu()), -1), "softmax", "rank");
    }

    @Test
    void anotherAxisEqualsTheLastAxisOfTheTranspose() {
        // softmax over axis 0 of [[1, 2], [3, 5]]: columns (1, 3) -> (0.1192029, 0.8807971), (2, 5) -> (0.0474259, 0.9525741)
        Tensor x = Tensor.of(Backends.reference(), new float[] {1, 2, 3, 5}, 2, 2);
        org.junit.jupiter.api.Assertions.assertArrayEquals(new float[] {0.1192029f, 0.0474259f, 0.8807971f, 0.9525741f},
                Softmax.softmax(x, 0).toArray(), 1e-6f);
        org.cxrclip.engine.testing.OpHarness.gradcheck("log_softmax axis 1 of 3", t -> Softmax.logSoftmax(t[0], 1),
                new float[][] {org.cxrclip.engine.testing.OpHarness.values(5, 24)}, new int[][] {{2, 3, 4}});
    }
}
