package org.cxrclip.engine.ops;

import static org.cxrclip.engine.ops.LayerNormTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import org.cxrclip.engine.Rng;
import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.Backend;
import org.cxrclip.engine.backend.Backends;
import org.cxrclip.engine.testing.OpHarness;
import org.junit.jupiter.api.Test;

class CrossEntropyTest {
    private static final Backend[] BOTH = {Backends.reference(), Backends.cpu()};

    private static int[] targets(long seed, int N, int C) {
        Rng rng = new Rng(seed);
        int[] t = new int[N];
        for (int i = 0; i < N; i++) t[i] = rng.nextInt(C);
        return t;
    }

    @Test
    void cpuMatchesReferenceOnRandomShapes() {
        qt().withFixedSeed(13).withExamples(40)
                .forAll(integers().between(1, 9), arbitrary().pick(1, 3, 16, 17, 33, 65), longs().all())
                .checkAssert((N, C, seed) -> {
                    int[] t = targets(seed, N, C);
                    for (Backend fast : OpHarness.fastBackends())
                        OpHarness.assertBackendsAgree("cross_entropy", fast, x -> CrossEntropy.crossEntropy(x[0], t),
                                new float[][] {OpHarness.values(seed, N * C, -8f, 8f)}, new int[][] {{N, C}}, 1e-4, 1e-6);
                });
    }

    @Test
    void cpuMatchesReferenceOnLargeBatchAcrossThreads() {
        int N = 64, C = 1000;
        int[] t = targets(9, N, C);
        for (Backend fast : OpHarness.fastBackends())
            OpHarness.assertBackendsAgree("cross_entropy", fast, x -> CrossEntropy.crossEntropy(x[0], t),
                    new float[][] {OpHarness.values(8, N * C, -10f, 10f)}, new int[][] {{N, C}}, 1e-4, 1e-8);
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        int[] t = {2, 0, 3};
        OpHarness.gradcheck("cross_entropy", x -> CrossEntropy.crossEntropy(x[0], t),
                new float[][] {OpHarness.values(4, 12, -2f, 2f)}, new int[][] {{3, 4}});
    }

    @Test
    void handComputedExample() {
        // logits [[1, 2, 3], [1, 0, -1]], targets [0, 1].
        // Both rows have logsumexp = max + log(1 + e^-1 + e^-2) = max + 0.40760596.
        // Row 0: −log p[0] = 3.40760596 − 1 = 2.40760596; row 1: −log p[1] = 1.40760596 − 0 = 1.40760596.
        // Mean loss = (2.40760596 + 1.40760596) / 2 = 1.90760596.
        // Gradient = (softmax − onehot) / 2 with softmax rows [0.09003057, 0.24472847, 0.66524096] and its reverse:
        // [[-0.45498472, 0.12236424, 0.33262048], [0.33262048, -0.37763577, 0.04501529]].
        for (Backend b : BOTH) {
            Tensor logits = Tensor.of(b, new float[] {1, 2, 3, 1, 0, -1}, 2, 3).requiresGrad(true);
            Tensor loss = CrossEntropy.crossEntropy(logits, new int[] {0, 1});
            assertEquals(0, loss.rank(), "loss is a scalar of shape []");
            assertEquals(1.90760596f, loss.item(), 1e-6f, "cross_entropy on " + b.name());
            loss.backward(Tensor.of(b, new float[] {1f}));
            OpHarness.assertClose("cross_entropy gradient on " + b.name(),
                    new float[] {-0.45498472f, 0.12236424f, 0.33262048f, 0.33262048f, -0.37763577f, 0.04501529f},
                    logits.grad().toArray(), 1e-6, 1e-7);
        }
    }

    @Test
    void largeLogitsStayFinite() {
        // Row 0 puts all mass on class 0 but the target is 1: loss 2000; row 1 is right: loss 0. Mean 1000.
        for (Backend b : BOTH) {
            Tensor logits = Tensor.of(b, new float[] {1000, -1000, -1000, 1000}, 2, 2).requiresGrad(true);
            Tensor loss = CrossEntropy.crossEntropy(logits, new int[] {1, 1});
            assertEquals(1000f, loss.item(), 1e-3f, "cross_entropy(±1000) on " + b.name());
            loss.backward(Tensor.of(b, new float[] {1f}));
            OpHarness.assertClose("cross_entropy(±1000) gradient on " + b.name(), new float[] {0.5f, -0.5f, 0f, 0f},
                    logits.grad().toArray(), 1e-6, 1e-7);
        }
    }

    @Test
    void targetsAreCopiedBeforeBackward() {
        Backend b = Backends.cpu();
        int[] t = {0, 1};
        Tensor logits = Tensor.of(b, new float[] {1, 2, 3, 1, 0, -1}, 2, 3).requiresGrad(true);
        Tensor loss = CrossEntropy.crossEntropy(logits, t);
        t[0] = 2; // a data loader reusing its buffer must not change the gradient of the step already taken
        loss.backward(Tensor.of(b, new float[] {1f}));
        assertTrue(logits.grad().toArray()[0] < 0, "the gradient still uses target 0 for row 0");
        // The whole gradient is the hand-computed one for targets {0, 1} (see the case above); with target 2 read
        // at backward, row 0 would be [0.04501529, 0.12236424, -0.16737952].
        OpHarness.assertClose("cross_entropy gradient after the caller's array changed",
                new float[] {-0.45498472f, 0.12236424f, 0.33262048f, 0.33262048f, -0.37763577f, 0.04501529f},
                logits.grad().toArray(), 1e-6, 1e-7);
    }

    @Test
    void badArgumentsNameTheOp() {
        Tensor logits = Tensor.zeros(Backends.cpu(), 2, 3);
        assertMessage(() -> CrossEntropy.crossEntropy(logits, new int[] {0, 3}), "cross_entropy", "target 3",
                "index 1", "[0, 3)");
        assertMessage(() -> CrossEntropy.crossEntropy(logits, new int[] {-1, 0}), "cross_entropy", "target -1",
                "index 0");
        assertMessage(() -> CrossEntropy.crossEntropy(logits, new int[] {0}), "cross_entropy", "1 targets");
        assertMessage(() -> CrossEntropy.crossEntropy(Tensor.zeros(Backends.cpu(), 6), new int[] {0}),
                "cross_entropy", "rank 2");
        assertMessage(() -> CrossEntropy.crossEntropy(Tensor.zeros(Backends.cpu(), 0, 3), new int[0]),
                "cross_entropy", "N >= 1");
    }
}
