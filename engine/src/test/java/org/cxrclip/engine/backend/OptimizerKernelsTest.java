package org.cxrclip.engine.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.OptimizerKernels.AdamWScalars;
import org.cxrclip.engine.testing.OpHarness;
import org.junit.jupiter.api.Test;

/**
 * The optimiser kernel family on every fast backend (CPU, and OpenCL when requested) against the reference
 * loops, on awkward sizes (1, 3, 17, one more than a work-group, and sizes that split into many parallel chunks
 * and partial sums) and on views at a non-zero offset; plus one AdamW and one SGD element computed by hand.
 *
 * <p>Tolerance: the updates are a handful of float operations per element; OpenCL may round sqrt and division a
 * few ulp differently, so 1e-6 relative + 1e-7 absolute. Sums of squares of up to 300k values in [−1, 1]: float
 * partial sums against the reference's double, 1e-5 relative.
 */
class OptimizerKernelsTest {
    private static final int[] SIZES = {1, 3, 17, 129, 1000, 70_001, 300_007};
    private static final AdamWScalars ADAM = AdamWScalars.of(1e-3, 0.9, 0.98, 1e-6, 0.2, 3);

    private static List<Backend> backends() {
        return OpHarness.fastBackends();
    }

    /** A tensor of n values viewed at offset 5 of a larger buffer, so kernels must honour offsets. */
    private static Tensor offsetView(Backend b, float[] v) {
        float[] padded = new float[v.length + 9];
        System.arraycopy(v, 0, padded, 5, v.length);
        return Tensor.of(b, padded, padded.length).view(padded.length).rows(5, 5 + v.length);
    }

    @Test
    void adamwAgreesWithTheReferenceOnEveryBackend() {
        for (Backend fast : backends())
            for (int n : SIZES) {
                float[] p = OpHarness.values(1 + n, n), g = OpHarness.values(2 + n, n), m = OpHarness.values(3 + n, n);
                float[] v = OpHarness.values(4 + n, n, 0f, 0.5f);
                float[][] ref = adamw(Backends.reference(), p, g, m, v);
                float[][] got = adamw(fast, p, g, m, v);
                String[] names = {"param", "exp_avg", "exp_avg_sq"};
                for (int i = 0; i < 3; i++)
                    OpHarness.assertClose("adamw " + names[i] + " n=" + n + " on " + fast.name(), ref[i], got[i], 1e-6, 1e-7);
            }
    }

    private static float[][] adamw(Backend b, float[] p, float[] g, float[] m, float[] v) {
        Tensor tp = offsetView(b, p), tg = offsetView(b, g), tm = offsetView(b, m), tv = offsetView(b, v);
        b.optimizer().adamw(tp, tg, tm, tv, ADAM);
        return new float[][] {tp.toArray(), tm.toArray(), tv.toArray()};
    }

    /**
     * The CPU's SIMD AdamW gives the reference loop's bits (same float operations in the same order), so neither
     * the vector width nor the parallel chunk boundaries change a training run. Tiny gradients every 7th element
     * exercise the ε-dominated regime.
     */
    @Test
    void cpuAdamwIsTheReferenceBitForBit() {
        org.cxrclip.engine.Rng rng = new org.cxrclip.engine.Rng(11);
        int n = 70_001;
        float[] p = new float[n], g = new float[n], m = new float[n], v = new float[n];
        for (int i = 0; i < n; i++) {
            p[i] = (float) rng.nextGaussian();
            g[i] = (float) rng.nextGaussian() * (i % 7 == 0 ? 1e-6f : 1f);
            m[i] = (float) rng.nextGaussian() * 0.1f;
            v[i] = Math.abs((float) rng.nextGaussian()) * 0.01f;
        }
        float[][] ref = adamw(Backends.reference(), p, g, m, v), cpu = adamw(Backends.cpu(), p, g, m, v);
        for (int i = 0; i < 3; i++) org.junit.jupiter.api.Assertions.assertArrayEquals(ref[i], cpu[i]);
    }

    @Test
    void adamwFirstStepByHand() {
        // t = 1, lr 0.1, β (0.9, 0.999), ε 1e-8, λ 0.01; p = 1, g = 0.5, m = v = 0:
        // m = 0.05, v = 0.00025, denom = √v/√0.001 + ε = 0.5, p = 1·(1 − 0.001) − (0.1/0.1)·(0.05/0.5) = 0.899.
        AdamWScalars s = AdamWScalars.of(0.1, 0.9, 0.999, 1e-8, 0.01, 1);
        for (Backend b : backendsWithReference()) {
            Tensor p = Tensor.of(b, new float[] {1f}, 1), g = Tensor.of(b, new float[] {0.5f}, 1);
            Tensor m = Tensor.zeros(b, 1), v = Tensor.zeros(b, 1);
            b.optimizer().adamw(p, g, m, v, s);
            assertEquals(0.05f, m.item(), 1e-8, b.name());
            assertEquals(0.00025f, v.item(), 1e-11, b.name());
            assertEquals(0.899f, p.item(), 2e-6, b.name());
        }
    }

    @Test
    void sgdAgreesWithTheReferenceOnEveryBackend() {
        for (Backend fast : backends())
            for (int n : SIZES)
                for (int variant = 0; variant < 4; variant++) {
                    boolean momentum = variant > 0, first = variant == 1, nesterov = variant == 3;
                    float[] p = OpHarness.values(5 + n, n), g = OpHarness.values(6 + n, n), buf = OpHarness.values(7 + n, n);
                    float[][] ref = sgd(Backends.reference(), p, g, buf, momentum, first, nesterov);
                    float[][] got = sgd(fast, p, g, buf, momentum, first, nesterov);
                    String what = "sgd variant " + variant + " n=" + n + " on " + fast.name();
                    OpHarness.assertClose(what + " param", ref[0], got[0], 1e-6, 1e-7);
                    OpHarness.assertClose(what + " buffer", ref[1], got[1], 1e-6, 1e-7);
                }
    }

    private static float[][] sgd(Backend b, float[] p, float[] g, float[] buf, boolean momentum, boolean first,
                                 boolean nesterov) {
        Tensor tp = offsetView(b, p), tg = offsetView(b, g), tb = momentum ? offsetView(b, buf) : null;
        b.optimizer().sgd(tp, tg, tb, first, 0.05f, 1e-2f, 0.9f, nesterov ? 1f : 0.8f, nesterov);
        return new float[][] {tp.toArray(), tb == null ? buf : tb.toArray()};
    }

    @Test
    void sgdWithMomentumByHand() {
        // p = 2, g = 1, λ = 0.5 → d = 2; buffer 1, μ 0.9, dampening 0 → b = 0.9 + 2 = 2.9; p = 2 − 0.1·2.9 = 1.71.
        for (Backend b : backendsWithReference()) {
            Tensor p = Tensor.of(b, new float[] {2f}, 1), g = Tensor.of(b, new float[] {1f}, 1), buf = Tensor.of(b, new float[] {1f}, 1);
            b.optimizer().sgd(p, g, buf, false, 0.1f, 0.5f, 0.9f, 1f, false);
            assertEquals(2.9f, buf.item(), 1e-6, b.name());
            assertEquals(1.71f, p.item(), 1e-6, b.name());
        }
    }

    @Test
    void sumOfSquaresFillsOneSlotOnEveryBackend() {
        for (Backend b : backendsWithReference()) {
            Tensor out = Tensor.full(b, -1f, SIZES.length + 2);
            double[] expected = new double[SIZES.length];
            for (int i = 0; i < SIZES.length; i++) {
                float[] x = OpHarness.values(8 + SIZES[i], SIZES[i]);
                for (float v : x) expected[i] += (double) v * v;
                b.optimizer().sumOfSquares(offsetView(b, x), out.view(SIZES.length + 2).rows(1, SIZES.length + 2), i);
            }
            float[] got = out.toArray();
            assertEquals(-1f, got[0], b.name() + ": the slot before the view is untouched");
            assertEquals(-1f, got[SIZES.length + 1], b.name() + ": the slot after the last written is untouched");
            for (int i = 0; i < SIZES.length; i++)
                assertEquals(expected[i], got[i + 1], 1e-5 * expected[i], b.name() + " n=" + SIZES[i]);
        }
    }

    private static List<Backend> backendsWithReference() {
        List<Backend> all = new java.util.ArrayList<>(backends());
        all.add(0, Backends.reference());
        return all;
    }
}
