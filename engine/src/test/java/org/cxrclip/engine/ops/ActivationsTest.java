package org.cxrclip.engine.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.function.Function;
import org.cxrclip.engine.Rng;
import org.cxrclip.engine.Shape;
import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.Backend;
import org.cxrclip.engine.backend.Backends;
import org.cxrclip.engine.testing.OpHarness;
import org.junit.jupiter.api.Test;

class ActivationsTest {
    /** An op under test with the input range its gradient check needs. */
    private record Case(String name, Function<Tensor, Tensor> f, float lo, float hi, float[] kinks) {}

    private static final Case[] CASES = {
        new Case("neg", Activations::neg, -1, 1, new float[0]),
        new Case("exp", Activations::exp, -1, 1, new float[0]),
        // log, sqrt and pow with a fractional exponent are defined for positive inputs only
        new Case("log", Activations::log, 0.5f, 2, new float[0]),
        new Case("sqrt", Activations::sqrt, 0.5f, 2, new float[0]),
        new Case("pow1.5", x -> Activations.pow(x, 1.5f), 0.5f, 2, new float[0]),
        new Case("pow2", x -> Activations.pow(x, 2f), -1, 1, new float[0]),
        new Case("pow3", x -> Activations.pow(x, 3f), -1, 1, new float[0]),
        new Case("tanh", Activations::tanh, -3, 3, new float[0]),
        new Case("sigmoid", Activations::sigmoid, -3, 3, new float[0]),
        // Kinks: a central difference straddling one averages the two one-sided slopes, so inputs stay 0.05
        // away from them (the step is 0.01); the value at the kink itself is pinned by kinkGradients().
        new Case("relu", Activations::relu, -1, 1, new float[] {0}),
        new Case("abs", Activations::abs, -1, 1, new float[] {0}),
        new Case("clamp", x -> Activations.clamp(x, -0.5f, 0.5f), -1, 1, new float[] {-0.5f, 0.5f}),
        new Case("gelu", Activations::gelu, -3, 3, new float[0]),
        new Case("geluTanh", Activations::geluTanh, -3, 3, new float[0]),
        new Case("quickGelu", Activations::quickGelu, -3, 3, new float[0]),
        new Case("affine", x -> Activations.affine(x, -1.5f, 0.25f), -1, 1, new float[0]),
    };

    private static float[] inputs(Case c, long seed, int n) {
        float[] v = OpHarness.values(seed, n, c.lo, c.hi);
        return c.kinks.length == 0 ? v : RandomShapes.awayFrom(v, 0.05f, c.kinks);
    }

    @Test
    void cpuAgreesWithReferenceOnRandomShapes() {
        qt().withFixedSeed(11).withExamples(25).forAll(longs().all()).checkAssert(seed -> {
            int[] s = RandomShapes.shape(new Rng(seed), 0, 4, 3000);
            for (Case c : CASES)
                for (Backend fast : OpHarness.fastBackends())
                    OpHarness.assertBackendsAgree(c.name, fast, t -> c.f.apply(t[0]),
                            new float[][] {inputs(c, seed, Shape.numel(s))}, new int[][] {s}, 2e-5, 2e-6);
        });
    }

    /** Large enough to split over threads and run the vector bodies many times; includes wide input ranges. */
    @Test
    void cpuAgreesWithReferenceOnLargeInputs() {
        int n = 70_001;
        for (Case c : CASES) {
            float lo = c.lo > 0 ? c.lo : -8, hi = c.lo > 0 ? 4 * c.hi : 8;
            for (Backend fast : OpHarness.fastBackends())
                OpHarness.assertBackendsAgree(c.name, fast, t -> c.f.apply(t[0]),
                        new float[][] {OpHarness.values(5, n, lo, hi)}, new int[][] {{n}}, 2e-5, 2e-6);
        }
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        qt().withFixedSeed(12).withExamples(6).forAll(longs().all()).checkAssert(seed -> {
            int[] s = RandomShapes.shape(new Rng(seed), 0, 3, 40); 
            for (Case c : CASES)
                OpHarness.gradcheck(c.name, t -> c.f.apply(t[0]), new float[][] {inputs(c, seed, Shape.numel(s))},
                        new int[][] {s});
        });
    }

    /** Expected values from Python's math.erf / math.exp in double precision, e.g. gelu(1) = 1·(1 + erf(1/√2))/2. */
    @Test
    void handComputedValues() {
        for (Backend b : new Backend[] {Backends.reference(), Backends.cpu()}) {
            Tensor x = Tensor.of(b, new float[] {1f, -1f, 2f, 0f}, 4);
            assertClose(new double[] {0.8413447460685429, -0.15865525393145707, 1.9544997361036416, 0},
                    Activations.gelu(x), 1e-7);
            // quickGelu(x) = x / (1 + e^(−1.702x))
            assertClose(new double[] {0.8457957659328212, -0.1542042340671787, 1.9356586231442083, 0},
                    Activations.quickGelu(x), 1e-7);
            // 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715x³)))
            assertClose(new double[] {0.8411919906082768, -0.15880800939172324, 1.954597694087775, 0},
                    Activations.geluTanh(x), 1e-7);
            assertClose(new double[] {0.7310585786300049, 0.2689414213699951, 0.8807970779778823, 0.5},
                    Activations.sigmoid(x), 1e-7);
            assertClose(new double[] {1, 1, 4, 0}, Activations.pow(x, 2), 0);
            assertClose(new double[] {0.5, -0.5, 0.5, 0}, Activations.clamp(x, -0.5f, 0.5f), 0);
        }
    }

    /** PyTorch's conventions at kinks: relu'(0) = 0, abs'(0) = 0, clamp passes the gradient at its bounds. */
    @Test
    void kinkGradients() {
        for (Backend b : new Backend[] {Backends.reference(), Backends.cpu()}) {
            assertGrad(b, Activations::relu, new float[] {-1, 0, 2}, new double[] {0, 0, 1});
            assertGrad(b, Activations::abs, new float[] {-1, 0, 2}, new double[] {-1, 0, 1});
            assertGrad(b, x -> Activations.clamp(x, -0.5f, 0.5f), new float[] {-1, -0.5f, 0.2f, 0.5f, 1},
                    new double[] {0, 1, 1, 1, 0});
        }
    }

    @Test
    void badArgumentsNameTheOp() {
        Tensor x = Tensor.zeros(Backends.cpu(), 3);
        var e = assertThrows(IllegalArgumentException.class, () -> Activations.clamp(x, 1, 0));
        assertTrue(e.getMessage().contains("clamp"), e.getMessage());
    }

    private static void assertGrad(Backend b, Function<Tensor, Tensor> f, float[] x, double[] expected) {
        Tensor t = Tensor.of(b, x, x.length).requiresGrad(true);
        Reductions.sum(f.apply(t)).backward();
        assertClose(expected, t.grad(), 0);
    }

    static void assertClose(double[] expected, Tensor actual, double tol) {
        float[] a = actual.toArray();
        assertEquals(expected.length, a.length);
        for (int i = 0; i < a.length; i++)
            assertEquals(expected[i], a[i], tol + 1e-7 * Math.abs(expected[i]), "element " + i + " on " + actual.backend().name());
    }
}
