package org.cxrclip.engine.ops;

import static org.cxrclip.engine.ops.ArithmeticTest.assertNames;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.Arrays;
import org.cxrclip.engine.Parallel;
import org.cxrclip.engine.Rng;
import org.cxrclip.engine.Shape;
import org.cxrclip.engine.Tensor;
import org.cxrclip.engine.backend.Backend;
import org.cxrclip.engine.backend.Backends;
import org.cxrclip.engine.testing.OpHarness;
import org.junit.jupiter.api.Test;

class WhereDropoutTest {
    private static float[] mask(long seed, int n) {
        Rng r = new Rng(seed);
        float[] m = new float[n];
        for (int i = 0; i < n; i++) m[i] = r.nextInt(2);
        return m;
    }

    @Test
    void whereAgreesAndDifferentiates() {
        qt().withFixedSeed(51).withExamples(30).forAll(longs().all()).checkAssert(seed -> {
            Rng r = new Rng(seed);
            boolean small = r.nextInt(3) == 0;
            int[] s = RandomShapes.shape(r, 0, 4, small ? 30 : 4000);
            int[][] shapes = {RandomShapes.partner(r, s), RandomShapes.partner(r, s), RandomShapes.partner(r, s)};
            shapes[r.nextInt(3)] = s; // one operand carries the full shape
            float[][] v = {mask(seed, Shape.numel(shapes[0])), OpHarness.values(seed + 1, Shape.numel(shapes[1])),
                OpHarness.values(seed + 2, Shape.numel(shapes[2]))};
            boolean[] grads = {false, true, true};
            for (Backend fast : OpHarness.fastBackends())
                OpHarness.assertBackendsAgree("where", fast, t -> Where.where(t[0], t[1], t[2]), v, shapes, grads, 1e-5, 1e-5);
            if (small)
                OpHarness.gradcheck("where", t -> Where.where(t[0], t[1], t[2]), v, shapes, grads, 1e-2, 2e-2, 2e-3);
        });
    }

    @Test
    void whereHandComputed() {
        for (Backend b : new Backend[] {Backends.reference(), Backends.cpu()}) {
            Tensor c = Tensor.of(b, new float[] {1, 0, 1}, 3);
            Tensor a = Tensor.of(b, new float[] {1, 2, 3, 4, 5, 6}, 2, 3).requiresGrad(true);
            Tensor z = Tensor.of(b, new float[] {-1}).requiresGrad(true); // shape []
            Tensor y = Where.where(c, a, z);
            assertArrayEquals(new float[] {1, -1, 3, 4, -1, 6}, y.toArray());
            Reductions.sum(y).backward();
            assertArrayEquals(new float[] {1, 0, 1, 1, 0, 1}, a.grad().toArray());
            assertEquals(2f, z.grad().item());
        }
        assertNames("where", () -> Where.where(Tensor.zeros(Backends.cpu(), 2), Tensor.zeros(Backends.cpu(), 3),
                Tensor.zeros(Backends.cpu(), 1)));
    }

    @Test
    void dropoutIsReproducibleAcrossBackendsAndThreadCounts() {
        int n = 200_003; // several parallel chunks
        float[] x = OpHarness.values(1, n);
        float[] reference = Dropout.dropout(Tensor.of(Backends.reference(), x, n), 0.3f, 42, true).toArray();
        int before = Parallel.threads();
        try {
            for (int threads : new int[] {1, 2, 3}) {
                Parallel.setThreads(threads);
                float[] cpu = Dropout.dropout(Tensor.of(Backends.cpu(), x, n), 0.3f, 42, true).toArray();
                assertArrayEquals(reference, cpu, "cpu dropout with " + threads + " threads");
            }
        } finally {
            Parallel.setThreads(before);
        }
        float[] again = Dropout.dropout(Tensor.of(Backends.reference(), x, n), 0.3f, 42, true).toArray();
        assertArrayEquals(reference, again, "same seed, same mask");
        float[] other = Dropout.dropout(Tensor.of(Backends.reference(), x, n), 0.3f, 43, true).toArray();
        assertFalse(Arrays.equals(reference, other), "another seed, another mask");
    }

    /** Inverted scaling keeps the mean: E[y] = (1 − p)·x/(1 − p) = x. With n = 10⁵ the standard errors are ~0.2 %. */
    @Test
    void dropoutKeepsTheMeanAndDropsAboutP() {
        int n = 100_000;
        float p = 0.3f;
        for (Backend b : new Backend[] {Backends.reference(), Backends.cpu()}) {
            Tensor ones = Tensor.full(b, 1f, n).requiresGrad(true);
            Tensor y = Dropout.dropout(ones, p, 7, true);
            float[] v = y.toArray();
            int zeros = 0;
            for (float f : v) {
                if (f == 0) zeros++;
                else assertEquals(1 / (1 - p), f, 1e-6);
            }
            assertEquals(p, zeros / (double) n, 0.01);
            assertEquals(1.0, Reductions.mean(y).item(), 0.02);
            Reductions.sum(y).backward();
            assertArrayEquals(v, ones.grad().toArray(), "the gradient is the mask");
        }
    }

    @Test
    void dropoutIdentityCasesAndGradcheck() {
        Tensor x = Tensor.of(Backends.cpu(), OpHarness.values(2, 10), 10);
        assertSame(x, Dropout.dropout(x, 0.5f, 1, false));
        assertSame(x, Dropout.dropout(x, 0f, 1, true));
        Tensor allDropped = Dropout.dropout(x, 1f, 1, true);
        assertArrayEquals(new float[10], allDropped.toArray(), 0f); // ±0
        assertNull(x.grad());
        OpHarness.gradcheck("dropout", t -> Dropout.dropout(t[0], 0.4f, 9, true),
                new float[][] {OpHarness.values(3, 24)}, new int[][] {{4, 6}});
        assertNames("dropout", () -> Dropout.dropout(x, 1.5f, 1, true));
        assertNames("dropout", () -> Dropout.dropout(x, Float.NaN, 1, true));
    }
}
